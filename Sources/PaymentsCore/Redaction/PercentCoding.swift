/// Percent-encoding as in URLs and form bodies, for finding secrets and
/// cards in them and writing back what was redacted.
enum PercentCoding {
    /// `%XX` decoded (and `+` as a space when `plusIsSpace`); a `%` not followed by two hex digits stays as it is.
    static func decoded<Text: StringProtocol>(_ text: Text, plusIsSpace: Bool) -> String {
        let b = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(b.count)
        var i = 0
        while i < b.count {
            if b[i] == UInt8(ascii: "%"), i + 2 < b.count, let high = hexValue(b[i + 1]), let low = hexValue(b[i + 2]) {
                out.append(high << 4 | low)
                i += 3
            } else {
                out.append(plusIsSpace && b[i] == UInt8(ascii: "+") ? ASCIIByte.space : b[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Every byte but letters, digits and `-._~*[]` as `%XX` (a space as `+` when `spaceAsPlus`).
    /// `*`, `[` and `]` stay readable so that masks and `[redacted]` read as they do elsewhere.
    static func encoded(_ text: String, spaceAsPlus: Bool) -> [UInt8] {
        var out: [UInt8] = []
        for c in text.utf8 {
            if ASCIIByte.isAlphanumeric(c) || "-._~*[]".utf8.contains(c) {
                out.append(c)
            } else if spaceAsPlus && c == ASCIIByte.space {
                out.append(UInt8(ascii: "+"))
            } else {
                out.append(UInt8(ascii: "%"))
                out += hex(c)
            }
        }
        return out
    }

    /// Two upper-case hex digits.
    static func hex(_ c: UInt8) -> [UInt8] {
        let digits = Array("0123456789ABCDEF".utf8)
        return [digits[Int(c >> 4)], digits[Int(c & 0x0F)]]
    }

    static func hexValue(_ c: UInt8) -> UInt8? {
        if ASCIIByte.isDigit(c) { return c - 0x30 }
        let lower = c | 0x20
        return lower >= 0x61 && lower <= 0x66 ? lower - 0x61 + 10 : nil
    }
}
