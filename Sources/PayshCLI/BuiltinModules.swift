import LuaJSON
import LuaKit

/// paysh's own Lua modules, made available without disturbing any Lua program.
///
/// - `require "json"` finds a built-in module through a searcher appended
///   *after* Lua's own, so a `json.lua` (or C module) on the user's path still
///   wins, and a missing module's error message is exactly Lua's.
/// - Reading an undefined global with a built-in module's name (`json`)
///   loads that module, through an `__index` on the global table. Defined
///   globals are untouched, and `pairs(_G)` shows only what a program set.
///   A program that sets its own metatable on `_G` replaces this one.
enum BuiltinModules {
    /// Name and opener (pushes the module's value) of each built-in module.
    static let openers: [String: @Sendable (LuaStack) throws -> Void] = [
        "json": { LuaJSON.pushModule(on: $0) },
    ]

    static let cacheKey = "paysh.builtin"

    static func install(on stack: LuaStack) throws {
        stack.newTable()
        stack.rawSet(at: luaRegistryIndex, cacheKey)
        try appendSearcher(on: stack)
        try installLazyGlobals(on: stack)
    }

    /// Push the built-in module `name`, opening it once; false when there is no such module.
    static func push(_ name: String, on stack: LuaStack) throws -> Bool {
        guard let open = openers[name] else { return false }
        stack.rawGet(at: luaRegistryIndex, cacheKey)
        if stack.rawGet(at: -1, name) != .nil {
            stack.remove(at: -2)
            return true
        }
        stack.pop()
        try open(stack)
        stack.pushValue(at: -1)
        stack.rawSet(at: -3, name)
        stack.remove(at: -2)
        return true
    }

    private static func appendSearcher(on stack: LuaStack) throws {
        try stack.getGlobal("package")
        guard stack.type(at: -1) == .table, stack.rawGet(at: -1, "searchers") == .table else {
            stack.top -= 2
            return
        }
        let slot = stack.rawLength(at: -1) + 1
        stack.push(function: { frame in
            guard let name = frame.toString(at: 1), openers[name] != nil else { return 0 }
            frame.push(function: { loader in
                guard try push(name, on: loader) else { return 0 }
                return 1
            })
            frame.push(":paysh:")
            return 2
        })
        stack.rawSet(at: -2, index: slot)
        stack.pop(2)
    }

    private static func installLazyGlobals(on stack: LuaStack) throws {
        stack.pushGlobalTable()
        stack.newTable()
        stack.push(function: { frame in
            guard let name = frame.toString(at: 2), try push(name, on: frame) else { return 0 }
            frame.pushValue(at: -1)
            frame.rawSet(at: 1, name)
            return 1
        })
        stack.rawSet(at: -2, "__index")
        stack.setMetatable(at: -2)
        stack.pop()
    }
}
