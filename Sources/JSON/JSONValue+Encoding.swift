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
    ///
    /// Iterative: depth costs no native stack.
    public func replay<Sink: JSONSink>(into sink: inout Sink, options: JSONEncodingOptions = JSONEncodingOptions()) throws(JSONEncodingError) {
        var replayer = Replayer(sink: sink, options: options)
        defer { replayer.shapes.deallocate() }
        do throws(JSONError) {
            try replayer.run(self)
        } catch {
            throw JSONEncodingError(path: JSONPathComponent.render(replayer.path), message: error.message)
        }
        sink = replayer.sink
    }
}

/// The walk behind ``JSONValue/replay(into:options:)``: an explicit stack of open containers.
private struct Replayer<Sink: JSONSink> {
    var sink: Sink
    let options: JSONEncodingOptions
    var shapes = ShapeTrie()
    var path: [JSONPathComponent] = []
    var frames: [Frame] = []

    enum Contents {
        case array([JSONValue])
        case object([JSONObject.Member])
    }

    struct Frame {
        var contents: Contents
        var next = 0
        var shape: Int32 = 0
        var stepped: Bool
    }

    init(sink: Sink, options: JSONEncodingOptions) {
        self.sink = sink
        self.options = options
    }

    mutating func run(_ root: JSONValue) throws(JSONError) {
        try visit(root, stepped: false)
        while let frame = frames.last {
            let f = frames.count - 1
            switch frame.contents {
            case .array(let items):
                guard frame.next < items.count else {
                    try sink.endArray(count: items.count)
                    finish()
                    continue
                }
                frames[f].next += 1
                path.append(.index(frame.next))
                try visit(items[frame.next], stepped: true)
            case .object(let members):
                guard frame.next < members.count else {
                    try sink.endObject(count: members.count, shape: JSONShape(id: frame.shape))
                    finish()
                    continue
                }
                frames[f].next += 1
                let member = members[frame.next]
                var key = member.key
                var shape = frame.shape
                let failure = key.withUTF8 { raw -> JSONError? in
                    let bytes = UnsafeRawBufferPointer(raw)
                    if shape >= 0 {
                        switch shapes.step(from: shape, key: bytes) {
                        case .found(let id), .created(let id): shape = id
                        case .duplicate, .untracked: shape = -1
                        }
                    }
                    return attempt { () throws(JSONError) in try sink.key(bytes, shape: JSONShape(id: shape)) }
                }
                if let failure { throw failure }
                frames[f].shape = shape
                path.append(.key(member.key))
                try visit(member.value, stepped: true)
            }
        }
    }

    /// Pop the innermost container, and the path step that led to it.
    mutating func finish() {
        if frames.removeLast().stepped { path.removeLast() }
    }

    /// Write a scalar, or open a container (pushing a frame). A scalar's path step is dropped at once.
    mutating func visit(_ value: JSONValue, stepped: Bool) throws(JSONError) {
        switch value {
        case .array(let items):
            try checkDepth()
            try sink.beginArray()
            frames.append(Frame(contents: .array(items), stepped: stepped))
            return
        case .object(let object):
            try checkDepth()
            try sink.beginObject()
            var members = object.members
            if options.sortKeys { members.sort { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) } }
            frames.append(Frame(contents: .object(members), stepped: stepped))
            return
        case .null: try sink.null()
        case .bool(let b): try sink.bool(b)
        case .integer(let i): try sink.integer(i)
        case .double(let d):
            guard d.isFinite else { throw .unplaced(.invalidNumber, "\(d) cannot be written as JSON (NaN and infinities have no JSON form)") }
            try sink.double(d)
        case .number(let text):
            var utf8 = text
            let failure = utf8.withUTF8 { raw -> JSONError? in
                let bytes = UnsafeRawBufferPointer(raw)
                guard NumberText.isValid(bytes) else { return .unplaced(.invalidNumber, "\"\(text)\" is not a JSON number") }
                return attempt { () throws(JSONError) in try sink.number(text: bytes) }
            }
            if let failure { throw failure }
        case .string(var s):
            let failure = s.withUTF8 { raw in attempt { () throws(JSONError) in try sink.string(UnsafeRawBufferPointer(raw)) } }
            if let failure { throw failure }
        }
        if stepped { path.removeLast() }
    }

    func checkDepth() throws(JSONError) {
        guard frames.count < options.maxDepth else {
            throw .unplaced(.tooDeep, "containers nested more than \(options.maxDepth) deep")
        }
    }
}

/// Run `body`, returning its error instead of throwing it (for closures whose caller only rethrows untyped).
private func attempt(_ body: () throws(JSONError) -> Void) -> JSONError? {
    do throws(JSONError) {
        try body()
        return nil
    } catch {
        return error
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
