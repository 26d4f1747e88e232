import CLuaShim
import LuaKit
import JSON

/// Reads a Lua value and feeds it to a ``JSONSink``, by the encoding rules of `json.encode`.
///
/// - `nil` (only at the top) and `json.null` → null; booleans; integers →
///   integers; floats → floats (NaN and infinities are errors); strings must
///   be valid UTF-8; a `json.number` box → its text, verbatim.
/// - A table with the `json.array` metatable → array of `t[1..n]`, where its
///   keys must be exactly 1..n.
/// - A table whose metatable has `__jsonkeys` (decoded objects) → object, the
///   recorded keys first in their order (those still present), then any other
///   keys in byte order. The `json.object` metatable → object, keys sorted.
/// - Any other table: keys exactly 1..n → array; only string keys → object
///   with sorted keys; empty → `{}`; anything else (mixed keys, holes, keys of
///   other types) is an error naming the path.
/// - Cycles and nesting beyond `maxDepth` are errors; functions, threads and
///   other userdata are errors.
///
/// The walk is iterative (an explicit stack of open tables), so depth costs
/// no native stack; it is bounded by `maxDepth` and the Lua stack. Nothing
/// here can raise a Lua error: only raw reads, `lua_next` on tables that are
/// not modified, and string pushes.
struct LuaValueWalker<Sink: JSONSink> {
    let L: OpaquePointer
    var sink: Sink
    let options: JSONEncodingOptions
    /// Stack slots of the registered metatables.
    let arrayMetatable: Int32
    let objectMetatable: Int32
    let numberMetatable: Int32
    var path: [Step] = []
    /// The tables being written, innermost last.
    var frames: [Frame] = []
    /// Member keys of the open objects, in output order; each frame owns a range.
    var keys: [Key] = []
    /// Identities of the open tables below the first `shallowFrames` (those are scanned directly).
    var deepTables: Set<UnsafeRawPointer> = []
    static var shallowFrames: Int { 16 }
    /// Key lists already checked (all strings, no repeats), by identity.
    var checkedKeyLists: Set<UnsafeRawPointer> = []

    /// The bytes of a Lua string that stays alive during the walk (a key of a table being written).
    typealias Key = (pointer: UnsafePointer<CChar>, count: Int)

    /// One step into a value, kept cheaply until an error needs it rendered.
    enum Step {
        case key(UnsafePointer<CChar>, Int)
        case index(Int64)
    }

    /// A table being written.
    struct Frame {
        var table: Int32
        var identity: UnsafeRawPointer
        var isArray: Bool
        /// Elements (arrays) or members (objects: `keys[firstKey ..< firstKey + count]`).
        var count: Int
        var next: Int
        var firstKey: Int
        /// The stack top to restore when the table is done.
        var restoreTop: Int32
        /// Whether the table was reached through a path step (all but the root).
        var stepped: Bool
    }

    /// Push the registered metatables (3 slots) and return a walker that uses them.
    static func prepare(on L: OpaquePointer, sink: Sink, options: JSONEncodingOptions) -> LuaValueWalker {
        LuaJSON.pushRegistered(LuaJSON.arrayMetatableName, on: L)
        LuaJSON.pushRegistered(LuaJSON.objectMetatableName, on: L)
        LuaJSON.pushRegistered(LuaJSON.numberMetatableName, on: L)
        let top = lua_gettop(L)
        return LuaValueWalker(L: L, sink: sink, options: options, arrayMetatable: top - 2,
                              objectMetatable: top - 1, numberMetatable: top)
    }

    func failure(_ message: String) -> JSONEncodingError {
        let components: [JSONPathComponent] = path.map { step in
            switch step {
            case .key(let p, let n):
                return .key(String(decoding: UnsafeRawBufferPointer(start: p, count: n), as: UTF8.self))
            case .index(let i):
                return .index(Int(i))
            }
        }
        return JSONEncodingError(path: JSONPathComponent.render(components), message: message)
    }

    /// Run a sink call; the writer and the tree builder never fail, but a sink may.
    @inline(__always)
    mutating func emit(_ body: (inout Sink) throws(JSONError) -> Void) throws(JSONEncodingError) {
        do throws(JSONError) { try body(&sink) } catch { throw failure(error.message) }
    }

    /// Walk the value at `index`; the stack is left as found.
    mutating func walk(_ index: Int32) throws(JSONEncodingError) {
        let root = lua_absindex(L, index)
        let saved = lua_gettop(L)
        defer { lua_settop(L, saved) }
        try visit(root, restoreTop: saved, stepped: false)
        while !frames.isEmpty {
            let f = frames.count - 1
            let frame = frames[f]
            guard frame.next < frame.count else {
                try close()
                continue
            }
            frames[f].next += 1
            guard lua_checkstack(L, 4) != 0 else { throw failure("the Lua stack is full") }
            if frame.isArray {
                let i = Int64(frame.next + 1)
                _ = lua_rawgeti(L, frame.table, lua_Integer(i))
                path.append(.index(i))
            } else {
                let key = keys[frame.firstKey + frame.next]
                path.append(.key(key.pointer, key.count))
                let bytes = UnsafeRawBufferPointer(start: key.pointer, count: key.count)
                if let bad = UTF8Check.firstInvalidOffset(in: bytes) {
                    throw failure("key is not valid UTF-8 (byte \(bad) of \(key.count))")
                }
                try emit { s throws(JSONError) in try s.key(bytes, shape: .none) }
                _ = lua_pushlstring(L, key.pointer, key.count)
                _ = lua_rawget(L, frame.table)
            }
            let slot = lua_gettop(L)
            if lua_type(L, slot) == LUA_TTABLE {
                try visit(slot, restoreTop: slot - 1, stepped: true) // the value stays on the stack while open
            } else {
                try visit(slot, restoreTop: slot - 1, stepped: true)
                lua_settop(L, slot - 1)
                path.removeLast()
            }
        }
    }

    /// Write a scalar at `idx`, or open the table at `idx` (pushing a frame).
    private mutating func visit(_ idx: Int32, restoreTop: Int32, stepped: Bool) throws(JSONEncodingError) {
        switch lua_type(L, idx) {
        case LUA_TNIL, LUA_TNONE:
            try emit { s throws(JSONError) in try s.null() }
        case LUA_TBOOLEAN:
            let b = lua_toboolean(L, idx) != 0
            try emit { s throws(JSONError) in try s.bool(b) }
        case LUA_TNUMBER:
            if lua_isinteger(L, idx) != 0 {
                let i = Int64(lua_tointegerx(L, idx, nil))
                try emit { s throws(JSONError) in try s.integer(i) }
            } else {
                let d = lua_tonumberx(L, idx, nil)
                guard d.isFinite else { throw failure("\(d) cannot be encoded (NaN and infinities have no JSON form)") }
                try emit { s throws(JSONError) in try s.double(d) }
            }
        case LUA_TSTRING:
            var length = 0
            let p = lua_tolstring(L, idx, &length)!
            let bytes = UnsafeRawBufferPointer(start: p, count: length)
            if let bad = UTF8Check.firstInvalidOffset(in: bytes) {
                throw failure("string is not valid UTF-8 (byte \(bad) of \(length))")
            }
            try emit { s throws(JSONError) in try s.string(bytes) }
        case LUA_TLIGHTUSERDATA:
            guard lua_touserdata(L, idx) == nil else { throw failure("cannot encode a light userdata (only json.null)") }
            try emit { s throws(JSONError) in try s.null() }
        case LUA_TUSERDATA:
            try visitUserdata(idx)
        case LUA_TTABLE:
            if try visitThroughToJSON(idx) { return }
            try open(idx, restoreTop: restoreTop, stepped: stepped)
        default:
            throw failure("cannot encode a \(LuaStack(L).typeName(at: idx))")
        }
    }

    /// A table whose metatable has a `__tojson` function (a `money` amount)
    /// is written as the string or number that function returns for it.
    /// False when the table has no such function.
    private mutating func visitThroughToJSON(_ idx: Int32) throws(JSONEncodingError) -> Bool {
        guard lua_getmetatable(L, idx) != 0 else { return false }
        LuaJSON.pushLiteral("__tojson", on: L)
        let kind = lua_rawget(L, -2)
        guard kind == LUA_TFUNCTION else {
            lua_settop(L, -3)
            return false
        }
        lua_rotate(L, -2, -1)
        lua_settop(L, -2)              // [__tojson]
        lua_pushvalue(L, idx)
        guard luakit_pcall(L, 1, 1, LUAKIT_HANDLER_NONE) == LUA_OK else {
            let message = LuaStack(L).toString(at: -1) ?? "an error"
            lua_settop(L, -2)
            throw failure("__tojson failed: \(message)")
        }
        defer { lua_settop(L, -2) }
        switch lua_type(L, -1) {
        case LUA_TSTRING, LUA_TNUMBER:
            try visit(lua_gettop(L), restoreTop: lua_gettop(L), stepped: false)
            return true
        default:
            throw failure("__tojson returned a \(LuaStack(L).typeName(at: -1)), expected a string or a number")
        }
    }

    private mutating func visitUserdata(_ idx: Int32) throws(JSONEncodingError) {
        if lua_getmetatable(L, idx) != 0 {
            let isNumber = lua_rawequal(L, -1, numberMetatable) != 0
            lua_settop(L, -2)
            if isNumber {
                _ = lua_getiuservalue(L, idx, 1)
                defer { lua_settop(L, -2) }
                var length = 0
                if lua_type(L, -1) == LUA_TSTRING, let p = lua_tolstring(L, -1, &length) {
                    let text = UnsafeRawBufferPointer(start: p, count: length)
                    if NumberText.isValid(text) {
                        try emit { s throws(JSONError) in try s.number(text: text) }
                        return
                    }
                }
                throw failure("json.number box does not hold a valid JSON number")
            }
        }
        throw failure("cannot encode a userdata")
    }

    /// Start writing the table at `idx`: check depth and cycles, decide its kind, gather its keys.
    private mutating func open(_ idx: Int32, restoreTop: Int32, stepped: Bool) throws(JSONEncodingError) {
        guard frames.count < options.maxDepth else {
            throw failure("tables nested more than \(options.maxDepth) deep")
        }
        let identity = lua_topointer(L, idx)!
        guard !frames.prefix(Self.shallowFrames).contains(where: { $0.identity == identity }),
              !deepTables.contains(identity) else {
            throw failure("table contains itself (a cycle)")
        }
        guard lua_checkstack(L, 8) != 0 else { throw failure("tables nested too deep for the Lua stack") }
        var frame = Frame(table: idx, identity: identity, isArray: false, count: 0, next: 0,
                          firstKey: keys.count, restoreTop: restoreTop, stepped: stepped)
        switch try classify(idx) {
        case .array(let count):
            frame.isArray = true
            frame.count = Int(count)
            try emit { s throws(JSONError) in try s.beginArray() }
        case .sortedObject:
            frame.count = try gatherKeys(idx, keyList: nil)
            try emit { s throws(JSONError) in try s.beginObject() }
        case .orderedObject(let list):
            frame.count = try gatherKeys(idx, keyList: options.sortKeys ? nil : list)
            try emit { s throws(JSONError) in try s.beginObject() }
        }
        if frames.count >= Self.shallowFrames { deepTables.insert(identity) }
        frames.append(frame)
    }

    /// Finish the innermost table and pop its frame.
    private mutating func close() throws(JSONEncodingError) {
        let frame = frames.removeLast()
        if frames.count >= Self.shallowFrames { deepTables.remove(frame.identity) }
        if frame.isArray {
            try emit { s throws(JSONError) in try s.endArray(count: frame.count) }
        } else {
            try emit { s throws(JSONError) in try s.endObject(count: frame.count, shape: .none) }
            keys.removeLast(keys.count - frame.firstKey)
        }
        lua_settop(L, frame.restoreTop)
        if frame.stepped { path.removeLast() }
    }

    /// What a table encodes as.
    private enum TableKind {
        case array(count: Int64)
        case sortedObject
        case orderedObject(keyList: Int32)
    }

    /// Decide array or object by metatable, then by keys. May leave the key list pushed.
    private mutating func classify(_ idx: Int32) throws(JSONEncodingError) -> TableKind {
        if lua_getmetatable(L, idx) != 0 {
            if lua_rawequal(L, -1, arrayMetatable) != 0 {
                lua_settop(L, -2)
                return .array(count: try sequenceLength(idx))
            }
            if lua_rawequal(L, -1, objectMetatable) != 0 {
                lua_settop(L, -2)
                return .sortedObject
            }
            LuaJSON.pushLiteral("__jsonkeys", on: L)
            if lua_rawget(L, -2) == LUA_TTABLE {
                lua_rotate(L, -2, 1)
                lua_settop(L, -2) // keep the list, drop the metatable
                let list = lua_gettop(L)
                try checkKeyList(list)
                return .orderedObject(keyList: list)
            }
            lua_settop(L, -3)
        }
        // A plain table: look at its keys.
        var count: Int64 = 0
        var largest: Int64 = 0
        var integers = 0
        var strings = 0
        lua_pushnil(L)
        while lua_next(L, idx) != 0 {
            lua_settop(L, -2)
            count += 1
            switch lua_type(L, -1) {
            case LUA_TSTRING:
                strings += 1
            case LUA_TNUMBER where lua_isinteger(L, -1) != 0 && lua_tointegerx(L, -1, nil) >= 1:
                integers += 1
                largest = max(largest, Int64(lua_tointegerx(L, -1, nil)))
            default:
                let key = describeKey(-1)
                lua_settop(L, -2)
                throw failure("table has a key that is neither a string nor a positive integer (\(key))")
            }
        }
        if count == 0 { return .sortedObject }
        if strings == 0 {
            guard largest == count else {
                throw failure("table is not a sequence: \(count) integer keys but the largest is \(largest) (holes cannot be encoded)")
            }
            return .array(count: count)
        }
        if integers == 0 { return .sortedObject }
        throw failure("table mixes \(integers) integer keys and \(strings) string keys; use only 1..n (an array) or only strings (an object)")
    }

    /// For a `json.array` table: n, when its keys are exactly 1..n.
    private func sequenceLength(_ idx: Int32) throws(JSONEncodingError) -> Int64 {
        var count: Int64 = 0
        var largest: Int64 = 0
        lua_pushnil(L)
        while lua_next(L, idx) != 0 {
            lua_settop(L, -2)
            count += 1
            guard lua_type(L, -1) == LUA_TNUMBER, lua_isinteger(L, -1) != 0, lua_tointegerx(L, -1, nil) >= 1 else {
                let key = describeKey(-1)
                lua_settop(L, -2)
                throw failure("json.array table has a key that is not a positive integer (\(key))")
            }
            largest = max(largest, Int64(lua_tointegerx(L, -1, nil)))
        }
        guard largest == count else {
            throw failure("json.array table is not a sequence: \(count) items but the largest index is \(largest) (holes cannot be encoded)")
        }
        return count
    }

    /// The recorded key order must be strings without repeats; checked once per list.
    private mutating func checkKeyList(_ list: Int32) throws(JSONEncodingError) {
        let identity = lua_topointer(L, list)!
        if checkedKeyLists.contains(identity) { return }
        var seen: Set<[UInt8]> = []
        let n = lua_rawlen(L, list)
        var i: lua_Integer = 1
        while i <= n {
            defer { i += 1 }
            defer { lua_settop(L, -2) }
            guard lua_rawgeti(L, list, i) == LUA_TSTRING else { throw failure("__jsonkeys holds a value that is not a string") }
            var length = 0
            let p = lua_tolstring(L, -1, &length)!
            guard seen.insert(Array(UnsafeRawBufferPointer(start: p, count: length))).inserted else {
                throw failure("__jsonkeys lists a key twice")
            }
        }
        checkedKeyLists.insert(identity)
    }

    /// Append the member keys of the table at `idx` to `keys` in output order and return
    /// how many: the keys of `keyList` that are present, in its order, then the others in
    /// byte order (all keys in byte order without a list). Every key must be a string.
    private mutating func gatherKeys(_ idx: Int32, keyList: Int32?) throws(JSONEncodingError) -> Int {
        let first = keys.count
        var listed: Set<[UInt8]>? = nil
        if let keyList {
            let n = lua_rawlen(L, keyList)
            var i: lua_Integer = 1
            while i <= n {
                _ = lua_rawgeti(L, keyList, i)         // key
                lua_pushvalue(L, -1)
                if lua_rawget(L, idx) != LUA_TNIL {    // key, value
                    var length = 0
                    let p = lua_tolstring(L, -2, &length)! // kept alive by the list
                    keys.append((p, length))
                }
                lua_settop(L, -3)
                i += 1
            }
            // Keys added after decoding go after the recorded ones; look for them only when there are any.
            guard countKeys(idx) > keys.count - first else { return keys.count - first }
            listed = keySet(keyList)
        }
        let othersStart = keys.count
        lua_pushnil(L)
        while lua_next(L, idx) != 0 {
            lua_settop(L, -2)
            guard lua_type(L, -1) == LUA_TSTRING else {
                let key = describeKey(-1)
                lua_settop(L, -2)
                throw failure("object has a key that is not a string (\(key))")
            }
            var length = 0
            let p = lua_tolstring(L, -1, &length)! // kept alive by the table
            if let listed, listed.contains(Array(UnsafeRawBufferPointer(start: p, count: length))) { continue }
            keys.append((p, length))
        }
        keys[othersStart...].sort { a, b in
            UnsafeRawBufferPointer(start: a.pointer, count: a.count)
                .lexicographicallyPrecedes(UnsafeRawBufferPointer(start: b.pointer, count: b.count))
        }
        return keys.count - first
    }

    /// The number of keys of the table at `idx`.
    private func countKeys(_ idx: Int32) -> Int {
        var total = 0
        lua_pushnil(L)
        while lua_next(L, idx) != 0 {
            lua_settop(L, -2)
            total += 1
        }
        return total
    }

    /// The keys in the list at `list`, as bytes.
    private func keySet(_ list: Int32) -> Set<[UInt8]> {
        var keys: Set<[UInt8]> = []
        let n = lua_rawlen(L, list)
        var i: lua_Integer = 1
        while i <= n {
            _ = lua_rawgeti(L, list, i)
            var length = 0
            let p = lua_tolstring(L, -1, &length)!
            keys.insert(Array(UnsafeRawBufferPointer(start: p, count: length)))
            lua_settop(L, -2)
            i += 1
        }
        return keys
    }

    /// A key as error messages show it: `1.5 (a number)`, `a boolean`.
    private func describeKey(_ idx: Int32) -> String {
        switch lua_type(L, idx) {
        case LUA_TNUMBER:
            if lua_isinteger(L, idx) != 0 { return "the integer \(lua_tointegerx(L, idx, nil))" }
            return "the float \(lua_tonumberx(L, idx, nil))"
        case LUA_TSTRING:
            var length = 0
            let p = lua_tolstring(L, idx, &length)!
            return "\"" + String(decoding: UnsafeRawBufferPointer(start: p, count: length), as: UTF8.self) + "\""
        default:
            return "a " + LuaStack(L).typeName(at: idx)
        }
    }
}
