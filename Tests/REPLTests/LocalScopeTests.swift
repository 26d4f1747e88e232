import CLuaShim
import LuaKit
@testable import REPL
import Testing

/// Top-level locals kept from one REPL line to the next.
@Suite struct LocalScopeTests {
    /// A Lua state and a scope, running lines as the terminal shell does.
    final class Session {
        let lua: LuaState
        let scope = LocalScope()
        init() throws { lua = try LuaState() }

        /// Run one line; its results as text (tostring), or the error message.
        @discardableResult
        func run(_ line: String) -> [String] {
            let stack = lua.stack
            stack.top = 0
            let bytes = Array(line.utf8)
            var expression = true
            var status = (Array("return ".utf8) + bytes + Array(";".utf8)).withUnsafeBytes {
                luakit_loadbuffer(stack.L, $0.baseAddress, $0.count, "=stdin", nil)
            }
            if status != LUA_OK {
                stack.pop()
                expression = false
                status = bytes.withUnsafeBytes { luakit_loadbuffer(stack.L, $0.baseAddress, $0.count, "=stdin", nil) }
            }
            guard status == LUA_OK else { return ["syntax: " + (stack.toString(at: -1) ?? "?")] }
            if scope.load(bytes, expression: expression, on: stack) { stack.remove(at: -2) }
            do {
                try stack.call(nargs: 0)
            } catch {
                scope.discard(on: stack)
                return ["error: \(error)"]
            }
            scope.commit()
            var results: [String] = []
            for i in 1 ... max(stack.top, 1) where stack.top >= 1 {
                results.append((try? stack.tostring(at: i)).map { String(decoding: $0, as: UTF8.self) } ?? "?")
            }
            stack.top = 0
            return results
        }
    }

    @Test func aLocalLivesOnInTheLinesThatFollow() throws {
        let session = try Session()
        #expect(session.run("local inv = { id = 'inv_1', total = 17 }") == [])
        #expect(session.run("inv.id") == ["inv_1"])
        session.run("inv.total = inv.total + 1")
        #expect(session.run("inv.total") == ["18"])
        #expect(session.run("rawget(_G, 'inv')") == ["nil"], "kept as a local, not made a global")
        #expect(session.scope.names == ["inv"])
    }

    @Test func closuresOnDifferentLinesShareOneVariable() throws {
        let session = try Session()
        session.run("local count = 0")
        session.run("function bump() count = count + 1 end")
        session.run("bump(); bump()")
        #expect(session.run("count") == ["2"])
        session.run("count = 10")
        session.run("bump()")
        #expect(session.run("count") == ["11"])
    }

    @Test func aClosureMadeOnTheDeclaringLineSharesItToo() throws {
        let session = try Session()
        session.run("local n = 0; function inc() n = n + 1; return n end")
        session.run("inc()")
        #expect(session.run("n") == ["1"])
        #expect(session.run("inc()") == ["2"])
    }

    @Test func aNewLocalStartsFromItsGlobal() throws {
        let session = try Session()
        session.run("local print, type = print, type")
        #expect(session.run("type(print)") == ["function"])
        session.run("x = 5")
        session.run("local x = x + 1")
        #expect(session.run("x") == ["6"])
        #expect(session.run("rawget(_G, 'x')") == ["5"])
    }

    @Test func declarationsWithoutValuesAndLocalFunctionsAreKept() throws {
        let session = try Session()
        session.run("local a, b")
        #expect(session.run("a, b") == ["nil", "nil"])
        session.run("local function fact(n) if n <= 1 then return 1 end return n * fact(n - 1) end")
        #expect(session.run("fact(5)") == ["120"])
        session.run("local s = [[local hidden = 1]] -- local neither = 2")
        #expect(session.scope.names == ["a", "b", "fact", "s"])
    }

    @Test func blockLocalsAttributesAndEnvStayWithTheirLine() throws {
        let session = try Session()
        session.run("do local inner = 1 end")
        session.run("for i = 1, 2 do local step = i end")
        session.run("if true then local branch = 1 end")
        session.run("local f = function() local body = 1 return body end")
        session.run("local limit <const> = 3")
        session.run("local _ENV = { print = print }")
        #expect(session.scope.names == ["f"])
        #expect(session.run("limit") == ["nil"])
        #expect(session.run("type(string)") == ["table"], "the globals are still the globals")
    }

    @Test func aLineThatFailsDeclaresNothing() throws {
        let session = try Session()
        let outcome = session.run("local lost = 1; error('stop')")
        #expect(outcome.first?.contains("stop") == true)
        #expect(session.scope.names.isEmpty)
        #expect(session.run("lost") == ["nil"])
    }

    @Test func errorsKeepTheirLineNumbers() throws {
        let session = try Session()
        session.run("local t = {}")
        let outcome = session.run("local ok = 1\nlocal bad = t.missing.field")
        #expect(outcome.first?.contains("stdin:2:") == true, "\(outcome)")
    }

    @Test func aRedeclaredLocalIsTheSameVariable() throws {
        let session = try Session()
        session.run("local v = 1")
        session.run("function getv() return v end")
        session.run("local v = 2")
        #expect(session.run("getv()") == ["2"])
        #expect(session.scope.names == ["v"])
    }
}
