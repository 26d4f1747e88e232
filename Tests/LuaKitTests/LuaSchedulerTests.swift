import CLuaShim
import Foundation
import LuaKit
import Synchronization
import Testing

/// Run `body` on a thread of its own, as paysh runs Lua: the scheduler blocks
/// its thread while tasks run, which must never be a thread of Swift's
/// cooperative pool (the tasks need those).
func onLuaThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread { continuation.resume(with: Result { try body() }) }
        thread.start()
    }
}

/// The scheduler: chunks as host coroutines, Swift I/O that suspends them.
@Suite struct LuaSchedulerTests {
    /// A state with the scheduler's guards and `later(v)`, which returns `v`
    /// after a real asynchronous sleep, recording whether it yielded.
    final class Fixture: @unchecked Sendable {
        let lua: LuaState
        let scheduler = LuaScheduler()
        var yields = 0
        /// How many `later` tasks were in flight at once, at most.
        let overlap = Overlap()

        final class Overlap: Sendable {
            private let counts = Mutex((now: 0, most: 0))
            func begin() { counts.withLock { $0.now += 1; $0.most = max($0.most, $0.now) } }
            func end() { counts.withLock { $0.now -= 1 } }
            var most: Int { counts.withLock { $0.most } }
        }

        init() throws {
            lua = try LuaState()
            try scheduler.install(on: lua.stack)
            try lua.register("later") { [unowned self] stack in
                let value = stack.toInteger(at: 1) ?? 0
                let overlap = self.overlap
                let code = try scheduler.suspend(stack) {
                    overlap.begin()
                    defer { overlap.end() }
                    try? await Task.sleep(for: .milliseconds(5))
                    return { stack in
                        if value < 0 { throw LuaError(message: "negative: \(value)") }
                        stack.push(value * 10)
                        return 1
                    }
                }
                if code < 0 { yields += 1 }
                return code
            }
            // spawn(f, ...) -> task; wait(task...) -> each task's first result, or its error.
            try lua.register("spawn") { [unowned self] stack in
                let fiber = try scheduler.spawn(stack, nargs: stack.top - 1)
                stack.push(object: fiber, metatable: "test.task")
                return 1
            }
            try lua.register("wait") { [unowned self] stack in
                let fibers = (1 ... max(1, stack.top)).compactMap { stack.toObject(at: $0, as: LuaFiber.self) }
                return try scheduler.join(stack, fibers) { stack in
                    for fiber in fibers {
                        let n = try fiber.pushResults(on: stack)
                        if n == 0 { stack.pushNil() } else if n > 1 { stack.pop(n - 1) }
                    }
                    return Int32(fibers.count)
                }
            }
            try lua.register("inflight") { [unowned self] stack in
                stack.push(Int64(scheduler.tasksInFlight))
                return 1
            }
        }

        /// Run `source` through the scheduler; the results as integers, or the error text.
        func run(_ source: String) throws -> Result<[Int64], LuaError> {
            let stack = lua.stack
            try stack.load(source, name: "=test")
            let status = scheduler.call(stack, nargs: 0, nresults: LUA_MULTRET, handler: LUAKIT_HANDLER_NONE)
            defer { stack.top = 0 }
            guard status == LUA_OK else { return .failure(LuaError(message: stack.toString(at: -1) ?? "?")) }
            return .success((1 ... max(1, stack.top)).prefix(Int(stack.top)).map { stack.toInteger(at: $0) ?? -1 })
        }
    }

    @Test func aChunkSuspendsWhileSwiftWorksAndResumesWithTheResult() async throws {
        try await onLuaThread {
            let f = try Fixture()
            #expect(try f.run("local a = later(1); local b = later(2); return a + b, 7").get() == [30, 7])
            #expect(f.yields == 2)
            #expect(f.scheduler.tasksInFlight == 0)
        }
    }

    @Test func aDeliveredErrorIsRaisedInTheCoroutineAndCanBeCaught() async throws {
        try await onLuaThread {
            let f = try Fixture()
            #expect(try f.run("local ok, e = pcall(later, -1); return ok and 1 or 0, later(3)").get() == [0, 30])
            guard case .failure(let error) = try f.run("return later(-4)") else { Issue.record("no error"); return }
            #expect(error.message.contains("negative: -4"))
        }
    }

    @Test func whereAYieldIsImpossibleTheCallWaitsInPlace() async throws {
        try await onLuaThread {
            let f = try Fixture()
            let source = "local t = {3, 1, 2}; table.sort(t, function(a, b) return later(a) < later(b) end); return t[1], t[3]"
            #expect(try f.run(source).get() == [1, 3])
            #expect(f.yields == 0)
            let inUserCoroutine = "return coroutine.wrap(function() return later(5) end)()"
            #expect(try f.run(inUserCoroutine).get() == [50])
            #expect(f.yields == 0)
        }
    }

    @Test func hostThreadsLookLikeTheMainThread() async throws {
        try await onLuaThread {
            let f = try Fixture()
            #expect(try f.run("return coroutine.isyieldable() and 1 or 0, select(2, coroutine.running()) and 1 or 0").get() == [0, 1])
            guard case .failure(let error) = try f.run("coroutine.yield(1)") else { Issue.record("no error"); return }
            #expect(error.message == "attempt to yield from outside a coroutine")
        }
    }

    @Test func resultsAreTruncatedOrPaddedToTheCountAsked() async throws {
        try await onLuaThread {
            let f = try Fixture()
            let stack = f.lua.stack
            try stack.load("return later(1), later(2), later(3)", name: "=t")
            #expect(f.scheduler.call(stack, nargs: 0, nresults: 2, handler: LUAKIT_HANDLER_NONE) == LUA_OK)
            #expect(stack.top == 2 && stack.toInteger(at: 1) == 10 && stack.toInteger(at: 2) == 20)
            stack.top = 0
            try stack.load("return 1", name: "=t")
            #expect(f.scheduler.call(stack, nargs: 0, nresults: 3, handler: LUAKIT_HANDLER_NONE) == LUA_OK)
            #expect(stack.top == 3 && stack.type(at: 3) == .nil)
        }
    }

    @Test func spawnedTasksWaitForIOTogether() async throws {
        try await onLuaThread {
            let f = try Fixture()
            let source = """
            local tasks = {}
            for i = 1, 20 do tasks[i] = spawn(function(n) local a = later(n); local b = later(n + 1); return a + b end, i) end
            local total = 0
            for i = 1, 20 do total = total + wait(tasks[i]) end
            return total
            """
            #expect(try f.run(source).get() == [Int64((1 ... 20).map { $0 * 20 + 10 }.reduce(0, +))])
            #expect(f.overlap.most >= 10, "the twenty tasks' waits overlapped (\(f.overlap.most) at once)")
            #expect(f.yields == 40)
            #expect(f.scheduler.tasksInFlight == 0)
        }
    }

    @Test func waitingRaisesATasksErrorAndTheOthersGoOn() async throws {
        try await onLuaThread {
            let f = try Fixture()
            let source = """
            local bad = spawn(function() return later(-1) end)
            local good = spawn(function() return later(2) end)
            local ok, err = pcall(wait, bad)
            return ok and 1 or 0, tostring(err):find("negative: %-1") and 1 or 0, wait(good)
            """
            #expect(try f.run(source).get() == [0, 1, 20])
            let errorTable = "local t = spawn(function() error({code = 7}) end); local ok, e = pcall(wait, t); return e.code"
            #expect(try f.run(errorTable).get() == [7], "the very value the task raised")
        }
    }

    @Test func aCallWaitsForWhatItSpawnedAndAFailureNobodySawFailsIt() async throws {
        try await onLuaThread {
            let f = try Fixture()
            #expect(try f.run("done = 0; spawn(function() later(1); done = 1 end); return 5").get() == [5])
            #expect(try f.run("return done").get() == [1], "the task finished before the call returned")
            guard case .failure(let error) = try f.run("spawn(function() later(1); error('lost payout') end); return 1") else {
                Issue.record("a failure nobody waited for was ignored")
                return
            }
            #expect(error.message.contains("lost payout"))
            #expect(try f.run("local t = spawn(function() return later(4) end); return 1").get() == [1])
        }
    }

    @Test func anErrorInTheChunkCancelsItsTasksWhichNeverResume() async throws {
        try await onLuaThread {
            let f = try Fixture()
            let source = """
            resumed = 0
            for i = 1, 5 do spawn(function() later(1); later(1); resumed = resumed + 1 end) end
            later(0)
            error("stop here")
            """
            guard case .failure(let error) = try f.run(source) else { Issue.record("no error"); return }
            #expect(error.message.contains("stop here"))
            #expect(f.scheduler.tasksInFlight == 0)
            usleep(50_000)
            #expect(try f.run("return resumed").get() == [0], "no cancelled task ran on")
        }
    }

    @Test func tasksThatWaitForEachOtherAreADeadlockNotAHang() async throws {
        try await onLuaThread {
            let f = try Fixture()
            let source = "local a; local b = spawn(function() return wait(a) end); a = spawn(function() return wait(b) end); return wait(a)"
            guard case .failure(let error) = try f.run(source) else { Issue.record("no error"); return }
            #expect(error.message.contains("deadlock"), "\(error.message)")
            guard case .failure(let own) = try f.run("local me; me = spawn(function() return wait(me) end); return wait(me)") else {
                Issue.record("no error")
                return
            }
            #expect(own.message.contains("cannot wait for itself"), "\(own.message)")
        }
    }

    @Test func waitingWhereNoYieldIsPossibleIsRefusedClearly() async throws {
        try await onLuaThread {
            let f = try Fixture()
            let source = "local t = spawn(function() return later(1) end); local ok, e = pcall(table.sort, {2, 1}, function() return wait(t) end); wait(t); return ok and 1 or 0, tostring(e):find('cannot wait for a task here') and 1 or 0"
            #expect(try f.run(source).get() == [0, 1])
        }
    }
}
