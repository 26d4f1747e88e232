import CLuaShim
import LuaKit

/// The locals a REPL session has declared, kept from one line to the next.
///
/// In `lua`, every line is a chunk of its own, so `local inv = lumyri.invoice(id)`
/// is gone by the next line. Here a top-level `local` lives on: each line is
/// compiled inside a function that has the session's locals as upvalues,
///
///     local inv, n; local card = ...; return function(...) <the line> end
///
/// with the line's own top-level declarations turned into assignments
/// (``LocalDeclarations``). Before the line runs, each upvalue it uses is
/// joined (`lua_upvaluejoin`) to the one variable the session keeps for that
/// name, so closures made on different lines share it, as they would in one
/// chunk. A new name starts with the value its global had (so
/// `local print = print` keeps working); a line that fails to run declares
/// nothing.
///
/// Only the interactive terminal uses this; a piped session keeps `lua -i`'s
/// rules exactly.
public final class LocalScope {
    public init() {}

    /// At most this many locals are kept (Lua allows 200 in one function);
    /// declarations beyond it stay local to their line.
    static let limit = 180

    /// Registry table: name → the function that holds that local as an upvalue.
    private static let cellsKey = "paysh.repl.locals"

    /// The kept locals, in order of declaration.
    public private(set) var names: [String] = []
    /// Which upvalue of its cell function each local is.
    private var upvalueIndex: [String: Int32] = [:]
    /// Locals the line being run declares, kept if it succeeds.
    private var pending: [String: Int32] = [:]

    /// Compile `line` (which must already compile on its own) in the scope and
    /// push the function to run. `expression` compiles `return <line>;`.
    /// Returns false, pushing nothing, when it cannot be wrapped (the caller
    /// runs the line as `lua` would).
    public func load(_ line: [UInt8], expression: Bool, on stack: LuaStack) -> Bool {
        pending = [:]
        var body: [UInt8]
        var fresh: [String] = []
        if expression {
            body = Array("return ".utf8) + line + Array(";".utf8)
        } else {
            let rewritten = LocalDeclarations(rewriting: line, limit: Self.limit - names.count)
            body = rewritten.code
            fresh = rewritten.names.filter { upvalueIndex[$0] == nil }
        }
        var source = ""
        if !names.isEmpty { source += "local " + names.joined(separator: ", ") + "; " }
        if !fresh.isEmpty { source += "local " + fresh.joined(separator: ", ") + " = ...; " }
        let code = Array((source + "return function(...) ").utf8) + body + Array("\nend".utf8)
        let base = stack.top
        let status = code.withUnsafeBytes { luakit_loadbuffer(stack.L, $0.baseAddress, $0.count, "=stdin", nil) }
        guard status == LUA_OK, stack.ensure(Int32(fresh.count) + 4) else {
            stack.top = base
            return false
        }
        for name in fresh { pushGlobal(name, on: stack) }
        do { try stack.call(nargs: Int32(fresh.count), nresults: 1) } catch {
            stack.top = base
            return false
        }
        guard stack.type(at: -1) == .function else {
            stack.top = base
            return false
        }
        join(functionAt: stack.top, fresh: Set(fresh), on: stack)
        return true
    }

    /// The line ran: keep the locals it declared.
    public func commit() {
        for (name, index) in pending.sorted(by: { $0.value < $1.value }) where upvalueIndex[name] == nil {
            names.append(name)
            upvalueIndex[name] = index
        }
        pending = [:]
    }

    /// The line failed: forget what it declared.
    public func discard(on stack: LuaStack) {
        guard !pending.isEmpty else { return }
        pushCells(on: stack)
        for name in pending.keys where upvalueIndex[name] == nil {
            stack.pushNil()
            stack.rawSet(at: -2, name)
        }
        stack.pop()
        pending = [:]
    }

    /// Push the value of the kept local `name` and return true, or push nothing.
    public func pushValue(of name: String, on stack: LuaStack) -> Bool {
        guard let index = upvalueIndex[name] else { return false }
        pushCells(on: stack)
        guard stack.rawGet(at: -1, name) == .function else {
            stack.pop(2)
            return false
        }
        guard lua_getupvalue(stack.L, -1, index) != nil else {
            stack.pop(2)
            return false
        }
        stack.remove(at: -2)
        stack.remove(at: -2)
        return true
    }

    // MARK: Steps

    /// Join the upvalues of the function at `fn` that name kept locals to their
    /// cells, and record the function as the cell of the `fresh` names.
    private func join(functionAt fn: Int32, fresh: Set<String>, on stack: LuaStack) {
        pushCells(on: stack)
        let cells = stack.top
        var n: Int32 = 1
        while let raw = lua_getupvalue(stack.L, fn, n) {
            stack.pop()
            let name = String(cString: raw)
            if let index = upvalueIndex[name] {
                if stack.rawGet(at: cells, name) == .function { lua_upvaluejoin(stack.L, fn, n, -1, index) }
                stack.pop()
            } else if fresh.contains(name) {
                pending[name] = n
                stack.pushValue(at: fn)
                stack.rawSet(at: cells, name)
            }
            n += 1
        }
        stack.pop()
    }

    /// The global `name`'s value, or nil if reading it fails (a strict `_G`).
    private func pushGlobal(_ name: String, on stack: LuaStack) {
        do { try stack.getGlobal(name) } catch { stack.pushNil() }
    }

    private func pushCells(on stack: LuaStack) {
        if stack.rawGet(at: luaRegistryIndex, Self.cellsKey) != .table {
            stack.pop()
            stack.newTable()
            stack.pushValue(at: -1)
            stack.rawSet(at: luaRegistryIndex, Self.cellsKey)
        }
    }
}
