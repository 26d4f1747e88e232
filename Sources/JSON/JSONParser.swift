/// The JSON parser: reads UTF-8 bytes and drives a ``JSONSink``.
///
/// ```swift
/// var builder = JSONValueBuilder()
/// try bytes.withUnsafeBytes { try JSONParser.parse($0, into: &builder) }
/// let value = builder.result
/// ```
///
/// What it accepts is RFC 8259 exactly, with these choices where the RFC
/// leaves room: duplicate keys are an error, nesting is limited
/// (``JSONDecodingOptions/maxDepth``), invalid UTF-8 anywhere is an error,
/// lone surrogate escapes are an error, a byte order mark is an error.
public enum JSONParser {
    /// Parse one JSON text (surrounding whitespace allowed, nothing else) into `sink`.
    @inlinable
    public static func parse<Sink: JSONSink>(
        _ input: UnsafeRawBufferPointer, into sink: inout Sink,
        options: JSONDecodingOptions = JSONDecodingOptions()
    ) throws(JSONError) {
        guard let base = input.baseAddress, input.count > 0 else {
            throw JSONError(reason: .unexpectedEnd, message: "expected a value, found an empty text",
                            offset: 0, line: 1, column: 1)
        }
        var core = JSONParserCore(
            scanner: JSONScanner(start: base.assumingMemoryBound(to: UInt8.self), count: input.count,
                                 maxDepth: options.maxDepth),
            sink: sink)
        defer { core.scanner.deallocate() }
        do throws(JSONError) {
            try core.parseDocument()
        } catch {
            sink = core.sink
            if error.offset < 0 { throw error.placed(at: core.scanner.p - core.scanner.start, in: input) }
            throw error
        }
        sink = core.sink
    }
}

/// The parse loop, specialised per sink.
@usableFromInline
struct JSONParserCore<Sink: JSONSink> {
    @usableFromInline var scanner: JSONScanner
    @usableFromInline var sink: Sink

    @inlinable
    init(scanner: JSONScanner, sink: Sink) {
        self.scanner = scanner
        self.sink = sink
    }

    /// One value, then only whitespace.
    @inlinable
    mutating func parseDocument() throws(JSONError) {
        try parseValue()
        scanner.skipWhitespace()
        if scanner.p != scanner.end { throw scanner.trailingData() }
    }

    /// Parse one complete value at the cursor.
    ///
    /// Iterative, not recursive: a container pushes a frame and the loop goes
    /// on with its first element, so depth costs no native stack.
    @inlinable
    mutating func parseValue() throws(JSONError) {
        value: while true {
            scanner.skipWhitespace()
            guard scanner.p < scanner.end else { throw scanner.expectedValue() }
            switch scanner.p.pointee {
            case UInt8(ascii: "\""):
                scanner.p += 1
                try sink.string(try scanner.scanString())
            case UInt8(ascii: "{"):
                try scanner.open(isObject: true)
                try sink.beginObject()
                scanner.p += 1
                scanner.skipWhitespace()
                if scanner.p < scanner.end && scanner.p.pointee == UInt8(ascii: "}") {
                    scanner.p += 1
                    _ = scanner.close()
                    try sink.endObject(count: 0, shape: .empty)
                } else {
                    try member(first: true)
                    continue value
                }
            case UInt8(ascii: "["):
                try scanner.open(isObject: false)
                try sink.beginArray()
                scanner.p += 1
                scanner.skipWhitespace()
                if scanner.p < scanner.end && scanner.p.pointee == UInt8(ascii: "]") {
                    scanner.p += 1
                    _ = scanner.close()
                    try sink.endArray(count: 0)
                } else {
                    scanner.frames.last.count = 1
                    continue value
                }
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                switch try scanner.scanNumber() {
                case .integer(let v): try sink.integer(v)
                case .double(let v): try sink.double(v)
                case .text(let t): try sink.number(text: t)
                }
            case UInt8(ascii: "t"):
                try literal(0x65_75_72_74, length: 4) // "true"
                try sink.bool(true)
            case UInt8(ascii: "f"):
                guard scanner.end - scanner.p >= 5, scanner.p[4] == UInt8(ascii: "e") else { throw scanner.expectedValue() }
                try literal(0x73_6C_61_66, length: 5) // "fals", then the "e" checked above
                try sink.bool(false)
            case UInt8(ascii: "n"):
                try literal(0x6C_6C_75_6E, length: 4) // "null"
                try sink.null()
            default:
                throw scanner.expectedValue()
            }

            // After a value: close finished containers, or move on to the next element.
            while scanner.frames.count > 0 {
                scanner.skipWhitespace()
                guard scanner.p < scanner.end else {
                    throw scanner.expected(scanner.frames.last.isObject
                        ? "',' or '}' after an object member" : "',' or ']' after an array element")
                }
                let c = scanner.p.pointee
                if scanner.frames.last.isObject {
                    if c == UInt8(ascii: ",") {
                        scanner.p += 1
                        scanner.skipWhitespace()
                        try member(first: false)
                        continue value
                    }
                    guard c == UInt8(ascii: "}") else { throw scanner.expected("',' or '}' after an object member") }
                    scanner.p += 1
                    let frame = scanner.close()
                    try sink.endObject(count: frame.count, shape: JSONShape(id: frame.shape))
                } else {
                    if c == UInt8(ascii: ",") {
                        scanner.p += 1
                        scanner.frames.last.count += 1
                        continue value
                    }
                    guard c == UInt8(ascii: "]") else { throw scanner.expected("',' or ']' after an array element") }
                    scanner.p += 1
                    let frame = scanner.close()
                    try sink.endArray(count: frame.count)
                }
            }
            return
        }
    }

    /// A key and its colon; the value follows.
    @inlinable @inline(__always)
    mutating func member(first: Bool) throws(JSONError) {
        let (key, shape) = try scanner.objectKey(first: first)
        try sink.key(key, shape: shape)
        try scanner.colon()
    }

    /// The four bytes of `word` (little-endian) at the cursor, then skip `length` bytes.
    @inlinable @inline(__always)
    mutating func literal(_ word: UInt32, length: Int) throws(JSONError) {
        guard scanner.end - scanner.p >= 4,
              UnsafeRawPointer(scanner.p).loadUnaligned(as: UInt32.self) == UInt32(littleEndian: word)
        else { throw scanner.expectedValue() }
        scanner.p += length
    }
}
