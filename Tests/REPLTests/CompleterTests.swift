import Foundation
import LuaKit
@testable import PayshLua
@testable import REPL
import Testing

/// Tab completion against a real Lua state with paysh's modules.
@Suite struct CompleterTests {
    /// A state set up as the shell's, with a scope and a runtime (no profile is ever loaded).
    final class Shell {
        let lua: LuaState
        let scope = LocalScope()
        let runtime: PayshRuntime
        let locals: LocalScopeTests.Session

        init() throws {
            locals = try LocalScopeTests.Session()
            lua = locals.lua
            runtime = PayshRuntime(options: RuntimeOptions(environment: ["HOME": "/nonexistent"], interactive: false), scheduler: LuaScheduler())
            try BuiltinModules.install(on: lua.stack, runtime: runtime)
        }

        func complete(_ text: String) -> [String] {
            Completer(stack: lua.stack, scope: locals.scope, runtime: runtime).complete(Array(text.utf8)).candidates
        }

        func start(_ text: String) -> Int {
            Completer(stack: lua.stack, scope: locals.scope, runtime: runtime).complete(Array(text.utf8)).start
        }

        func run(_ code: String) { locals.run(code) }
    }

    @Test func aModuleNameCompletesBeforeTheModuleIsUsed() throws {
        let shell = try Shell()
        #expect(shell.complete("lumy") == ["lumyri"])
        #expect(shell.complete("x = lum") == ["lumanu", "lumen", "lumyri"])
        #expect(shell.complete("fun") == ["function"])
        #expect(shell.complete("pri") == ["print("])
        #expect(shell.start("x = lum") == 4)
    }

    @Test func fieldsOfAModuleCompleteWithAParenthesisForFunctions() throws {
        let shell = try Shell()
        #expect(shell.complete("lumyri.pay_") == ["pay_invoice("])
        #expect(shell.complete("lumyri.in") == ["invoice(", "invoices("])
        #expect(shell.complete("string.fo") == ["format("])
        #expect(shell.complete("x = json.nu") == ["null", "number("])
    }

    @Test func methodsOfAnObjectComeFromItsMetatable() throws {
        let shell = try Shell()
        shell.run("local Account = {} Account.__index = Account function Account.deposit() end function Account.close() end")
        shell.run("acct = setmetatable({ balance = 1 }, Account)")
        #expect(shell.complete("acct:") == ["close(", "deposit("])
        #expect(shell.complete("acct.") == ["balance", "close(", "deposit("])
        #expect(shell.complete("s = 'x'; (\"\"):") == [], "a call's result is not looked into")
    }

    @Test func completionRunsNoUserCode() throws {
        let shell = try Shell()
        shell.run("calls = 0")
        shell.run("trap = setmetatable({}, { __index = function(t, k) calls = calls + 1 return 1 end })")
        shell.run("_G.deep = setmetatable({}, { __index = setmetatable({}, { __index = function() calls = calls + 1 end }) })")
        _ = shell.complete("trap.")
        _ = shell.complete("trap.anything.")
        _ = shell.complete("deep.x")
        _ = shell.complete("deep:x")
        #expect(shell.locals.run("calls") == ["0"])
    }

    @Test func localsOfEarlierLinesComplete() throws {
        let shell = try Shell()
        shell.run("local invoice = { id = 'inv_1', status = 'Processing', details = { path = 'route' } }")
        #expect(shell.complete("inv") == ["invoice"])
        #expect(shell.complete("invoice.st") == ["status"])
        #expect(shell.complete("invoice.details.p") == ["path"])
        #expect(shell.complete("invoice['details'].") == ["path"])
    }

    @Test func theLastResultsFieldsComplete() throws {
        let shell = try Shell()
        shell.run("_ = { { id = 'inv_1', total = '17.00' } }")
        #expect(shell.complete("_[1].to") == ["total"])
    }

    @Test func idsSeenThisSessionCompleteTheFirstArgumentOfACallThatTakesOne() throws {
        let shell = try Shell()
        shell.runtime.remember("4e872310-58fb-40bf-9494-68731fb3d6b4", kind: "invoice")
        shell.runtime.remember("efffe5b4-f41e-4ca9-8518-6f521cd93ad3", kind: "invoice")
        shell.runtime.remember("card_1", kind: "card")
        #expect(shell.complete("lumyri.pay_invoice(") == ["\"efffe5b4-f41e-4ca9-8518-6f521cd93ad3\"", "\"4e872310-58fb-40bf-9494-68731fb3d6b4\""])
        #expect(shell.complete("lumyri.pay_invoice(\"4e") == ["4e872310-58fb-40bf-9494-68731fb3d6b4\""])
        #expect(shell.complete("lumyri.invoice 'ef") == ["efffe5b4-f41e-4ca9-8518-6f521cd93ad3'"])
        #expect(shell.complete("lumyri.delete_card(\"") == ["card_1\""])
        shell.run("local pay = lumyri.pay_invoice")
        #expect(shell.complete("pay(\"4e") == ["4e872310-58fb-40bf-9494-68731fb3d6b4\""], "an alias of the binding")
        #expect(shell.complete("print(\"4e") == [], "print takes no id")
    }

    @Test func fieldsOfATableArgumentComeFromTheDeclaration() throws {
        let shell = try Shell()
        #expect(shell.complete("lumanu.create_payout{pay") == ["payee_email = ", "paysh_ref = "], "fields only, not the module paysh")
        #expect(shell.complete("print{pay") == ["paysh"], "a table that is not a declared record takes values")
        #expect(shell.complete("lumanu.create_payout{ payee_email = 'a@b.c', am").first == "amount = ")
        #expect(shell.complete("lumyri.create_card{ info = { card").prefix(2) == ["cardName = ", "cardNumber = "])
        #expect(shell.complete("lumyri.update_card(id, { is").first == "isDefault = ")
    }

    @Test func nothingIsOfferedInsideACommentOrALongString() throws {
        let shell = try Shell()
        #expect(shell.complete("x = 1 -- lumy") == [])
        #expect(shell.complete("x = [[ lumy") == [])
    }
}
