import CLuaShim
import JSON

/// A ``JSONSink`` that builds Lua values directly on a Lua stack: no tree in between.
///
/// Stack discipline. A container reserves its slot (and, for an object, one
/// more for its metatable) when it begins; its elements are pushed above
/// those slots as they are parsed, keys and values alternating for objects.
/// When it ends, the table is created with its exact size, the elements are
/// moved into it with raw sets, and it takes the reserved slot: one value
/// left, as for a scalar. Knowing the size first means no rehashing while a
/// table fills, which is most of what building a table costs.
///
/// A container with very many elements is moved into its table in batches
/// (``flushLimit``), so the Lua stack stays bounded at any depth.
///
/// Shapes. Every object of one shape (see ``JSONShape``) gets the same
/// metatable `{__name = "json.object", __jsonkeys = {k1, k2, ...}}`, built
/// once per shape per parse, and each key string is created once per shape
/// and then reused from `keyCache`. Untracked objects get a private metatable.
/// Every array gets the shared `json.array` metatable.
struct LuaTableSink: JSONSink {
    /// Elements held on the stack per container before they are moved into its table.
    static let flushLimit: Int32 = 512

    let L: OpaquePointer
    /// Stack slots of the per-parse caches and the registered metatables.
    let keyCache: Int32
    let shapeMetatables: Int32
    let arrayMetatable: Int32
    let numberMetatable: Int32

    /// The innermost open container.
    var base: Int32 = 0        // its reserved table slot
    var pending: Int32 = 0     // slots pushed above its reserved slots
    var stored: Int32 = 0      // elements (pairs for objects) already moved into its table
    var isObject = false
    var outer: [Frame] = []

    struct Frame {
        var base: Int32
        var pending: Int32
        var stored: Int32
        var isObject: Bool
    }

    /// Push the caches and metatables the sink needs (4 slots) and return a sink using them.
    /// The registered metatables must exist (``LuaJSON/registerMetatables(on:)``).
    static func prepare(on L: OpaquePointer) -> LuaTableSink {
        lua_createtable(L, 64, 0)
        lua_createtable(L, 64, 0)
        LuaJSON.pushRegistered(LuaJSON.arrayMetatableName, on: L)
        LuaJSON.pushRegistered(LuaJSON.numberMetatableName, on: L)
        let top = lua_gettop(L)
        return LuaTableSink(L: L, keyCache: top - 3, shapeMetatables: top - 2,
                            arrayMetatable: top - 1, numberMetatable: top)
    }

    /// Slots the caller must have free before a parse starts.
    static let slotsNeeded: Int32 = flushLimit + 16

    // MARK: Containers

    private mutating func begin(object: Bool) throws(JSONError) {
        guard lua_checkstack(L, Self.slotsNeeded) != 0 else {
            throw .unplaced(.tooLarge, "the document is too large for the Lua stack")
        }
        outer.append(Frame(base: base, pending: pending, stored: stored, isObject: isObject))
        base = lua_gettop(L) + 1
        pending = 0
        stored = 0
        isObject = object
        lua_pushnil(L)
        if object { lua_pushnil(L) }
    }

    /// Back to the enclosing container, whose element count grows by the table just made.
    private mutating func end() throws(JSONError) {
        let frame = outer.removeLast()
        base = frame.base
        pending = frame.pending
        stored = frame.stored
        isObject = frame.isObject
        try pushed()
    }

    mutating func beginArray() throws(JSONError) { try begin(object: false) }
    mutating func beginObject() throws(JSONError) { try begin(object: true) }

    mutating func endArray(count: Int) throws(JSONError) {
        if stored == 0 { createTable(array: pending, hash: 0) }
        storePendingItems()
        lua_pushvalue(L, arrayMetatable)
        _ = lua_setmetatable(L, base)
        try end()
    }

    mutating func endObject(count: Int, shape: JSONShape) throws(JSONError) {
        let pairs = pending / 2
        if stored == 0 {
            if shape.isNone {
                pushKeyList(pairs: pairs)
                pushMetatable(keyList: -1)
                lua_copy(L, -1, base + 1)
                lua_settop(L, -3)
            } else {
                pushShapeMetatable(shape, pairs: pairs)
                lua_copy(L, -1, base + 1)
                lua_settop(L, -2)
            }
            createTable(array: 0, hash: pairs)
            for _ in 0..<pairs { lua_rawset(L, base) }
        } else {
            // Batches went into the table already; their keys are in the list at base + 1.
            appendKeys(pairs: pairs)
            for _ in 0..<pairs { lua_rawset(L, base) }
            pushMetatable(keyList: base + 1)
            lua_copy(L, -1, base + 1)
            lua_settop(L, -2)
        }
        _ = lua_setmetatable(L, base) // pops the metatable at base + 1
        try end()
    }

    /// Push the metatable of `shape`, building it from the keys on the stack the first time.
    private func pushShapeMetatable(_ shape: JSONShape, pairs: Int32) {
        let slot = lua_Integer(shape.id) + 1
        if lua_rawgeti(L, shapeMetatables, slot) != LUA_TNIL { return }
        lua_settop(L, -2)
        pushKeyList(pairs: pairs)
        pushMetatable(keyList: -1)
        lua_rotate(L, -2, 1)
        lua_settop(L, -2) // drop the list, keep the metatable
        lua_pushvalue(L, -1)
        lua_rawseti(L, shapeMetatables, slot)
    }

    /// Push a new list of the keys of the `pairs` members on the stack above `base + 1`.
    private func pushKeyList(pairs: Int32) {
        lua_createtable(L, pairs, 0)
        for i in 0..<pairs {
            lua_pushvalue(L, base + 2 + 2 * i)
            lua_rawseti(L, -2, lua_Integer(i + 1))
        }
    }

    /// Push `{__name = "json.object", __jsonkeys = <list at keyList>}`.
    private func pushMetatable(keyList: Int32) {
        let list = lua_absindex(L, keyList)
        lua_createtable(L, 0, 2)
        LuaJSON.pushLiteral("__jsonkeys", on: L)
        lua_pushvalue(L, list)
        lua_rawset(L, -3)
        LuaJSON.pushLiteral("__name", on: L)
        LuaJSON.pushLiteral(LuaJSON.objectMetatableName, on: L)
        lua_rawset(L, -3)
    }

    /// Append the keys of the pending pairs to the key list at `base + 1` (creating it).
    private func appendKeys(pairs: Int32) {
        if lua_type(L, base + 1) != LUA_TTABLE {
            lua_createtable(L, pairs, 0)
            lua_copy(L, -1, base + 1)
            lua_settop(L, -2)
        }
        let first = lua_Integer(lua_rawlen(L, base + 1))
        for i in 0..<pairs {
            lua_pushvalue(L, base + 2 + 2 * i)
            lua_rawseti(L, base + 1, first + lua_Integer(i) + 1)
        }
    }

    /// One more slot above the innermost container; move a full batch into its table.
    @inline(__always)
    private mutating func pushed() throws(JSONError) {
        pending += 1
        if pending >= Self.flushLimit { flush() }
    }

    /// Move the pending elements of the innermost container into its table.
    private mutating func flush() {
        guard !outer.isEmpty else { return } // a top-level scalar
        if isObject {
            let pairs = pending / 2
            if stored == 0 { createTable(array: 0, hash: pairs * 2) }
            appendKeys(pairs: pairs)
            for _ in 0..<pairs { lua_rawset(L, base) }
            stored += pairs
        } else {
            if stored == 0 { createTable(array: pending * 2, hash: 0) }
            storePendingItems()
            stored += pending
        }
        pending = 0
    }

    /// Put a new table, sized for what is known so far, in the container's slot.
    private func createTable(array: Int32, hash: Int32) {
        lua_createtable(L, array, hash)
        lua_copy(L, -1, base)
        lua_settop(L, -2)
    }

    /// Pop the pending array elements into the container's table after those already stored.
    private func storePendingItems() {
        var i = pending
        while i > 0 {
            lua_rawseti(L, base, lua_Integer(stored + i))
            i -= 1
        }
    }

    // MARK: Keys and scalars

    mutating func key(_ bytes: UnsafeRawBufferPointer, shape: JSONShape) throws(JSONError) {
        if shape.isNone {
            pushBytes(bytes)
        } else if lua_rawgeti(L, keyCache, lua_Integer(shape.id)) == LUA_TNIL {
            lua_settop(L, -2)
            pushBytes(bytes)
            lua_pushvalue(L, -1)
            lua_rawseti(L, keyCache, lua_Integer(shape.id))
        }
        pending += 1 // a key never completes a batch: values do
    }

    @inline(__always)
    private func pushBytes(_ bytes: UnsafeRawBufferPointer) {
        _ = lua_pushlstring(L, bytes.baseAddress?.assumingMemoryBound(to: CChar.self), bytes.count)
    }

    mutating func string(_ bytes: UnsafeRawBufferPointer) throws(JSONError) {
        pushBytes(bytes)
        try pushed()
    }

    mutating func integer(_ value: Int64) throws(JSONError) {
        lua_pushinteger(L, lua_Integer(value))
        try pushed()
    }

    mutating func double(_ value: Double) throws(JSONError) {
        lua_pushnumber(L, value)
        try pushed()
    }

    mutating func number(text: UnsafeRawBufferPointer) throws(JSONError) {
        LuaJSON.pushNumberBox(text, metatable: numberMetatable, on: L)
        try pushed()
    }

    mutating func bool(_ value: Bool) throws(JSONError) {
        lua_pushboolean(L, value ? 1 : 0)
        try pushed()
    }

    mutating func null() throws(JSONError) {
        lua_pushlightuserdata(L, nil)
        try pushed()
    }
}
