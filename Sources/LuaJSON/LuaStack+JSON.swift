import CLuaShim
import JSON
import LuaKit

extension LuaStack {
    /// Decode a JSON text straight into Lua values and push the result (one slot).
    ///
    /// Objects become tables with a shared per-shape metatable recording key
    /// order, arrays get the `json.array` metatable, null is `json.null`
    /// (a NULL light userdata), numbers that do not fit `Int64`/`Double`
    /// exactly become `json.number` boxes. On error nothing is pushed.
    ///
    /// ```swift
    /// try body.withUnsafeBytes { try stack.pushJSON(decoding: $0) }
    /// ```
    public func pushJSON(decoding bytes: UnsafeRawBufferPointer,
                         options: JSONDecodingOptions = JSONDecodingOptions()) throws(JSONError) {
        let saved = top
        guard ensure(decodeSlots) else {
            throw JSONError(reason: .tooLarge, message: "the Lua stack is full", offset: 0, line: 1, column: 1)
        }
        LuaJSON.registerMetatables(on: self)
        var sink = LuaTableSink.prepare(on: L)
        do throws(JSONError) {
            try JSONParser.parse(bytes, into: &sink, options: options)
        } catch {
            top = saved
            throw error
        }
        lua_copy(L, -1, saved + 1)
        top = saved + 1
    }

    /// Push a ``JSONValue`` as `json.decode` would have made it (same metatables, boxes and null).
    public func push(json value: JSONValue) throws(JSONEncodingError) {
        let saved = top
        guard ensure(decodeSlots) else {
            throw JSONEncodingError(path: "$", message: "the Lua stack is full")
        }
        LuaJSON.registerMetatables(on: self)
        var sink = LuaTableSink.prepare(on: L)
        do throws(JSONEncodingError) {
            try value.replay(into: &sink)
        } catch {
            top = saved
            throw error
        }
        lua_copy(L, -1, saved + 1)
        top = saved + 1
    }

    /// Read the Lua value at `idx` as a ``JSONValue``, by the rules of `json.encode`.
    ///
    /// Errors name the path of the offending value: `value at $.items[3].x: cannot encode a function`
    /// (indices are Lua's, from 1).
    public func jsonValue(at idx: Int32, options: JSONEncodingOptions = JSONEncodingOptions()) throws(JSONEncodingError) -> JSONValue {
        try walk(at: idx, into: JSONValueBuilder(), options: options).result
    }

    /// Encode the Lua value at `idx` as JSON text, by the rules of `json.encode`.
    public func encodeJSON(at idx: Int32, options: JSONEncodingOptions = JSONEncodingOptions()) throws(JSONEncodingError) -> [UInt8] {
        try walk(at: idx, into: JSONWriter(pretty: options.pretty, capacity: 1024), options: options).bytes
    }

    private func walk<Sink: JSONSink>(at idx: Int32, into sink: Sink, options: JSONEncodingOptions) throws(JSONEncodingError) -> Sink {
        let target = absolute(idx)
        let saved = top
        defer { top = saved }
        guard ensure(16) else { throw JSONEncodingError(path: "$", message: "the Lua stack is full") }
        LuaJSON.registerMetatables(on: self)
        var walker = LuaValueWalker.prepare(on: L, sink: sink, options: options)
        try walker.walk(target)
        return walker.sink
    }
}

/// Stack room a decode needs before it starts: the sink's four slots and the result.
private let decodeSlots: Int32 = 8
