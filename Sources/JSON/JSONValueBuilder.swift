/// A ``JSONSink`` that builds a ``JSONValue`` tree.
///
/// Keys are made into Swift strings once per shape, so a list of objects
/// with the same keys shares their storage.
public struct JSONValueBuilder: JSONSink {
    @usableFromInline var values: [JSONValue] = []
    @usableFromInline var keys: [String] = []
    @usableFromInline var keyCache: [String?] = []

    public init() {}

    /// The value built, once a parse has finished.
    public var result: JSONValue { values.last ?? .null }

    @inlinable public mutating func beginObject() {}
    @inlinable public mutating func beginArray() {}

    @inlinable
    public mutating func key(_ bytes: UnsafeRawBufferPointer, shape: JSONShape) {
        guard !shape.isNone else { return keys.append(String(decoding: bytes, as: UTF8.self)) }
        let id = Int(shape.id)
        if id >= keyCache.count { keyCache.append(contentsOf: repeatElement(nil, count: id + 1 - keyCache.count)) }
        if let cached = keyCache[id] { return keys.append(cached) }
        let key = String(decoding: bytes, as: UTF8.self)
        keyCache[id] = key
        keys.append(key)
    }

    @inlinable
    public mutating func endObject(count: Int, shape: JSONShape) {
        var members: [JSONObject.Member] = []
        members.reserveCapacity(count)
        let firstKey = keys.count - count
        let firstValue = values.count - count
        for i in 0..<count {
            members.append(JSONObject.Member(key: keys[firstKey + i], value: values[firstValue + i]))
        }
        keys.removeLast(count)
        values.removeLast(count)
        values.append(.object(JSONObject(uniqueMembers: members)))
    }

    @inlinable
    public mutating func endArray(count: Int) {
        let items = Array(values[(values.count - count)...])
        values.removeLast(count)
        values.append(.array(items))
    }

    @inlinable public mutating func string(_ bytes: UnsafeRawBufferPointer) {
        values.append(.string(String(decoding: bytes, as: UTF8.self)))
    }
    @inlinable public mutating func integer(_ value: Int64) { values.append(.integer(value)) }
    @inlinable public mutating func double(_ value: Double) { values.append(.double(value)) }
    @inlinable public mutating func number(text: UnsafeRawBufferPointer) {
        values.append(.number(String(decoding: text, as: UTF8.self)))
    }
    @inlinable public mutating func bool(_ value: Bool) { values.append(.bool(value)) }
    @inlinable public mutating func null() { values.append(.null) }
}

extension JSONValue {
    /// The deepest tree the `JSONValue(parsing:)` initialisers build, whatever
    /// `maxDepth` asks for: Swift releases nested values recursively, and at
    /// this depth that takes about 2.5 MB of native stack. (Decoding into Lua
    /// has no such ceiling.)
    public static let maximumDepth = 10_000

    /// Parse a JSON text given as UTF-8 bytes.
    ///
    /// Nesting is limited by `options.maxDepth`, and never deeper than ``maximumDepth``.
    public init(parsing bytes: UnsafeRawBufferPointer, options: JSONDecodingOptions = JSONDecodingOptions()) throws(JSONError) {
        var builder = JSONValueBuilder()
        var options = options
        options.maxDepth = min(options.maxDepth, JSONValue.maximumDepth)
        try JSONParser.parse(bytes, into: &builder, options: options)
        self = builder.result
    }

    /// Parse a JSON text given as UTF-8 bytes.
    public init<Bytes: Sequence>(parsing bytes: Bytes, options: JSONDecodingOptions = JSONDecodingOptions()) throws(JSONError)
        where Bytes.Element == UInt8
    {
        var result: Result<JSONValue, JSONError> = .success(.null)
        let run = { (raw: UnsafeRawBufferPointer) in
            do throws(JSONError) { result = .success(try JSONValue(parsing: raw, options: options)) } catch { result = .failure(error) }
        }
        if bytes.withContiguousStorageIfAvailable({ run(UnsafeRawBufferPointer($0)) }) == nil {
            Array(bytes).withUnsafeBytes(run)
        }
        self = try result.get()
    }

    /// Parse a JSON text.
    public init(parsing text: String, options: JSONDecodingOptions = JSONDecodingOptions()) throws(JSONError) {
        var text = text
        var result: Result<JSONValue, JSONError> = .success(.null)
        text.withUTF8 { buffer in
            do throws(JSONError) { result = .success(try JSONValue(parsing: UnsafeRawBufferPointer(buffer), options: options)) } catch { result = .failure(error) }
        }
        self = try result.get()
    }
}
