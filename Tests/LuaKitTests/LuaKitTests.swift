import Foundation
import Glibc
import LuaKit
import Testing

/// Runs `source` in a fresh state with the standard libraries.
private func run(_ source: String, in lua: LuaState? = nil) throws -> [LuaValue] {
    try (lua ?? LuaState()).run(source)
}

@Suite struct ValuesTests {
    @Test func integersStayIntegersAndFloatsStayFloats() throws {
        let lua = try LuaState()
        try lua.register("roundtrip") { s in
            s.push(try s.value(at: 1))
            return 1
        }
        let results = try lua.run("return math.type(roundtrip(3)), math.type(roundtrip(3.0)), roundtrip(3.0)")
        #expect(results == [.string("integer"), .string("float"), .number(3.0)])
    }

    @Test func twoToThe53PlusOneStaysExact() throws {
        let lua = try LuaState()
        lua.stack.push(Int64(9_007_199_254_740_993))
        try lua.stack.setGlobal("big")
        let results = try lua.run("return big, big == 9007199254740993, math.type(big), big + 1")
        #expect(results == [.integer(9_007_199_254_740_993), .boolean(true), .string("integer"), .integer(9_007_199_254_740_994)])
    }

    @Test func stringsWithNULBytesRoundTrip() throws {
        let lua = try LuaState()
        let bytes: [UInt8] = [0x61, 0x00, 0x62, 0x00, 0xFF]
        lua.stack.push(bytes: bytes)
        try lua.stack.setGlobal("s")
        let results = try lua.run("return #s, s:byte(2), s:byte(5), s .. '\\0'")
        #expect(results == [.integer(5), .integer(0), .integer(255), .string(bytes + [0])])
    }

    @Test func arraysAndDictionariesConvertByPolicy() throws {
        #expect(try run("return {1, 'two', 3.5}") == [.array([.integer(1), .string("two"), .number(3.5)])])
        #expect(try run("return {a = 1, b = {c = true}}") == [.dictionary(["a": .integer(1), "b": .dictionary(["c": .boolean(true)])])])
        #expect(try run("return {}") == [.array([])])
        #expect(try run("return {}")[0].dictionaryValue == [:])
    }

    @Test(arguments: [
        ("return {1, 2, x = 3}", "mixes key kinds"),
        ("return {[1] = 1, [3] = 3}", "not a sequence"),
        ("return {[true] = 1}", "mixes key kinds"),
        ("return {[0] = 'zero'}", "mixes key kinds"),
        ("local t = {}; t.self = t; return t", "contains itself"),
    ])
    func tablesOutsideThePolicyAreErrors(source: String, problem: String) throws {
        let lua = try LuaState()
        try lua.stack.load(source, name: "=t")
        try lua.stack.call(nargs: 0, nresults: 1)
        #expect {
            try lua.stack.value(at: -1)
        } throws: { error in
            (error as? LuaConversionError)?.description.contains(problem) == true
        }
    }

    @Test func swiftValuesPushAsLuaTables() throws {
        let lua = try LuaState()
        lua.stack.push(["list": [1, 2, 3], "name": "x"] as LuaValue)
        try lua.stack.setGlobal("v")
        #expect(try lua.run("return #v.list, v.list[3], v.name") == [.integer(3), .integer(3), .string("x")])
    }
}

@Suite struct FunctionTests {
    struct Refusal: Error, CustomStringConvertible { var description: String { "refused by Swift" } }

    @Test func throwingClosureInsidePcallReturnsFalseAndMessage() throws {
        let lua = try LuaState()
        try lua.register("refuse") { _ in throw Refusal() }
        let results = try lua.run("local ok, msg = pcall(refuse); return ok, msg")
        #expect(results == [.boolean(false), .string("refused by Swift")])
        // The host keeps running: the same state still works.
        #expect(try lua.run("return 40 + 2") == [.integer(42)])
    }

    @Test func uncaughtSwiftErrorReachesTheSwiftCallerWithTraceback() throws {
        let lua = try LuaState()
        try lua.register("refuse") { _ in throw Refusal() }
        #expect {
            try lua.run("local function inner() refuse() end\ninner()", name: "=chunk")
        } throws: { error in
            guard let error = error as? LuaError else { return false }
            return error.message == "refused by Swift" && error.kind == .runtime
                && (error.traceback ?? "").contains("in local 'inner'")
        }
    }

    @Test func argumentErrorsReadLikeLuas() throws {
        let lua = try LuaState()
        try lua.register("twice") { s in
            s.push(try s.integerArgument(1, of: "twice") * 2)
            return 1
        }
        #expect(try lua.run("return twice(21)") == [.integer(42)])
        let results = try lua.run("return select(2, pcall(twice, 'x'))")
        #expect(results == [.string("bad argument #1 to 'twice' (integer expected, got string)")])
        try lua.register("size") { s in
            s.push(try s.bytesArgument(1, of: "size").count)
            return 1
        }
        #expect(try lua.run("return size('a\\0b'), select(2, pcall(size))")
            == [.integer(3), .string("bad argument #1 to 'size' (string expected, got no value)")])
    }

    @Test func closureCalledAMillionTimesDoesNotGrowMemory() throws {
        let lua = try LuaState()
        try lua.register("inc") { s in
            s.push((s.toInteger(at: 1) ?? 0) + 1)
            return 1
        }
        try lua.run("for i = 1, 10000 do inc(i) end")
        lua.collectGarbage()
        let luaBefore = lua.bytesInUse
        let results = try lua.run("local n = 0; for i = 1, 1000000 do n = inc(n) end; return n")
        lua.collectGarbage()
        #expect(results == [.integer(1_000_000)])
        #expect(lua.bytesInUse <= luaBefore + 4096)
        // The process's resident size is checked in a process of its own (other tests
        // allocate concurrently here): see PayshCLITests.SwiftCallMemoryTests.
    }

    @Test func swiftFunctionCanYieldInsideACoroutine() throws {
        let lua = try LuaState()
        try lua.register("pause") { s in
            s.push("paused")
            return LuaFunctionOutcome.yield(1).code
        }
        let results = try lua.run("""
            local co = coroutine.create(function() local back = pause(); return 'resumed with ' .. back end)
            local _, first = coroutine.resume(co)
            local _, second = coroutine.resume(co, 'x')
            return first, second
            """)
        #expect(results == [.string("paused"), .string("resumed with x")])
    }

    @Test func yieldOutsideACoroutineIsAnErrorNotACrash() throws {
        let lua = try LuaState()
        try lua.register("pause") { _ in LuaFunctionOutcome.yield(0).code }
        #expect(throws: LuaError.self) { try lua.run("pause()") }
        #expect(try lua.run("return 1") == [.integer(1)])
    }
}

@Suite(.serialized) struct ObjectTests {
    final class Tracked {
        nonisolated(unsafe) static var deinits = 0
        let value: Int
        init(_ value: Int) { self.value = value }
        deinit { Tracked.deinits += 1 }
    }

    @Test func swiftObjectIsDeinitialisedOnceLuaCollectsIt() throws {
        Tracked.deinits = 0
        let lua = try LuaState()
        lua.stack.push(object: Tracked(7), metatable: "test.tracked")
        try lua.stack.setGlobal("obj")
        lua.collectGarbage()
        #expect(Tracked.deinits == 0) // still referenced by the global
        try lua.run("obj = nil")
        lua.collectGarbage()
        #expect(Tracked.deinits == 1)
        lua.collectGarbage()
        #expect(Tracked.deinits == 1)
    }

    @Test func objectsLeftInLuaAreReleasedWhenTheStateCloses() throws {
        Tracked.deinits = 0
        do {
            let lua = try LuaState()
            lua.stack.push(object: Tracked(1), metatable: "test.tracked")
            try lua.stack.setGlobal("obj")
        }
        #expect(Tracked.deinits == 1)
    }

    @Test func objectMethodsAndMetamethodsReachSwift() throws {
        let lua = try LuaState()
        lua.stack.defineMetatable("test.tracked", methods: [
            "value": { s in
                guard let obj = s.toObject(at: 1, as: Tracked.self) else { throw LuaError(message: "not a tracked object") }
                s.push(obj.value)
                return 1
            },
        ], metamethods: [
            "__tostring": { s in
                s.push("Tracked(\(s.toObject(at: 1, as: Tracked.self)?.value ?? -1))")
                return 1
            },
        ])
        lua.stack.push(object: Tracked(42), metatable: "test.tracked")
        try lua.stack.setGlobal("obj")
        let results = try lua.run("return obj:value(), tostring(obj), select(2, pcall(obj.value, {}))")
        #expect(results == [.integer(42), .string("Tracked(42)"), .string("not a tracked object")])
    }
}

@Suite struct ProtectedOperationTests {
    @Test func metamethodErrorsBecomeSwiftErrors() throws {
        let lua = try LuaState()
        try lua.run("t = setmetatable({}, {__index = function(_, k) error('no field ' .. k, 0) end})")
        let s = lua.stack
        try s.getGlobal("t")
        #expect { try s.getField(at: -1, "missing") } throws: { ($0 as? LuaError)?.message == "no field missing" }
        s.pop()
        #expect(try lua.run("return 'still alive'") == [.string("still alive")])
    }

    @Test func tostringAndComparisonsHonourMetamethods() throws {
        let lua = try LuaState()
        try lua.run("""
            local mt = {__tostring = function(v) return 'v' .. v.n end, __lt = function(a, b) return a.n < b.n end}
            a = setmetatable({n = 1}, mt); b = setmetatable({n = 2}, mt)
            """)
        let s = lua.stack
        try s.getGlobal("a")
        try s.getGlobal("b")
        #expect(try s.tostring(at: -2) == Array("v1".utf8))
        #expect(try s.compare(-2, -1, .lessThan))
        #expect(try !s.compare(-1, -2, .lessThan))
        s.pop(2)
    }

    @Test func syntaxErrorsAreTypedAndLocated() throws {
        let lua = try LuaState()
        #expect { try lua.stack.load("x = = 1", name: "=input") } throws: { error in
            guard let error = error as? LuaError else { return false }
            return error.kind == .syntax && error.message.hasPrefix("input:1:")
        }
    }

    @Test func referencesAreReleasedWhenTheirHolderDies() throws {
        let lua = try LuaState()
        lua.stack.newTable()
        var ref: LuaRef? = lua.stack.reference(at: -1)
        lua.stack.pop()
        let slot = ref!.ref
        ref = nil
        lua.stack.newTable()
        let second = lua.stack.reference(at: -1)
        lua.stack.pop()
        #expect(second.ref == slot) // the freed slot was reused
        _ = ref
    }

    @Test func referencesDroppedOnAnotherThreadAreReleasedOnDrain() throws {
        let lua = try LuaState()
        lua.stack.newTable()
        let box = RefBox(lua.stack.reference(at: -1))
        lua.stack.pop()
        let slot = box.ref!.ref
        let done = DispatchSemaphore(value: 0)
        Thread {
            box.ref = nil
            done.signal()
        }.start()
        done.wait()
        lua.stack.newTable()
        let early = lua.stack.reference(at: -1) // the slot is still taken until the drain
        lua.drainReleasedReferences()
        lua.stack.newTable()
        let again = lua.stack.reference(at: -1)
        lua.stack.pop(2)
        #expect(early.ref != slot)
        #expect(again.ref == slot)
    }

    final class RefBox: @unchecked Sendable {
        var ref: LuaRef?
        init(_ ref: LuaRef) { self.ref = ref }
    }
}
