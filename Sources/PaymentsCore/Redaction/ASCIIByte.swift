/// ASCII classes of UTF-8 bytes, for the redaction scanners. The bytes of a
/// multi-byte character belong to none of them, so the scanners copy them
/// through untouched and never split a character.
enum ASCIIByte {
    static let space = UInt8(ascii: " ")
    static let tab = UInt8(ascii: "\t")
    static let newline = UInt8(ascii: "\n")
    static let dash = UInt8(ascii: "-")
    static let dot = UInt8(ascii: ".")
    static let underscore = UInt8(ascii: "_")
    static let equals = UInt8(ascii: "=")
    static let colon = UInt8(ascii: ":")
    static let doubleQuote = UInt8(ascii: "\"")
    static let singleQuote = UInt8(ascii: "'")
    static let backslash = UInt8(ascii: "\\")
    static let star = UInt8(ascii: "*")

    static func isDigit(_ c: UInt8) -> Bool { c &- 0x30 < 10 }
    static func isLetter(_ c: UInt8) -> Bool { (c | 0x20) &- 0x61 < 26 }
    static func isAlphanumeric(_ c: UInt8) -> Bool { isDigit(c) || isLetter(c) }
    static func isHexDigit(_ c: UInt8) -> Bool { isDigit(c) || (c | 0x20) &- 0x61 < 6 }
    /// Space or tab: what may stand around `=` and `:` in a field.
    static func isBlank(_ c: UInt8) -> Bool { c == space || c == tab }
    /// Letters, digits, `-` and `_`: the alphabet of JWT parts.
    static func isBase64URL(_ c: UInt8) -> Bool { isAlphanumeric(c) || c == dash || c == underscore }

    /// The bytes of `literal`, for comparisons with input.
    static func bytes(_ literal: String) -> [UInt8] { Array(literal.utf8) }

    /// Whether `b[at...]` starts with `prefix`, ignoring the case of ASCII letters (`prefix` in lower case).
    static func hasPrefix(_ b: [UInt8], at start: Int, lowercased prefix: [UInt8]) -> Bool {
        guard start + prefix.count <= b.count else { return false }
        for k in prefix.indices {
            let c = b[start + k]
            if (isLetter(c) ? c | 0x20 : c) != prefix[k] { return false }
        }
        return true
    }
}
