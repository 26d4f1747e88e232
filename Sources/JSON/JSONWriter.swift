/// Writes JSON text: a ``JSONSink`` that prints what it receives.
///
/// Compact by default; with `pretty`, one member or element per line, two
/// spaces per level, `"key": value`, and empty containers as `[]` and `{}`.
/// Strings are escaped as RFC 8259 requires and no more: `"`, `\` and the
/// control characters U+0000–U+001F (`\b \f \n \r \t` short, others
/// `\u00XX`); `/` and non-ASCII are written as they are.
///
/// The writer trusts its input: strings must be valid UTF-8, doubles finite,
/// number texts valid. ``JSONValue`` encoding and the Lua encoder check first.
///
/// ```swift
/// var writer = JSONWriter(pretty: true)
/// try JSONParser.parse(input, into: &writer)   // reformat without a tree
/// let text = writer.text
/// ```
public struct JSONWriter: JSONSink {
    /// The text written so far.
    public private(set) var bytes: [UInt8] = []
    let pretty: Bool
    var depth = 0
    /// A value was written at this level, so the next one needs a comma.
    var needsComma = false
    /// A key was just written: the value goes on the same line, no comma.
    var afterKey = false

    public init(pretty: Bool = false, capacity: Int = 256) {
        self.pretty = pretty
        bytes.reserveCapacity(capacity)
    }

    /// The text written so far, as a String.
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// Comma, newline and indent as the position requires.
    mutating func separate() {
        if afterKey {
            afterKey = false
            return
        }
        if needsComma { bytes.append(UInt8(ascii: ",")) }
        if pretty && depth > 0 { newline() }
    }

    mutating func newline() {
        bytes.append(0x0A)
        for _ in 0..<depth { bytes.append(0x20); bytes.append(0x20) }
    }

    mutating func open(_ bracket: UInt8) {
        separate()
        bytes.append(bracket)
        depth += 1
        needsComma = false
    }

    mutating func close(_ bracket: UInt8) {
        depth -= 1
        if pretty && needsComma { newline() }
        bytes.append(bracket)
        needsComma = true
    }

    public mutating func beginObject() { open(UInt8(ascii: "{")) }
    public mutating func endObject(count: Int, shape: JSONShape) { close(UInt8(ascii: "}")) }
    public mutating func beginArray() { open(UInt8(ascii: "[")) }
    public mutating func endArray(count: Int) { close(UInt8(ascii: "]")) }

    public mutating func key(_ key: UnsafeRawBufferPointer, shape: JSONShape) {
        separate()
        writeQuoted(key)
        bytes.append(UInt8(ascii: ":"))
        if pretty { bytes.append(0x20) }
        afterKey = true
    }

    public mutating func string(_ value: UnsafeRawBufferPointer) {
        separate()
        writeQuoted(value)
        needsComma = true
    }

    public mutating func integer(_ value: Int64) {
        separate()
        writeInteger(value)
        needsComma = true
    }

    /// A finite double in its shortest round-trip form, always with a `.` or an exponent.
    public mutating func double(_ value: Double) {
        separate()
        bytes.append(contentsOf: NumberText.shortest(value).utf8)
        needsComma = true
    }

    public mutating func number(text: UnsafeRawBufferPointer) {
        separate()
        bytes.append(contentsOf: text)
        needsComma = true
    }

    public mutating func bool(_ value: Bool) {
        separate()
        bytes.append(contentsOf: value ? "true".utf8 : "false".utf8)
        needsComma = true
    }

    public mutating func null() {
        separate()
        bytes.append(contentsOf: "null".utf8)
        needsComma = true
    }

    @usableFromInline
    mutating func writeInteger(_ value: Int64) {
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0) // 24 bytes of room
        let magnitude = value.magnitude
        withUnsafeMutableBytes(of: &digits) { room in
            var m = magnitude
            var i = room.count
            repeat {
                i -= 1
                room[i] = UInt8(truncatingIfNeeded: m % 10) + 0x30
                m /= 10
            } while m != 0
            if value < 0 { bytes.append(UInt8(ascii: "-")) }
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: room[i...]))
        }
    }

    /// `"..."` with the escapes RFC 8259 requires.
    @usableFromInline
    mutating func writeQuoted(_ value: UnsafeRawBufferPointer) {
        bytes.append(UInt8(ascii: "\""))
        var runStart = 0
        for (i, c) in value.enumerated() where c < 0x20 || c == UInt8(ascii: "\"") || c == UInt8(ascii: "\\") {
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: value[runStart..<i]))
            runStart = i + 1
            bytes.append(UInt8(ascii: "\\"))
            switch c {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(c)
            case 0x08: bytes.append(UInt8(ascii: "b"))
            case 0x0C: bytes.append(UInt8(ascii: "f"))
            case 0x0A: bytes.append(UInt8(ascii: "n"))
            case 0x0D: bytes.append(UInt8(ascii: "r"))
            case 0x09: bytes.append(UInt8(ascii: "t"))
            default:
                let hex: [UInt8] = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: "u00".utf8)
                bytes.append(hex[Int(c >> 4)])
                bytes.append(hex[Int(c & 0xF)])
            }
        }
        bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: value[runStart...]))
        bytes.append(UInt8(ascii: "\""))
    }
}
