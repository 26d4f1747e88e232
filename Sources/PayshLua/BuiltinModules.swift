import CLuaShim
import CStdlib
import Glibc
import LuaJSON
import LuaKit
import PaymentsCore

/// paysh's own Lua modules, made available without disturbing any Lua program.
///
/// - `require "json"` (and every other built-in name) finds a built-in
///   module through a searcher appended *after* Lua's own, so a `json.lua`
///   (or C module) on the user's path still wins, and a missing module's
///   error message is exactly Lua's.
/// - Reading an undefined global with a public module's name (`json`,
///   `lumyri`, `money`, `pp`, `help`, ...) loads that module, through an
///   `__index` on the global table. Defined globals are untouched, and
///   `pairs(_G)` shows only what a program set. A program that sets its own
///   metatable on `_G` replaces this one.
public enum BuiltinModules {
    /// Names that are also lazy globals. (`paysh.output` is reachable only by `require`.)
    public static let globals: [String] = ["json", "inspect", "pp", "money", "csv", "lumanu", "lumen", "lumyri", "paysh", "sandbox", "help"]

    static let cacheKey = "paysh.builtin"

    /// Install the searcher and the lazy globals; `runtime` backs the API
    /// modules. The state's memory cap is set here too (``MemoryLimit``),
    /// before any program runs.
    public static func install(on stack: LuaStack, runtime: PayshRuntime) throws {
        do throws(PaymentsError) { try MemoryLimit.apply(on: stack, environment: runtime.options.environment) } catch {
            throw LuaAPIError(error)
        }
        stack.newTable()
        stack.rawSet(at: luaRegistryIndex, cacheKey)
        let openers = makeOpeners(runtime: runtime)
        try appendSearcher(on: stack, openers: openers)
        try installLazyGlobals(on: stack, openers: openers)
    }

    typealias Opener = (LuaStack) throws -> Void

    /// Name and opener (pushes the module's value) of each built-in module.
    static func makeOpeners(runtime: PayshRuntime) -> [String: Opener] {
        var openers: [String: Opener] = [
            "json": { LuaJSON.pushModule(on: $0) },
            "pp": { stack in
                _ = try push("inspect", on: stack, openers: makeOpeners(runtime: runtime))
                stack.rawGet(at: -1, "pp")
                stack.remove(at: -2)
            },
            "help": { stack in Help.push(runtime: runtime, on: stack) },
        ]
        for (module, bindings) in BindingCatalogue.modules {
            openers[module] = { stack in
                BindingTable.push(bindings, runtime: runtime, on: stack)
                Help.record(bindings, moduleAt: -1, on: stack)
            }
        }
        var index = 0
        while let raw = paysh_stdlib_name(index) {
            let name = String(cString: raw)
            openers[name] = { stack in try openStdlib(name, on: stack) }
            index += 1
        }
        return openers
    }

    /// Run the embedded Lua module `name` (as `require` would: with its name as argument) and push its value.
    static func openStdlib(_ name: String, on stack: LuaStack) throws {
        var length = 0
        guard let source = paysh_stdlib_source(name, &length) else { throw LuaError(message: "no built-in module '\(name)'") }
        try stack.load(UnsafeRawBufferPointer(start: source, count: length), name: "=stdlib/" + name.replacingOccurrences(of: ".", with: "/") + ".lua")
        stack.push(name)
        try stack.call(nargs: 1, nresults: 1)
        if name == "inspect" {
            stack.push(isatty(1) != 0)
            stack.rawSet(at: -2, "color_default")
        }
    }

    /// Push the built-in module `name` (opened on first use, as `require`
    /// would), without touching the globals: for REPL completion, which must
    /// not go through `_G`'s `__index`. False when there is no such module.
    public static func pushModule(_ name: String, on stack: LuaStack, runtime: PayshRuntime) throws -> Bool {
        try push(name, on: stack, openers: makeOpeners(runtime: runtime))
    }

    /// Push the built-in module `name`, opening it once; false when there is no such module.
    static func push(_ name: String, on stack: LuaStack, openers: [String: Opener]) throws -> Bool {
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

    private static func appendSearcher(on stack: LuaStack, openers: [String: Opener]) throws {
        try stack.getGlobal("package")
        guard stack.type(at: -1) == .table, stack.rawGet(at: -1, "searchers") == .table else {
            stack.top -= 2
            return
        }
        let slot = stack.rawLength(at: -1) + 1
        stack.push(function: { frame in
            guard let name = frame.toString(at: 1), name != "pp", name != "help", openers[name] != nil else { return 0 }
            frame.push(function: { loader in
                guard try push(name, on: loader, openers: openers) else { return 0 }
                return 1
            })
            frame.push(":paysh:")
            return 2
        })
        stack.rawSet(at: -2, index: slot)
        stack.pop(2)
    }

    private static func installLazyGlobals(on stack: LuaStack, openers: [String: Opener]) throws {
        let globals = Set(globals)
        stack.pushGlobalTable()
        stack.newTable()
        stack.push(function: { frame in
            guard let name = frame.toString(at: 2), globals.contains(name), try push(name, on: frame, openers: openers) else { return 0 }
            frame.pushValue(at: -1)
            frame.rawSet(at: 1, name)
            return 1
        })
        stack.rawSet(at: -2, "__index")
        stack.setMetatable(at: -2)
        stack.pop()
    }
}
