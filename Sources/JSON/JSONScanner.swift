/// The parser's state that does not depend on the sink: the cursor, the
/// container stack, the scratch buffer for escaped strings, and the shapes.
///
/// Hot paths are `@inlinable` so that a sink in another module gets one
/// specialised parser with everything inlined; rare paths (escapes, unusual
/// numbers, errors) are ordinary functions compiled once here.
@usableFromInline
struct JSONScanner {
    @usableFromInline
    struct Frame: BitwiseCopyable {
        @usableFromInline var isObject: Bool
        @usableFromInline var count: Int
        /// The shape reached so far (objects), or -1 once untracked.
        @usableFromInline var shape: Int32
        /// For untracked objects, the index of their key set in `untrackedKeys`.
        @usableFromInline var keySet: Int32

        @inlinable
        init(isObject: Bool) {
            self.isObject = isObject
            self.count = 0
            self.shape = 0
            self.keySet = -1
        }
    }

    @usableFromInline let start: UnsafePointer<UInt8>
    @usableFromInline let end: UnsafePointer<UInt8>
    @usableFromInline var p: UnsafePointer<UInt8>
    @usableFromInline let maxDepth: Int
    @usableFromInline var frames: RawVector<Frame>
    @usableFromInline var scratch: RawVector<UInt8>
    @usableFromInline var shapes: ShapeTrie
    /// Keys of objects the trie stopped tracking, for duplicate detection.
    @usableFromInline var untrackedKeys: [Set<[UInt8]>] = []

    @inlinable
    init(start: UnsafePointer<UInt8>, count: Int, maxDepth: Int) {
        self.start = start
        self.end = start + count
        self.p = start
        self.maxDepth = maxDepth
        self.frames = RawVector(capacity: 16)
        self.scratch = RawVector(capacity: 256)
        self.shapes = ShapeTrie()
    }

    @inlinable
    func deallocate() {
        frames.deallocate()
        scratch.deallocate()
        shapes.deallocate()
    }

    @inlinable
    var input: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: start, count: end - start) }

    // MARK: Whitespace and punctuation

    @inlinable @inline(__always)
    mutating func skipWhitespace() {
        while p < end {
            let c = p.pointee
            guard c <= 0x20, c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 else { return }
            p += 1
        }
    }

    /// Consume `:` (after optional whitespace) following an object key.
    @inlinable @inline(__always)
    mutating func colon() throws(JSONError) {
        if p < end && p.pointee == UInt8(ascii: ":") {
            p += 1
            return
        }
        skipWhitespace()
        guard p < end, p.pointee == UInt8(ascii: ":") else { throw expected("':' after an object key") }
        p += 1
    }

    /// Push a container frame, refusing to go deeper than `maxDepth`.
    @inlinable @inline(__always)
    mutating func open(isObject: Bool) throws(JSONError) {
        if frames.count >= maxDepth { throw tooDeep() }
        frames.append(Frame(isObject: isObject))
    }

    /// Pop the innermost frame, forgetting its key set if it had one.
    @inlinable @inline(__always)
    mutating func close() -> Frame {
        let frame = frames.removeLast()
        if frame.keySet >= 0 { untrackedKeys.removeLast() }
        return frame
    }

    // MARK: Strings

    /// Scan a string whose opening quote is just before `p`; on return `p` is past the closing quote.
    ///
    /// The result points into the input when the string has no escapes, else
    /// into `scratch`; either way it is valid until the next string is scanned.
    @inlinable @inline(__always)
    mutating func scanString() throws(JSONError) -> UnsafeRawBufferPointer {
        let first = p
        while true {
            while end - p >= 8 {
                let mask = Self.specialBytes(UnsafeRawPointer(p).loadUnaligned(as: UInt64.self))
                if mask != 0 {
                    p += mask.trailingZeroBitCount >> 3
                    break
                }
                p += 8
            }
            guard p < end else { throw unterminatedString(from: first) }
            let c = p.pointee
            if c == UInt8(ascii: "\"") {
                let result = UnsafeRawBufferPointer(start: first, count: p - first)
                p += 1
                return result
            }
            if c == UInt8(ascii: "\\") { return try scanEscapedString(from: first) }
            if c < 0x20 { throw controlCharacter() }
            if c >= 0x80 {
                let n = UTF8Check.sequenceLength(at: p, end: end)
                if n == 0 { throw invalidUTF8() }
                p += n
            } else {
                p += 1
            }
        }
    }

    /// A mask with the high bit set in each byte of `w` that is `"`, `\`, below 0x20 or
    /// at least 0x80. Only the lowest flagged byte is exact, which is all the scanner uses.
    @inlinable @inline(__always)
    static func specialBytes(_ w: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let quote = w ^ (ones &* 0x22)
        let backslash = w ^ (ones &* 0x5C)
        let control = (w &- ones &* 0x20) & ~w
        let isQuote = (quote &- ones) & ~quote
        let isBackslash = (backslash &- ones) & ~backslash
        return (w | control | isQuote | isBackslash) & highs
    }

    /// The rest of a string that has escapes: decode it into `scratch`.
    @usableFromInline
    mutating func scanEscapedString(from first: UnsafePointer<UInt8>) throws(JSONError) -> UnsafeRawBufferPointer {
        scratch.count = 0
        scratch.append(first, count: p - first)
        while true {
            guard p < end else { throw unterminatedString(from: first) }
            let c = p.pointee
            switch c {
            case UInt8(ascii: "\""):
                p += 1
                return UnsafeRawBufferPointer(start: scratch.base, count: scratch.count)
            case UInt8(ascii: "\\"):
                try decodeEscape(inStringFrom: first)
            case 0..<0x20:
                throw controlCharacter()
            case 0x80...:
                let n = UTF8Check.sequenceLength(at: p, end: end)
                if n == 0 { throw invalidUTF8() }
                scratch.append(p, count: n)
                p += n
            default:
                scratch.append(c)
                p += 1
            }
        }
    }

    /// Decode the escape at `p` (a backslash) into `scratch`; the string's
    /// contents start at `first` (for the message when the text ends inside it).
    @usableFromInline
    mutating func decodeEscape(inStringFrom first: UnsafePointer<UInt8>) throws(JSONError) {
        let backslash = p
        guard end - p >= 2 else { throw unterminatedString(from: first) }
        let c = p[1]
        p += 2
        switch c {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scratch.append(c)
        case UInt8(ascii: "b"): scratch.append(0x08)
        case UInt8(ascii: "f"): scratch.append(0x0C)
        case UInt8(ascii: "n"): scratch.append(0x0A)
        case UInt8(ascii: "r"): scratch.append(0x0D)
        case UInt8(ascii: "t"): scratch.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try hexQuad(escapeAt: backslash, inStringFrom: first)
            if scalar >= 0xDC00 && scalar <= 0xDFFF {
                throw fail(.invalidSurrogate, "lone low surrogate \(Self.escapeText(scalar)) with no high surrogate before it", at: backslash)
            }
            if scalar >= 0xD800 && scalar <= 0xDBFF {
                guard end - p >= 2, p[0] == UInt8(ascii: "\\"), p[1] == UInt8(ascii: "u") else {
                    throw fail(.invalidSurrogate, "lone high surrogate \(Self.escapeText(scalar)): it must be followed by a low surrogate escape \\uDC00-\\uDFFF", at: backslash)
                }
                let second = p
                p += 2
                let low = try hexQuad(escapeAt: second, inStringFrom: first)
                guard low >= 0xDC00 && low <= 0xDFFF else {
                    throw fail(.invalidSurrogate, "high surrogate \(Self.escapeText(scalar)) followed by \(Self.escapeText(low)), which is not a low surrogate", at: backslash)
                }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            }
            appendUTF8(scalar)
        default:
            p = backslash
            throw fail(.invalidString, "invalid escape \(Self.describe(byte: c, quoted: "'\\", "'")) in a string; the escapes are \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX", at: backslash)
        }
    }

    /// Four hex digits at `p` (after `\u`), in the string whose contents start at `first`.
    @usableFromInline
    mutating func hexQuad(escapeAt backslash: UnsafePointer<UInt8>, inStringFrom first: UnsafePointer<UInt8>) throws(JSONError) -> UInt32 {
        var value: UInt32 = 0
        for i in 0..<4 {
            guard p + i < end else { throw unterminatedString(from: first) }
            let c = p[i]
            let digit: UInt8
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = c - UInt8(ascii: "A") + 10
            default: throw fail(.invalidString, "expected four hex digits after '\\u'", at: backslash)
            }
            value = value << 4 | UInt32(digit)
        }
        p += 4
        return value
    }

    @usableFromInline
    mutating func appendUTF8(_ scalar: UInt32) {
        switch scalar {
        case 0..<0x80:
            scratch.append(UInt8(scalar))
        case 0x80..<0x800:
            scratch.append(UInt8(0xC0 | scalar >> 6))
            scratch.append(UInt8(0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            scratch.append(UInt8(0xE0 | scalar >> 12))
            scratch.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            scratch.append(UInt8(0x80 | scalar & 0x3F))
        default:
            scratch.append(UInt8(0xF0 | scalar >> 18))
            scratch.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            scratch.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            scratch.append(UInt8(0x80 | scalar & 0x3F))
        }
    }

    // MARK: Keys

    /// Read an object key at `p` (which must be a quote) into the innermost frame,
    /// returning its bytes and the shape it leads to.
    ///
    /// The fast path compares the input directly with the key that followed the
    /// same shape last time: no scan for the closing quote, no hashing.
    @inlinable @inline(__always)
    mutating func objectKey(first: Bool) throws(JSONError) -> (UnsafeRawBufferPointer, JSONShape) {
        guard p < end, p.pointee == UInt8(ascii: "\"") else { throw expectedKey(first: first) }
        let quote = p
        p += 1
        let f = frames.count - 1
        frames.base[f].count += 1
        let cursor = frames.base[f].shape
        if cursor >= 0 {
            let hint = shapes.nodes[Int(cursor)].lastChild
            if hint >= 0 {
                let node = shapes.nodes[Int(hint)]
                let n = Int(node.keyLength)
                if node.plain, end - p > n, p[n] == UInt8(ascii: "\""),
                   bytesEqual(p, shapes.arena.base + Int(node.keyStart), count: n) {
                    let bytes = UnsafeRawBufferPointer(start: p, count: n)
                    p += n + 1
                    frames.base[f].shape = hint
                    return (bytes, JSONShape(id: hint))
                }
            }
        }
        let bytes = try scanString()
        return (bytes, try trackKey(bytes, frame: f, quote: quote))
    }

    /// Find or create the shape for `key` after the frame's current one, or
    /// check it against the frame's key set once the object is untracked.
    @usableFromInline
    mutating func trackKey(_ key: UnsafeRawBufferPointer, frame f: Int, quote: UnsafePointer<UInt8>) throws(JSONError) -> JSONShape {
        let cursor = frames[f].shape
        if cursor >= 0 {
            switch shapes.step(from: cursor, key: key) {
            case .found(let id), .created(let id):
                frames.base[f].shape = id
                return JSONShape(id: id)
            case .duplicate:
                throw duplicateKey(key, at: quote)
            case .untracked:
                frames.base[f].shape = -1
                frames.base[f].keySet = Int32(untrackedKeys.count)
                untrackedKeys.append(Set(shapes.keys(to: cursor)))
            }
        }
        if !untrackedKeys[Int(frames[f].keySet)].insert(Array(key)).inserted {
            throw duplicateKey(key, at: quote)
        }
        return .none
    }

    // MARK: Numbers

    /// A number as the scanner read it.
    @usableFromInline
    enum Number {
        case integer(Int64)
        case double(Double)
        case text(UnsafeRawBufferPointer)
    }

    /// Scan the number at `p` (a '-' or a digit).
    ///
    /// Integers that fit stay `Int64`. A float with at most 15 significant
    /// digits and a power of ten up to 22 is computed exactly with one IEEE
    /// multiplication or division (Clinger's fast path); other floats go
    /// through the standard library's conversion and, when their text might
    /// not survive the trip through `Double`, a round-trip check.
    @inlinable @inline(__always)
    mutating func scanNumber() throws(JSONError) -> Number {
        let numberStart = p
        var negative = false
        if p.pointee == UInt8(ascii: "-") {
            negative = true
            p += 1
            guard p < end, p.pointee &- 0x30 <= 9 else { throw invalidNumber(at: numberStart) }
        }
        var mantissa: UInt64 = 0
        let integerStart = p
        if p.pointee == UInt8(ascii: "0") {
            p += 1
            if p < end, p.pointee &- 0x30 <= 9 {
                throw fail(.invalidNumber, "leading zeros are not allowed in numbers", at: numberStart)
            }
        } else {
            while p < end {
                let d = p.pointee &- 0x30
                if d > 9 { break }
                mantissa = mantissa &* 10 &+ UInt64(d)
                p += 1
            }
        }
        let integerDigits = p - integerStart
        if p == end || (p.pointee != UInt8(ascii: ".") && p.pointee | 0x20 != UInt8(ascii: "e")) {
            if integerDigits < 19 {
                let value = Int64(mantissa)
                return .integer(negative ? -value : value)
            }
            return integerOrText(mantissa, negative: negative, digits: integerDigits, from: numberStart)
        }

        // A float. Significant digits go into `mantissa` (19 at most), the
        // rest only mark the text as needing the exact check.
        var significant = mantissa == 0 ? 0 : integerDigits
        var exponent = 0
        var truncated = false
        if integerDigits > 19 {
            // The mantissa overflowed: finish checking the grammar, then convert the text.
            truncated = true
            significant = 19
        }
        if p.pointee == UInt8(ascii: ".") {
            p += 1
            let fractionStart = p
            while p < end {
                let d = p.pointee &- 0x30
                if d > 9 { break }
                if significant < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(d)
                    if mantissa != 0 { significant += 1 }
                    exponent -= 1
                } else if d != 0 {
                    truncated = true
                }
                p += 1
            }
            if p == fractionStart { throw fail(.invalidNumber, "expected a digit after the decimal point", at: p) }
        }
        if p < end, p.pointee | 0x20 == UInt8(ascii: "e") {
            p += 1
            var exponentNegative = false
            if p < end, p.pointee == UInt8(ascii: "+") || p.pointee == UInt8(ascii: "-") {
                exponentNegative = p.pointee == UInt8(ascii: "-")
                p += 1
            }
            let digitsStart = p
            var value = 0
            while p < end {
                let d = p.pointee &- 0x30
                if d > 9 { break }
                if value < 100_000 { value = value * 10 + Int(d) }
                p += 1
            }
            if p == digitsStart { throw fail(.invalidNumber, "expected a digit in the exponent", at: p) }
            exponent += exponentNegative ? -value : value
        }
        if !truncated && significant <= 15 && exponent >= -22 && exponent <= 22 {
            var value = Double(mantissa)
            if exponent < 0 {
                value /= Self.powerOfTen(-exponent)
            } else if exponent > 0 {
                value *= Self.powerOfTen(exponent)
            }
            return .double(negative ? -value : value)
        }
        return slowDouble(from: numberStart)
    }

    /// 10^n for 0 ≤ n ≤ 22, each exactly representable as a Double.
    @inlinable @inline(__always)
    static func powerOfTen(_ n: Int) -> Double {
        var value = 1.0
        var base = 10.0
        var e = n
        while e > 0 {
            if e & 1 != 0 { value *= base }
            base *= base
            e >>= 1
        }
        return value
    }

    /// A 19-or-more-digit integer: `Int64` when it fits, else its exact text.
    @usableFromInline
    func integerOrText(_ mantissa: UInt64, negative: Bool, digits: Int, from numberStart: UnsafePointer<UInt8>) -> Number {
        if digits == 19 {
            if !negative && mantissa <= UInt64(Int64.max) { return .integer(Int64(mantissa)) }
            if negative && mantissa <= UInt64(Int64.max) + 1 { return .integer(Int64(bitPattern: 0 &- mantissa)) }
        }
        return .text(UnsafeRawBufferPointer(start: numberStart, count: p - numberStart))
    }

    /// The float whose text runs from `numberStart` to `p`: a Double when the
    /// text survives the round trip, else the text itself.
    @usableFromInline
    func slowDouble(from numberStart: UnsafePointer<UInt8>) -> Number {
        let text = UnsafeRawBufferPointer(start: numberStart, count: p - numberStart)
        if let value = NumberText.exactDouble(text) { return .double(value) }
        return .text(text)
    }

    // MARK: Errors

    /// An error at `at`, with its line and column.
    @usableFromInline
    func fail(_ reason: JSONError.Reason, _ message: String, at position: UnsafePointer<UInt8>) -> JSONError {
        JSONError.unplaced(reason, message).placed(at: position - start, in: input)
    }

    /// "expected X" at `p`, saying what was found instead.
    @usableFromInline
    func expected(_ what: String) -> JSONError {
        if p >= end { return fail(.unexpectedEnd, "unexpected end of text; expected \(what)", at: p) }
        return fail(.syntax, "expected \(what), found \(Self.describe(byte: p.pointee))", at: p)
    }

    /// The error for something other than a key where a key must be.
    @usableFromInline
    func expectedKey(first: Bool) -> JSONError {
        if !first && p < end && p.pointee == UInt8(ascii: "}") {
            return fail(.syntax, "expected a string key after ',', found '}' (trailing commas are not allowed)", at: p)
        }
        return expected(first ? "a string key or '}' after '{'" : "a string key after ','")
    }

    /// The error for a byte that cannot start a value.
    @usableFromInline
    func expectedValue() -> JSONError {
        if p >= end {
            return fail(.unexpectedEnd, start == end ? "expected a value, found an empty text" : "unexpected end of text; expected a value", at: p)
        }
        let c = p.pointee
        if c == UInt8(ascii: "+") { return fail(.invalidNumber, "a number cannot start with '+'", at: p) }
        if c == UInt8(ascii: ".") { return fail(.invalidNumber, "a number needs a digit before the decimal point", at: p) }
        if hasPrefix("NaN") || hasPrefix("Infinity") { return invalidNumber(at: p) }
        if c == 0xEF && p == start && end - p >= 3 && p[1] == 0xBB && p[2] == 0xBF {
            return fail(.syntax, "a byte order mark (U+FEFF) is not allowed at the start of a JSON text", at: p)
        }
        if c == UInt8(ascii: "]") || c == UInt8(ascii: "}") {
            var q = p
            while q > start {
                q -= 1
                let b = q.pointee
                if b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 { continue }
                if b == UInt8(ascii: ",") {
                    return fail(.syntax, "expected a value after ',', found \(Self.describe(byte: c)) (trailing commas are not allowed)", at: p)
                }
                break
            }
        }
        if c == UInt8(ascii: "t") || c == UInt8(ascii: "f") || c == UInt8(ascii: "n") {
            return fail(.syntax, "invalid literal; expected true, false or null", at: p)
        }
        return fail(.syntax, "expected a value, found \(Self.describe(byte: c))", at: p)
    }

    /// The error for a number that breaks the grammar where it starts (`-x`, `-Infinity`).
    @usableFromInline
    func invalidNumber(at numberStart: UnsafePointer<UInt8>) -> JSONError {
        var q = numberStart
        if q < end && q.pointee == UInt8(ascii: "-") { q += 1 }
        let rest = UnsafeRawBufferPointer(start: q, count: end - q)
        if rest.starts(with: "NaN".utf8) || rest.starts(with: "Infinity".utf8) {
            return fail(.invalidNumber, "NaN and Infinity are not valid JSON numbers", at: numberStart)
        }
        let found = q < end ? Self.describe(byte: q.pointee) : "the end of the text"
        return fail(.invalidNumber, "expected a digit after '-', found \(found)", at: q)
    }

    @usableFromInline
    func hasPrefix(_ word: String) -> Bool {
        UnsafeRawBufferPointer(start: p, count: end - p).starts(with: word.utf8)
    }

    @usableFromInline
    func tooDeep() -> JSONError {
        fail(.tooDeep, "containers nested more than \(maxDepth) deep", at: p)
    }

    @usableFromInline
    func trailingData() -> JSONError {
        fail(.trailingData, "unexpected \(Self.describe(byte: p.pointee)) after the end of the JSON value", at: p)
    }

    /// The text ended inside the string whose contents start at `first` (just after its opening quote).
    @usableFromInline
    func unterminatedString(from first: UnsafePointer<UInt8>) -> JSONError {
        let opening = JSONError.unplaced(.unexpectedEnd, "").placed(at: first - 1 - start, in: input)
        return fail(.unexpectedEnd, "unexpected end of text inside a string (it starts at line \(opening.line), column \(opening.column))", at: end)
    }

    @usableFromInline
    func controlCharacter() -> JSONError {
        let c = p.pointee
        let short: [UInt8: String] = [0x08: "\\b", 0x09: "\\t", 0x0A: "\\n", 0x0C: "\\f", 0x0D: "\\r"]
        let advice = short[c].map { "write it as \($0)" } ?? "write it as \(Self.escapeText(UInt32(c)))"
        return fail(.invalidString, "unescaped control character U+\(Self.hex(UInt32(c), width: 4)) in a string (\(advice))", at: p)
    }

    @usableFromInline
    func invalidUTF8() -> JSONError {
        fail(.invalidUTF8, "invalid UTF-8: byte 0x\(Self.hex(UInt32(p.pointee), width: 2)) does not start a valid sequence", at: p)
    }

    @usableFromInline
    func duplicateKey(_ key: UnsafeRawBufferPointer, at quote: UnsafePointer<UInt8>) -> JSONError {
        let name = String(decoding: key, as: UTF8.self)
        return fail(.duplicateKey(name), "duplicate key \(Self.shown(key: name)) in an object", at: quote)
    }

    /// A key as messages show it (``JSONWriter/messageQuoted(_:limit:)``).
    @usableFromInline
    static func shown(key: String) -> String { JSONWriter.messageQuoted(key) }

    /// A byte as messages show it: `'x'` for printable ASCII, `byte 0x0A` otherwise.
    @usableFromInline
    static func describe(byte c: UInt8, quoted open: String = "'", _ close: String = "'") -> String {
        if c >= 0x21 && c < 0x7F { return open + String(UnicodeScalar(c)) + close }
        if c == 0x20 { return "a space" }
        return "byte 0x" + hex(UInt32(c), width: 2)
    }

    @usableFromInline
    static func hex(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    @usableFromInline
    static func escapeText(_ scalar: UInt32) -> String { "\\u" + hex(scalar, width: 4) }
}

extension JSONWriter {
    /// `text` as an error message shows it: a JSON string, so that a newline
    /// or a quote in it cannot break the one-line message, cut short after
    /// `limit` characters (`"abc…"`).
    public static func messageQuoted(_ text: String, limit: Int = 40) -> String {
        var kept = text.unicodeScalars.count > limit ? String(String.UnicodeScalarView(text.unicodeScalars.prefix(limit))) : text
        var writer = JSONWriter()
        kept.withUTF8 { writer.string(UnsafeRawBufferPointer($0)) }
        let written = separatorsEscaped(writer.text)
        return kept.unicodeScalars.count < text.unicodeScalars.count ? String(written.dropLast()) + "…\"" : written
    }

    /// `text` with U+2028 and U+2029 written as `\u2028` and `\u2029`: JSON
    /// leaves them raw, but they break a line wherever the message is shown.
    public static func separatorsEscaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0.value == 0x2028 || $0.value == 0x2029 }) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar.value == 0x2028 || scalar.value == 0x2029 {
                out.append(contentsOf: (scalar.value == 0x2028 ? "\\u2028" : "\\u2029").unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }
}
