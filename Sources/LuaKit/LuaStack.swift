import CLuaShim

/// Index of the registry pseudo-slot (`LUA_REGISTRYINDEX`; the C macro does not import).
public let luaRegistryIndex: Int32 = -1_000_000 - 1000

/// The value stack of one Lua thread, seen from Swift.
///
/// A `LuaStack` is a thin, copyable view of a `lua_State *`: the main thread
/// of a ``LuaState``, or the coroutine that called a Swift function. Its
/// methods are named after the C API (`push`, `type(at:)`, `toInteger(at:)`)
/// so the Lua manual explains them. Nothing here can raise a Lua error into
/// Swift: reads never raise, pushes can only run out of memory (see the C
/// shim's allocator rule), and everything that may run Lua code or
/// metamethods is in `LuaStack+Protected.swift` and throws ``LuaError``.
public struct LuaStack {
    /// The underlying thread. Use it only with the same care as this type.
    public let L: OpaquePointer

    public init(_ L: OpaquePointer) { self.L = L }

    // MARK: Slots

    /// The index of the top slot, which is also the number of values on the stack.
    public var top: Int32 {
        get { lua_gettop(L) }
        nonmutating set { lua_settop(L, newValue) }
    }

    /// Remove `n` values from the top.
    public func pop(_ n: Int32 = 1) { lua_settop(L, -n - 1) }

    /// Make room for `n` more values; false when Lua cannot grow the stack that far.
    @discardableResult
    public func ensure(_ n: Int32) -> Bool { lua_checkstack(L, n) != 0 }

    /// The absolute form of a relative index.
    public func absolute(_ idx: Int32) -> Int32 { lua_absindex(L, idx) }

    /// Move the top value to `idx`, shifting the values above it up.
    public func insert(at idx: Int32) { lua_rotate(L, idx, 1) }

    /// Remove the value at `idx`, shifting the values above it down.
    public func remove(at idx: Int32) {
        lua_rotate(L, idx, -1)
        pop()
    }

    /// Push a copy of the value at `idx`.
    public func pushValue(at idx: Int32) { lua_pushvalue(L, idx) }

    // MARK: Types

    /// The type of the value at `idx` (`.none` past the top).
    public func type(at idx: Int32) -> LuaType { LuaType(rawValue: lua_type(L, idx)) ?? .none }

    /// True when the value at `idx` is a number with the integer subtype.
    public func isInteger(at idx: Int32) -> Bool { lua_isinteger(L, idx) != 0 }

    /// `luaL_typename`, plus `__name` for values whose metatable has one, as Lua's messages say it.
    public func typeName(at idx: Int32) -> String {
        var name: String?
        if getMetatable(at: idx) {
            if rawGet(at: -1, "__name") == .string { name = toString(at: -1) }
            pop(2)
        }
        return name ?? type(at: idx).description
    }

    // MARK: Pushing

    public func pushNil() { lua_pushnil(L) }
    public func push(_ value: Bool) { lua_pushboolean(L, value ? 1 : 0) }
    public func push(_ value: Int64) { lua_pushinteger(L, lua_Integer(value)) }
    public func push(_ value: Int) { lua_pushinteger(L, lua_Integer(value)) }
    public func push(_ value: Double) { lua_pushnumber(L, value) }

    /// Push a Lua string holding exactly these bytes (NUL bytes included).
    public func push(bytes: UnsafeRawBufferPointer) {
        _ = lua_pushlstring(L, bytes.baseAddress?.assumingMemoryBound(to: CChar.self), bytes.count)
    }

    /// Push a Lua string holding exactly these bytes (NUL bytes included).
    public func push<Bytes: Collection>(bytes: Bytes) where Bytes.Element == UInt8 {
        if let done: Void = bytes.withContiguousStorageIfAvailable({ push(bytes: UnsafeRawBufferPointer($0)) }) {
            return done
        }
        Array(bytes).withUnsafeBytes { push(bytes: $0) }
    }

    /// Push a Swift string as its UTF-8 bytes.
    public func push(_ string: String) {
        var string = string
        string.withUTF8 { push(bytes: UnsafeRawBufferPointer($0)) }
    }

    public func push(lightUserdata pointer: UnsafeMutableRawPointer?) { lua_pushlightuserdata(L, pointer) }

    /// Push a new empty table with room for `array` sequence items and `hash` other fields.
    public func newTable(array: Int32 = 0, hash: Int32 = 0) { lua_createtable(L, array, hash) }

    /// Push the global table.
    public func pushGlobalTable() { _ = lua_rawgeti(L, luaRegistryIndex, lua_Integer(LUA_RIDX_GLOBALS)) }

    // MARK: Reading

    /// The integer at `idx`, only when it is a number of the integer subtype.
    public func toInteger(at idx: Int32) -> Int64? {
        var ok: Int32 = 0
        let value = lua_tointegerx(L, idx, &ok)
        return ok != 0 && isInteger(at: idx) ? Int64(value) : nil
    }

    /// The number at `idx` as a Double, when it is a number (either subtype).
    public func toNumber(at idx: Int32) -> Double? {
        guard type(at: idx) == .number else { return nil }
        return lua_tonumberx(L, idx, nil)
    }

    /// Lua truthiness: false only for nil and false.
    public func toBoolean(at idx: Int32) -> Bool { lua_toboolean(L, idx) != 0 }

    /// Calls `body` with the bytes of the string at `idx` without copying them.
    /// Only actual strings qualify: numbers are not converted (that would change the slot).
    public func withBytes<R>(at idx: Int32, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R? {
        guard type(at: idx) == .string else { return nil }
        var length = 0
        guard let p = lua_tolstring(L, idx, &length) else { return nil }
        return try body(UnsafeRawBufferPointer(start: p, count: length))
    }

    /// The bytes of the string at `idx`, NUL bytes included.
    public func toBytes(at idx: Int32) -> [UInt8]? { withBytes(at: idx) { Array($0) } }

    /// The string at `idx` decoded as UTF-8; nil when it is not a string or not valid UTF-8.
    public func toString(at idx: Int32) -> String? {
        withBytes(at: idx) { raw -> String? in
            String(validating: raw.bindMemory(to: UInt8.self), as: UTF8.self)
        } ?? nil
    }

    public func toLightUserdata(at idx: Int32) -> UnsafeMutableRawPointer? {
        type(at: idx) == .lightUserdata ? lua_touserdata(L, idx) : nil
    }

    // MARK: Raw table access (no metamethods)

    /// Push `t[key]` without metamethods; the table is at `idx`. Returns the value's type.
    @discardableResult
    public func rawGet(at idx: Int32, _ key: String) -> LuaType {
        let t = absolute(idx)
        push(key)
        return LuaType(rawValue: lua_rawget(L, t)) ?? .none
    }

    /// Push `t[n]` without metamethods; the table is at `idx`.
    @discardableResult
    public func rawGet(at idx: Int32, index n: Int64) -> LuaType {
        LuaType(rawValue: lua_rawgeti(L, idx, lua_Integer(n))) ?? .none
    }

    /// `t[key] = top` without metamethods, popping the value; the table is at `idx`.
    public func rawSet(at idx: Int32, _ key: String) {
        let t = absolute(idx)
        push(key)
        insert(at: -2)
        lua_rawset(L, t)
    }

    /// `t[n] = top` without metamethods, popping the value; the table is at `idx`.
    public func rawSet(at idx: Int32, index n: Int64) { lua_rawseti(L, idx, lua_Integer(n)) }

    /// The raw length (`#` without `__len`) of the string, table or userdata at `idx`.
    public func rawLength(at idx: Int32) -> Int64 { Int64(lua_rawlen(L, idx)) }

    /// Push the metatable of the value at `idx` and return true, or push nothing and return false.
    public func getMetatable(at idx: Int32) -> Bool { lua_getmetatable(L, idx) != 0 }

    /// Pop a table (or nil) and make it the metatable of the value at `idx`.
    public func setMetatable(at idx: Int32) { lua_setmetatable(L, idx) }

    /// Push the metatable registered under `name` (nil when there is none).
    @discardableResult
    public func getRegisteredMetatable(_ name: String) -> LuaType { rawGet(at: luaRegistryIndex, name) }

    /// Iterate the table at `idx` raw, calling `body` with the key at -2 and the value at -1.
    /// `body` must leave the stack as it found it. Keys must not be added during the walk.
    public func forEachRaw(in idx: Int32, _ body: () throws -> Void) rethrows {
        let t = absolute(idx)
        let saved = top
        pushNil()
        while lua_next(L, t) != 0 {
            do { try body() } catch {
                top = saved
                throw error
            }
            pop()
        }
    }
}
