import CLuaShim
import JSON
import LuaKit

/// The Lua `json` module: JSON text straight into Lua tables and back.
///
/// ```lua
/// local invoice = json.decode('{"id": "inv_1", "lines": [], "total": 18446744073709551616}')
/// print(json.encode(invoice))               --> {"id":"inv_1","lines":[],"total":18446744073709551616}
/// print(json.encode({b = 1, a = json.null}, {pretty = true}))
/// ```
///
/// See docs/json.md for the rules; the Swift entry points are
/// ``pushModule(on:)`` and the `LuaStack` helpers in `LuaStack+JSON.swift`.
public enum LuaJSON {
    /// Registry names of the metatables the module shares with every decode.
    public static let arrayMetatableName = "json.array"
    public static let objectMetatableName = "json.object"
    public static let numberMetatableName = "json.number"

    /// Push the module table: `encode`, `decode`, `null`, `array`, `object`, `number`.
    public static func pushModule(on stack: LuaStack) {
        registerMetatables(on: stack)
        stack.newTable(hash: 8)
        let functions: [(String, LuaFunction)] = [
            ("decode", decode), ("encode", encode), ("array", markArray), ("object", markObject),
            ("number", makeNumber),
        ]
        for (name, body) in functions {
            stack.push(function: body)
            stack.rawSet(at: -2, name)
        }
        stack.push(lightUserdata: nil)
        stack.rawSet(at: -2, "null")
    }

    /// Create the `json.array`, `json.object` and `json.number` metatables in the registry if missing.
    public static func registerMetatables(on stack: LuaStack) {
        let L = stack.L
        for name in [arrayMetatableName, objectMetatableName, numberMetatableName] {
            if stack.rawGet(at: luaRegistryIndex, name) == .table {
                stack.pop()
                continue
            }
            stack.pop()
            stack.newTable(hash: 4)
            stack.push(name)
            stack.rawSet(at: -2, "__name")
            if name == numberMetatableName {
                stack.push(function: numberToString)
                stack.rawSet(at: -2, "__tostring")
                stack.push(function: numberEquals)
                stack.rawSet(at: -2, "__eq")
                stack.push(function: numberConcat)
                stack.rawSet(at: -2, "__concat")
            }
            lua_pushvalue(L, -1)
            stack.rawSet(at: luaRegistryIndex, name)
            stack.pop()
        }
    }

    // MARK: json.decode / json.encode

    /// `json.decode(text [, {max_depth = n}])`.
    static func decode(_ stack: LuaStack) throws -> Int32 {
        let L = stack.L
        guard stack.type(at: 1) == .string else {
            throw LuaArgumentError(position: 1, function: "decode", problem: "string expected, got \(stack.argumentTypeName(1))")
        }
        var options = JSONDecodingOptions()
        try readOptions(stack, at: 2, function: "decode") { name in
            switch name {
            case "max_depth": options.maxDepth = try depthOption(stack, function: "decode")
            default: return false
            }
            return true
        }
        var length = 0
        let p = lua_tolstring(L, 1, &length)
        do throws(JSONError) {
            try stack.pushJSON(decoding: UnsafeRawBufferPointer(start: p, count: length), options: options)
        } catch {
            throw LuaError(message: "json.decode: \(error)")
        }
        return 1
    }

    /// `json.encode(value [, {pretty = true, sort_keys = true, max_depth = n}])`.
    static func encode(_ stack: LuaStack) throws -> Int32 {
        guard stack.argumentCount >= 1 else {
            throw LuaArgumentError(position: 1, function: "encode", problem: "value expected")
        }
        var options = JSONEncodingOptions()
        try readOptions(stack, at: 2, function: "encode") { name in
            switch name {
            case "pretty": options.pretty = try booleanOption(stack, name, function: "encode")
            case "sort_keys": options.sortKeys = try booleanOption(stack, name, function: "encode")
            case "max_depth": options.maxDepth = try depthOption(stack, function: "encode")
            default: return false
            }
            return true
        }
        do throws(JSONEncodingError) {
            let bytes = try stack.encodeJSON(at: 1, options: options)
            stack.push(bytes: bytes)
        } catch {
            throw LuaError(message: "json.encode: \(error)")
        }
        return 1
    }

    // MARK: Markers and boxes

    /// `json.array([t])`: mark `t` (or a new table) to encode as an array; returns it.
    static func markArray(_ stack: LuaStack) throws -> Int32 {
        try mark(stack, with: arrayMetatableName, function: "array")
    }

    /// `json.object([t])`: mark `t` (or a new table) to encode as an object; returns it.
    static func markObject(_ stack: LuaStack) throws -> Int32 {
        try mark(stack, with: objectMetatableName, function: "object")
    }

    private static func mark(_ stack: LuaStack, with metatable: String, function: String) throws -> Int32 {
        switch stack.type(at: 1) {
        case .none, .nil:
            stack.top = 0
            stack.newTable()
        case .table:
            stack.top = 1
            if stack.getMetatable(at: 1) {
                let ours = stack.rawGet(at: -1, "__name") == .string
                    && [arrayMetatableName, objectMetatableName].contains(stack.toString(at: -1) ?? "")
                stack.pop(2)
                guard ours else {
                    throw LuaError(message: "json.\(function): the table already has a metatable of its own")
                }
            }
        default:
            throw LuaArgumentError(position: 1, function: function, problem: "table expected, got \(stack.argumentTypeName(1))")
        }
        _ = stack.getRegisteredMetatable(metatable)
        stack.setMetatable(at: 1)
        return 1
    }

    /// `json.number(text)`: a number that encodes as exactly `text` (e.g. "12.30", "18446744073709551616").
    static func makeNumber(_ stack: LuaStack) throws -> Int32 {
        guard stack.type(at: 1) == .string, let text = stack.toBytes(at: 1) else {
            throw LuaArgumentError(position: 1, function: "number", problem: "string expected, got \(stack.argumentTypeName(1))")
        }
        let valid = text.withUnsafeBytes { NumberText.isValid($0) }
        guard valid else {
            throw LuaError(message: "json.number: \(shown(text)) is not a JSON number")
        }
        _ = stack.getRegisteredMetatable(numberMetatableName)
        text.withUnsafeBytes { pushNumberBox($0, metatable: -1, on: stack.L) }
        return 1
    }

    /// `text` as a message shows it (``JSONWriter/messageQuoted(_:limit:)``).
    static func shown(_ text: [UInt8]) -> String { JSONWriter.messageQuoted(String(decoding: text, as: UTF8.self)) }

    /// Push a `json.number` box holding `text`; the metatable is at `metatable`.
    static func pushNumberBox(_ text: UnsafeRawBufferPointer, metatable: Int32, on L: OpaquePointer) {
        let mt = lua_absindex(L, metatable)
        _ = lua_newuserdatauv(L, 0, 1)
        _ = lua_pushlstring(L, text.baseAddress?.assumingMemoryBound(to: CChar.self), text.count)
        _ = lua_setiuservalue(L, -2, 1)
        lua_pushvalue(L, mt)
        _ = lua_setmetatable(L, -2)
    }

    /// The text of the `json.number` box at `idx`, or nil when it is not one.
    static func numberText(_ stack: LuaStack, at idx: Int32) -> [UInt8]? {
        let L = stack.L
        guard stack.type(at: idx) == .userdata, stack.getMetatable(at: idx) else { return nil }
        _ = stack.getRegisteredMetatable(numberMetatableName)
        let isBox = lua_rawequal(L, -1, -2) != 0
        stack.pop(2)
        guard isBox else { return nil }
        _ = lua_getiuservalue(L, idx, 1)
        defer { stack.pop() }
        return stack.toBytes(at: -1)
    }

    static func numberToString(_ stack: LuaStack) throws -> Int32 {
        guard let text = numberText(stack, at: 1) else {
            throw LuaArgumentError(position: 1, function: "tostring", problem: "json.number expected, got \(stack.argumentTypeName(1))")
        }
        stack.push(bytes: text)
        return 1
    }

    /// Two boxes are equal when their texts are (so `1.0` and `1.00` differ).
    static func numberEquals(_ stack: LuaStack) throws -> Int32 {
        let a = numberText(stack, at: 1)
        stack.push(a != nil && a == numberText(stack, at: 2))
        return 1
    }

    /// `"total: " .. box` concatenates the text.
    static func numberConcat(_ stack: LuaStack) throws -> Int32 {
        var parts: [[UInt8]] = []
        for idx: Int32 in [1, 2] {
            if let text = numberText(stack, at: idx) {
                parts.append(text)
            } else if stack.type(at: idx) == .string || stack.type(at: idx) == .number {
                parts.append(try stack.tostring(at: idx))
            } else {
                throw LuaError(message: "attempt to concatenate a \(stack.argumentTypeName(idx)) value")
            }
        }
        stack.push(bytes: parts[0] + parts[1])
        return 1
    }

    // MARK: Options

    /// Read the options table at `idx` (absent or nil: none); `apply` handles one
    /// option whose value is on top and returns false for an unknown name.
    private static func readOptions(_ stack: LuaStack, at idx: Int32, function: String,
                                    _ apply: (String) throws -> Bool) throws {
        switch stack.type(at: idx) {
        case .none, .nil: return
        case .table: break
        default:
            throw LuaArgumentError(position: idx, function: function, problem: "table of options expected, got \(stack.argumentTypeName(idx))")
        }
        try stack.forEachRaw(in: idx) {
            guard stack.type(at: -2) == .string, let name = stack.toString(at: -2), try apply(name) else {
                let shown = stack.type(at: -2) != .string ? "of type \(stack.typeName(at: -2))"
                    : stack.toString(at: -2).flatMap { $0.count <= 40 && !$0.contains(where: { $0.isNewline || $0 == "'" }) ? "'\($0)'" : nil }
                    ?? shown(stack.toBytes(at: -2) ?? [])
                throw LuaError(message: "json.\(function): unknown option \(shown)")
            }
        }
    }

    private static func booleanOption(_ stack: LuaStack, _ name: String, function: String) throws -> Bool {
        guard stack.type(at: -1) == .boolean else {
            throw LuaError(message: "json.\(function): option '\(name)' must be a boolean, got \(stack.typeName(at: -1))")
        }
        return stack.toBoolean(at: -1)
    }

    private static func depthOption(_ stack: LuaStack, function: String) throws -> Int {
        guard let n = stack.toInteger(at: -1), n >= 1, n <= 1_000_000 else {
            throw LuaError(message: "json.\(function): option 'max_depth' must be an integer from 1 to 1000000")
        }
        return Int(n)
    }

    // MARK: Small helpers for the sink and the walker

    /// Push the registry value `name` (a metatable registered by ``registerMetatables(on:)``).
    static func pushRegistered(_ name: String, on L: OpaquePointer) {
        pushLiteral(name, on: L)
        _ = lua_rawget(L, luaRegistryIndex)
    }

    /// Push a Swift string as a Lua string.
    static func pushLiteral(_ text: String, on L: OpaquePointer) {
        var text = text
        text.withUTF8 { _ = lua_pushlstring(L, UnsafeRawPointer($0.baseAddress)?.assumingMemoryBound(to: CChar.self), $0.count) }
    }
}
