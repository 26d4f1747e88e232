/// Numbers as decimal text: the grammar, the exactness test, and shortest output.
public enum NumberText {
    /// True when `text` is exactly one number by the JSON grammar
    /// (`-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`).
    public static func isValid(_ text: UnsafeRawBufferPointer) -> Bool {
        var i = 0
        let n = text.count
        @inline(__always) func digit(_ i: Int) -> Bool { i < n && text[i] &- 0x30 <= 9 }
        if i < n && text[i] == UInt8(ascii: "-") { i += 1 }
        guard digit(i) else { return false }
        if text[i] == UInt8(ascii: "0") {
            i += 1
        } else {
            while digit(i) { i += 1 }
        }
        if i < n && text[i] == UInt8(ascii: ".") {
            i += 1
            guard digit(i) else { return false }
            while digit(i) { i += 1 }
        }
        if i < n && text[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            if i < n && (text[i] == UInt8(ascii: "+") || text[i] == UInt8(ascii: "-")) { i += 1 }
            guard digit(i) else { return false }
            while digit(i) { i += 1 }
        }
        return i == n
    }

    /// True when `text` is a valid JSON number.
    public static func isValid(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { isValid(UnsafeRawBufferPointer($0)) }
    }

    /// The Double that `text` (a valid JSON number) denotes, when converting it
    /// loses nothing that matters: the result is finite and its shortest
    /// round-trip form denotes the same decimal value as `text`. Otherwise nil
    /// (too many digits, overflow, or underflow to zero or a subnormal that
    /// does not hold all the digits).
    public static func exactDouble(_ text: UnsafeRawBufferPointer) -> Double? {
        let string = String(decoding: text, as: UTF8.self)
        guard let value = Double(string), value.isFinite else { return nil }
        guard let original = signature(text) else { return nil }
        var shortest = value.description
        let back = shortest.withUTF8 { signature(UnsafeRawBufferPointer($0)) }
        return back == original ? value : nil
    }

    /// A decimal value in canonical form: significant digits without leading or
    /// trailing zeros, the power of ten of the first digit, and the sign.
    struct Signature: Equatable {
        var digits: [UInt8]
        var exponent: Int
        var negative: Bool
    }

    /// The canonical form of a decimal text such as `-0.00120e+3` (or Swift's `1.2e-05`).
    static func signature(_ text: UnsafeRawBufferPointer) -> Signature? {
        var digits: [UInt8] = []
        var pointPosition = 0 // digits before the decimal point, counted in `digits` terms
        var seenPoint = false
        var negative = false
        var i = 0
        if i < text.count && text[i] == UInt8(ascii: "-") {
            negative = true
            i += 1
        }
        while i < text.count {
            let c = text[i]
            if c &- 0x30 <= 9 {
                if digits.isEmpty && c == UInt8(ascii: "0") {
                    if seenPoint { pointPosition -= 1 }
                } else {
                    digits.append(c)
                    if !seenPoint { pointPosition += 1 }
                }
            } else if c == UInt8(ascii: ".") {
                seenPoint = true
            } else if c | 0x20 == UInt8(ascii: "e") {
                break
            } else {
                return nil
            }
            i += 1
        }
        var exponent = 0
        if i < text.count {
            i += 1
            var exponentNegative = false
            if i < text.count && (text[i] == UInt8(ascii: "+") || text[i] == UInt8(ascii: "-")) {
                exponentNegative = text[i] == UInt8(ascii: "-")
                i += 1
            }
            while i < text.count {
                if exponent < 1_000_000 { exponent = exponent * 10 + Int(text[i] &- 0x30) }
                i += 1
            }
            if exponentNegative { exponent = -exponent }
        }
        while digits.last == UInt8(ascii: "0") { digits.removeLast() }
        if digits.isEmpty { return Signature(digits: [], exponent: 0, negative: false) }
        return Signature(digits: digits, exponent: pointPosition + exponent, negative: negative)
    }

    /// The shortest text that reads back as `value` (which must be finite),
    /// always marked as a float: `1.0`, `0.1`, `1e-7`, `1.5e300`.
    public static func shortest(_ value: Double) -> String {
        let text = value.description // Swift prints the shortest round-trip digits
        guard let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) else { return text }
        // Swift writes `1e-05` and `1e+16`: drop the plus and the exponent's leading zeros.
        var exponent = text[text.index(after: e)...]
        var sign = ""
        if exponent.first == "-" { sign = "-" }
        if exponent.first == "-" || exponent.first == "+" { exponent = exponent.dropFirst() }
        let trimmed = exponent.drop(while: { $0 == "0" })
        return text[..<e] + "e" + sign + (trimmed.isEmpty ? "0" : trimmed)
    }
}
