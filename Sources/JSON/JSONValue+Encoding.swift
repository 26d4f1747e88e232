extension JSONValue {
    /// The value as JSON text (UTF-8 bytes).
    ///
    /// Fails for a `.double` that is NaN or infinite, a `.number` whose text
    /// is not a JSON number, or nesting deeper than `options.maxDepth`.
    public func encoded(options: JSONEncodingOptions = JSONEncodingOptions()) throws(JSONEncodingError) -> [UInt8] {
        var writer = JSONWriter(pretty: options.pretty)
        try replay(into: &writer, options: options)
        return writer.bytes
    }

    /// The value as JSON text.
    public func encodedString(options: JSONEncodingOptions = JSONEncodingOptions()) throws(JSONEncodingError) -> String {
        String(decoding: try encoded(options: options), as: UTF8.self)
    }

    /// Feed this value to `sink` as the parser would have (shapes included),
    /// checking what a parser would have refused: non-finite doubles, invalid
    /// number texts, nesting beyond `options.maxDepth`. With
    /// `options.sortKeys`, object members go in byte order of their keys.
    public func replay<Sink: JSONSink>(into sink: inout Sink, options: JSONEncodingOptions = JSONEncodingOptions()) throws(JSONEncodingError) {
        var shapes = ShapeTrie()
        defer { shapes.deallocate() }
        var path: [JSONPathComponent] = []
        do throws(JSONError) {
            try replay(self, into: &sink, options: options, shapes: &shapes, path: &path)
        } catch {
            throw JSONEncodingError(path: JSONPathComponent.render(path), message: error.message)
        }
    }

    private func replay<Sink: JSONSink>(_ value: JSONValue, into sink: inout Sink, options: JSONEncodingOptions,
                                        shapes: inout ShapeTrie, path: inout [JSONPathComponent]) throws(JSONError) {
        switch value {
        case .null: try sink.null()
        case .bool(let b): try sink.bool(b)
        case .integer(let i): try sink.integer(i)
        case .double(let d):
            guard d.isFinite else { throw .unplaced(.invalidNumber, "\(d) cannot be written as JSON (NaN and infinities have no JSON form)") }
            try sink.double(d)
        case .number(let text):
            var utf8 = text
            let failure = utf8.withUTF8 { (raw) -> JSONError? in
                let bytes = UnsafeRawBufferPointer(raw)
                guard NumberText.isValid(bytes) else { return .unplaced(.invalidNumber, "\"\(text)\" is not a JSON number") }
                return Self.attempt { () throws(JSONError) in try sink.number(text: bytes) }
            }
            if let failure { throw failure }
        case .string(var s):
            let failure = s.withUTF8 { raw in Self.attempt { () throws(JSONError) in try sink.string(UnsafeRawBufferPointer(raw)) } }
            if let failure { throw failure }
        case .array(let items):
            guard path.count < options.maxDepth else { throw .unplaced(.tooDeep, "containers nested more than \(options.maxDepth) deep") }
            try sink.beginArray()
            for (i, item) in items.enumerated() {
                path.append(.index(i))
                try replay(item, into: &sink, options: options, shapes: &shapes, path: &path)
                path.removeLast()
            }
            try sink.endArray(count: items.count)
        case .object(let object):
            guard path.count < options.maxDepth else { throw .unplaced(.tooDeep, "containers nested more than \(options.maxDepth) deep") }
            try sink.beginObject()
            var members = object.members
            if options.sortKeys { members.sort { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) } }
            var shape: Int32 = 0
            for member in members {
                var key = member.key
                let failure = key.withUTF8 { raw -> JSONError? in
                    let bytes = UnsafeRawBufferPointer(raw)
                    if shape >= 0 {
                        switch shapes.step(from: shape, key: bytes) {
                        case .found(let id), .created(let id): shape = id
                        case .duplicate, .untracked: shape = -1
                        }
                    }
                    return Self.attempt { () throws(JSONError) in try sink.key(bytes, shape: JSONShape(id: shape)) }
                }
                if let failure { throw failure }
                path.append(.key(member.key))
                try replay(member.value, into: &sink, options: options, shapes: &shapes, path: &path)
                path.removeLast()
            }
            try sink.endObject(count: members.count, shape: JSONShape(id: shape))
        }
    }
}

extension JSONValue {
    /// Run `body`, returning its error instead of throwing it (for closures whose caller only rethrows untyped).
    static func attempt(_ body: () throws(JSONError) -> Void) -> JSONError? {
        do throws(JSONError) {
            try body()
            return nil
        } catch {
            return error
        }
    }
}

/// One step of a path into a value, for error messages: `$.items[3].x`.
public enum JSONPathComponent: Sendable, Equatable {
    case key(String)
    case index(Int)

    /// `$`, then `.name` for identifier-like keys, `["odd key"]` for others, `[n]` for indices.
    public static func render(_ path: [JSONPathComponent]) -> String {
        var text = "$"
        for component in path {
            switch component {
            case .index(let i):
                text += "[\(i)]"
            case .key(let key):
                let isIdentifier = key.first.map { $0 == "_" || $0.isASCII && $0.isLetter } ?? false
                    && key.allSatisfy { $0 == "_" || $0.isASCII && ($0.isLetter || $0.isNumber) }
                if isIdentifier {
                    text += "." + key
                } else {
                    var quoted = JSONWriter()
                    var key = key
                    key.withUTF8 { quoted.string(UnsafeRawBufferPointer($0)) }
                    text += "[" + quoted.text + "]"
                }
            }
        }
        return text
    }
}
