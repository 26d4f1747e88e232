import CLuaShim
import Glibc
import Synchronization

/// What a Swift function's I/O hands back to the Lua thread when it ends:
/// pushes the results onto the stack of the coroutine that waited and returns
/// how many; a thrown error is raised in that coroutine instead.
public typealias LuaDelivery = @Sendable (LuaStack) throws -> Int32

/// Runs chunks as coroutines so that Swift functions can do I/O without
/// blocking Lua, and several coroutines can wait for I/O at once (the
/// OpenResty model).
///
/// Every chunk handed to ``call(_:nargs:nresults:handler:)`` runs in a
/// coroutine of its own — a *fiber* — marked as a host thread (to Lua code it
/// looks like the main thread). A Swift function that needs I/O calls
/// ``suspend(_:_:)``: the work starts as a Swift task and the fiber yields;
/// when the task ends its ``LuaDelivery`` is queued, and the Lua thread —
/// blocked on a semaphore meanwhile, never on Swift's cooperative pool —
/// resumes the fiber with the delivered results.
///
/// A chunk can start more fibers (``spawn(_:nargs:)``) and wait for them
/// (``join(_:_:deliver:)``). While one fiber waits for I/O the others run, so
/// their requests are in flight together; there is still only one Lua thread,
/// and a fiber runs until it waits. The call returns when its chunk has ended
/// and every fiber it spawned has ended too. If the chunk fails, or Ctrl-C is
/// pressed, the fibers still running are cancelled — their tasks cancelled,
/// their coroutines closed, never resumed again — and the call fails. A
/// spawned fiber that failed with nobody waiting for it makes the call fail
/// with its error, so that no failure goes unseen.
///
/// Where a yield is impossible (inside `table.sort`'s comparator, a
/// `string.gsub` callback, a user's own coroutine, `require`), `suspend`
/// waits for the task right there instead: the call still works, it just
/// cannot overlap with others.
///
/// Use one scheduler per state, from the state's own thread only.
public final class LuaScheduler: @unchecked Sendable {
    /// One task in flight: the fiber waiting for it, and the task to cancel.
    private struct Waiting {
        let fiber: LuaFiber
        let task: Task<Void, Never>
    }

    /// How a fiber is to be resumed: started with its arguments (already on its
    /// stack), or with what a task or a join delivered.
    private enum Resumption {
        case start(Int32)
        case deliver(LuaDelivery)
    }

    /// The fibers of one ``call(_:nargs:nresults:handler:)``.
    private final class Run {
        let main: LuaFiber
        /// The thread that resumes the fibers (the caller's).
        let from: OpaquePointer
        /// A registry table holding the spawned fibers' threads while they run.
        let anchor: LuaRef
        var fibers: [OpaquePointer: LuaFiber] = [:]
        var spawned: [LuaFiber] = []
        var ready: [(LuaFiber, Resumption)] = []

        init(main: LuaFiber, from: OpaquePointer, anchor: LuaRef) {
            self.main = main
            self.from = from
            self.anchor = anchor
            fibers[main.thread] = main
        }

        var unfinished: [LuaFiber] { spawned.filter { !$0.isFinished } }
    }

    private let mailbox = Mailbox()
    private var wake: UnsafeMutablePointer<sem_t> { mailbox.semaphore }
    private var waiting: [Int: Waiting] = [:]
    private var nextID = 0
    /// The call being run, innermost first when calls nest.
    private var run: Run?
    /// Ctrl-C was seen (by a wait) and the call has not yet been stopped for it.
    private var interrupted = false

    public init() {}

    deinit {
        for entry in waiting.values { entry.task.cancel() }
    }

    /// Install the coroutine guards (`coroutine.yield`, `isyieldable`, `running`)
    /// that make host threads look like the main thread. Call once the standard
    /// libraries are open.
    public func install(on stack: LuaStack) throws {
        try stack.protected(luakit_op_guard_coroutines, nargs: 0, nresults: 0)
    }

    private func makeID() -> Int {
        nextID += 1
        return nextID
    }

    // MARK: Running a chunk

    /// Call the function below the top `nargs` arguments as a host coroutine,
    /// as `lua_pcall` with `handler` would: leaves `nresults` results
    /// (`LUA_MULTRET` for all) or the error value shaped by the handler, and
    /// returns the status. Ctrl-C interrupts it.
    public func call(_ stack: LuaStack, nargs: Int32, nresults: Int32, handler: Int32) -> Int32 {
        guard stack.ensure(5) else { return LUA_ERRMEM }
        let L = stack.L
        let co = lua_newthread(L)!
        stack.insert(at: -(nargs + 2))            // [thread, f, args...]
        luakit_push_chunk_runner(co)
        lua_xmove(L, co, nargs + 1)              // [thread]; co: [runner, f, args...]
        luakit_mark_host_thread(L, -1)
        stack.newTable()
        let anchor = stack.reference(at: -1)
        stack.pop()
        let current = Run(main: LuaFiber(thread: co, id: makeID()), from: L, anchor: anchor)
        let outer = run
        run = current
        luakit_interrupt_begin(co, wake)
        defer {
            luakit_interrupt_end()
            run = outer
        }
        var status = drive(current, nargs: nargs + 1)
        if status == LUA_OK {
            let count = lua_gettop(co)
            let wanted = nresults == LUA_MULTRET ? count : nresults
            guard stack.ensure(wanted + 1) else {
                lua_settop(co, 0)
                stack.pop()
                stack.push("stack overflow (too many results)")
                return LUA_ERRRUN
            }
            if count > wanted { lua_settop(co, wanted) }
            lua_xmove(co, L, min(count, wanted))
            for _ in count ..< max(count, wanted) { stack.pushNil() }
            stack.remove(at: -(wanted + 1))
        } else {
            lua_pushthread(co)
            lua_xmove(co, L, 1)                  // [thread, thread] (the op's argument)
            stack.push(Int64(handler))
            let shaped = luakit_pcallf(L, luakit_op_coroutine_error, 2, 1)
            if shaped != LUA_OK { status = shaped }
            _ = luakit_resetthread(co)           // close pending to-be-closed variables
            stack.remove(at: -2)
        }
        return status
    }

    /// Run the fibers of `run` until its chunk and every fiber it spawned have
    /// ended; the chunk's status, its results or error on its thread's stack.
    private func drive(_ run: Run, nargs: Int32) -> Int32 {
        interrupted = false
        run.ready.append((run.main, .start(nargs)))
        var mainStatus: Int32?
        while true {
            while !run.ready.isEmpty {
                let (fiber, how) = run.ready.removeFirst()
                let status = step(fiber, how, in: run)
                if luakit_interrupt_take() != 0 { interrupted = true }
                if fiber === run.main, status != LUA_YIELD {
                    mainStatus = status
                    if status != LUA_OK {
                        cancel(run.unfinished, in: run)
                        return status
                    }
                }
                if interrupted { return stop(run, mainStatus: mainStatus, reason: "interrupted!") }
            }
            if let mainStatus, run.unfinished.isEmpty {
                return mainStatus == LUA_OK ? failUnseen(run) : mainStatus
            }
            if !awaitDeliveries(run) {
                return stop(run, mainStatus: mainStatus, reason: interrupted ? "interrupted!" : Self.deadlock)
            }
        }
    }

    static let deadlock = "deadlock: every task is waiting for another"

    /// Resume `fiber` once, until it waits again or ends; the resume status.
    private func step(_ fiber: LuaFiber, _ how: Resumption, in run: Run) -> Int32 {
        let co = fiber.thread
        var count: Int32
        switch how {
        case .start(let n): count = n
        case .deliver(let delivery): count = deliver(delivery, to: LuaStack(co))
        }
        luakit_interrupt_target(co)
        var nresults: Int32 = 0
        let status = luakit_resume(co, run.from, count, &nresults)
        if status == LUA_YIELD {
            lua_settop(co, -nresults - 1)        // what the Swift function yielded is not needed
            if fiber.waitingTask != nil || !fiber.awaiting.isEmpty { return LUA_YIELD }
            // A yield nobody asked for: the fiber cannot go on.
            count = 0
            _ = luakit_resetthread(co)
            LuaStack(co).push("attempt to yield from outside a coroutine")
            finish(fiber, status: LUA_ERRRUN, in: run)
            return LUA_ERRRUN
        }
        finish(fiber, status: status, in: run)
        return status
    }

    /// A fiber ended: keep what it returned (or its error) for whoever waits,
    /// release a spawned fiber's coroutine, and wake the fibers joined on it.
    private func finish(_ fiber: LuaFiber, status: Int32, in run: Run) {
        fiber.waitingTask = nil
        fiber.awaiting = []
        let stack = LuaStack(run.from)
        if fiber !== run.main {
            let co = LuaStack(fiber.thread)
            if status == LUA_OK {
                let count = co.top
                co.newTable(array: count, hash: 1)
                for i in 0 ..< count {
                    co.pushValue(at: i + 1)
                    co.rawSet(at: -2, index: Int64(i + 1))
                }
                co.push(Int64(count))
                co.rawSet(at: -2, "n")
                fiber.outcome = .succeeded
            } else {
                lua_pushthread(fiber.thread)
                lua_xmove(fiber.thread, run.from, 1)
                stack.push(Int64(LUAKIT_HANDLER_KEEP))
                if luakit_pcallf(run.from, luakit_op_coroutine_error, 2, 1) == LUA_OK {
                    lua_xmove(run.from, fiber.thread, 1)
                } else {
                    stack.pop()
                    co.push("(the error of a task could not be kept)")
                }
                fiber.outcome = .failed
            }
            fiber.result = co.reference(at: -1)
            _ = luakit_resetthread(fiber.thread)
            release(fiber, in: run)
        } else {
            fiber.outcome = status == LUA_OK ? .succeeded : .failed
        }
        let joiners = fiber.joiners
        fiber.joiners = []
        for joiner in joiners {
            joiner.awaiting.removeAll { $0 === fiber }
            if joiner.awaiting.isEmpty, let delivery = joiner.joinDelivery {
                joiner.joinDelivery = nil
                run.ready.append((joiner, .deliver(delivery)))
            }
        }
    }

    /// Drop a spawned fiber's thread from the run's anchor (it can be collected).
    private func release(_ fiber: LuaFiber, in run: Run) {
        let stack = LuaStack(run.from)
        run.anchor.push(on: stack)
        lua_pushthread(fiber.thread)
        lua_xmove(fiber.thread, run.from, 1)
        stack.pushNil()
        lua_rawset(run.from, -3)
        stack.pop()
    }

    /// Cancel `fibers`: their tasks are cancelled, their coroutines closed and
    /// never resumed, and each ends failed with "cancelled".
    private func cancel(_ fibers: [LuaFiber], in run: Run) {
        for fiber in fibers where !fiber.isFinished {
            if let id = fiber.waitingTask {
                waiting[id]?.task.cancel()
                waiting[id] = nil
                _ = mailbox.take(id)
            }
            _ = luakit_resetthread(fiber.thread)
            LuaStack(fiber.thread).push("cancelled: the chunk that started this task ended with an error")
            finish(fiber, status: LUA_ERRRUN, in: run)
        }
        run.ready.removeAll { $0.0 !== run.main }
    }

    /// Stop the call for `reason` (Ctrl-C, a deadlock): cancel the spawned
    /// fibers, and fail the chunk — raising `reason` in it when it is still
    /// waiting, so that its to-be-closed variables run. A chunk that catches
    /// the error and waits again gets it again, until it ends.
    private func stop(_ run: Run, mainStatus: Int32?, reason: String) -> Int32 {
        interrupted = false
        cancel(run.unfinished, in: run)
        let main = run.main
        if mainStatus != nil {
            lua_settop(main.thread, 0)
            LuaStack(main.thread).push(reason)
            return LUA_ERRRUN
        }
        while true {
            if let id = main.waitingTask {
                waiting[id]?.task.cancel()
                waiting[id] = nil
                _ = mailbox.take(id)
            }
            main.waitingTask = nil
            main.awaiting = []
            main.joinDelivery = nil
            run.ready.removeAll()
            let status = step(main, .deliver({ _ in throw LuaError(message: reason) }), in: run)
            if status != LUA_YIELD { return status }
            cancel(run.unfinished, in: run)
        }
    }

    /// The chunk ended well: the call still fails with the error of a spawned
    /// fiber that failed while nobody waited for it.
    private func failUnseen(_ run: Run) -> Int32 {
        guard let failed = run.spawned.first(where: { $0.outcome == .failed && !$0.observed }), let error = failed.result else {
            return LUA_OK
        }
        lua_settop(run.main.thread, 0)
        error.push(on: LuaStack(run.main.thread))
        return LUA_ERRRUN
    }

    /// Push a delivery's results on `stack` for a resume: the result count, or
    /// the raise sentinel and the error (2) when the delivery threw.
    private func deliver(_ delivery: LuaDelivery, to stack: LuaStack) -> Int32 {
        let base = stack.top
        do {
            return try delivery(stack)
        } catch {
            stack.top = base
            luakit_push_raise_sentinel(stack.L)
            stack.pushError(error)
            return 2
        }
    }

    /// Sleep until a task of `run` delivers, and queue the fibers it resumes;
    /// false on Ctrl-C, or when nothing of `run` is in flight (a deadlock).
    private func awaitDeliveries(_ run: Run) -> Bool {
        while true {
            var any = false, pending = false
            for (id, entry) in waiting where run.fibers[entry.fiber.thread] === entry.fiber {
                pending = true
                guard let delivery = mailbox.take(id) else { continue }
                waiting[id] = nil
                entry.fiber.waitingTask = nil
                run.ready.append((entry.fiber, .deliver(delivery)))
                any = true
            }
            if any { return true }
            if luakit_interrupt_take() != 0 { interrupted = true }
            if interrupted || !pending { return false }
            while sem_wait(wake) != 0 && errno == EINTR {}
        }
    }

    // MARK: Fibers

    /// Start the function below the top `nargs` values as a new fiber of the
    /// call that is running, and pop them. It runs once the calling fiber
    /// waits (for I/O or a join) or ends. Throws outside a call.
    public func spawn(_ stack: LuaStack, nargs: Int32) throws -> LuaFiber {
        guard let run else { throw LuaError(message: "no chunk is running to start a task from") }
        guard stack.ensure(4) else { throw LuaError(message: "stack overflow (starting a task)") }
        let parent = run.fibers[stack.L]
        try checkNesting(from: parent)
        let L = stack.L
        let co = lua_newthread(L)!               // [f, args..., thread]
        run.anchor.push(on: stack)
        stack.pushValue(at: -2)
        stack.push(true)
        lua_rawset(L, -3)
        stack.pop()                              // [f, args..., thread]
        luakit_mark_host_thread(L, -1)
        stack.pop()
        luakit_push_chunk_runner(co)
        lua_xmove(L, co, nargs + 1)              // co: [runner, f, args...]
        let fiber = LuaFiber(thread: co, id: makeID())
        fiber.parent = parent
        run.fibers[co] = fiber
        run.spawned.append(fiber)
        run.ready.append((fiber, .start(nargs + 1)))
        return fiber
    }

    /// How many tasks may be nested: each started by one that is still
    /// running. Fibers resume one after the other from the scheduler's loop,
    /// so a function that starts a task running itself (through
    /// `paysh.parallel`, say) never deepens the C stack the way a plain
    /// recursion does; without this bound it would take memory until there
    /// is none. 200 is Lua's own bound on nested C calls.
    public static let maxNesting = 200

    /// Refuse a task that would be nested deeper than ``maxNesting``: counts
    /// the spawner and the unfinished fibers that started it, one above the
    /// other (a fiber whose starter has ended starts a new chain).
    private func checkNesting(from parent: LuaFiber?) throws {
        var depth = 1, ancestor = parent
        while let fiber = ancestor, !fiber.isFinished {
            depth += 1
            if depth > Self.maxNesting {
                throw LuaError(message: "stack overflow (tasks nested more than \(Self.maxNesting) deep, each started by one still running)")
            }
            ancestor = fiber.parent
        }
    }

    /// Wait for every one of `fibers` to end, then `deliver` (which pushes
    /// what the caller returns, and may throw a fiber's failure). At once
    /// when they all have ended; otherwise the calling fiber yields — only
    /// possible where a fiber can yield, elsewhere an error.
    public func join(_ stack: LuaStack, _ fibers: [LuaFiber], deliver: @escaping LuaDelivery) throws -> Int32 {
        for fiber in fibers { fiber.observed = true }
        let open = fibers.filter { !$0.isFinished }
        if open.isEmpty { return try deliver(stack) }
        guard let run, let me = run.fibers[stack.L], lua_isyieldable(stack.L) != 0 else {
            throw LuaError(message: "cannot wait for a task here (inside a metamethod, a sort, require or a coroutine of your own): wait from the chunk or from a task")
        }
        guard !open.contains(where: { $0 === me }) else { throw LuaError(message: "a task cannot wait for itself") }
        me.awaiting = open
        me.joinDelivery = deliver
        for fiber in open { fiber.joiners.append(me) }
        return LuaFunctionOutcome.yield(0).code
    }

    // MARK: Suspending for I/O

    /// Start `work` and suspend the calling coroutine until it ends; for a
    /// Swift ``LuaFunction`` to return directly.
    ///
    /// In a fiber that can yield, this returns the trampoline's yield code and
    /// the fiber resumes with the delivery's results. Anywhere else it waits
    /// for the work on this thread and returns the delivery's result count (or
    /// throws its error).
    public func suspend(_ stack: LuaStack, _ work: @escaping @Sendable () async -> LuaDelivery) throws -> Int32 {
        let id = makeID()
        let mailbox = self.mailbox
        let task = Task { mailbox.post(await work(), for: id) }
        if let fiber = run?.fibers[stack.L], lua_isyieldable(stack.L) != 0, luakit_is_host_thread(stack.L) != 0 {
            fiber.waitingTask = id
            waiting[id] = Waiting(fiber: fiber, task: task)
            return LuaFunctionOutcome.yield(0).code
        }
        return try waitInPlace(for: id, task: task)(stack)
    }

    /// Block the Lua thread until task `id` has delivered, or Ctrl-C: then
    /// the task is cancelled and the delivery raises `"interrupted!"` (and the
    /// call it is part of stops).
    private func waitInPlace(for id: Int, task: Task<Void, Never>) -> LuaDelivery {
        while true {
            if let delivery = mailbox.take(id) { return delivery }
            if luakit_interrupt_take() != 0 {
                interrupted = true
                task.cancel()
                return { _ in throw LuaError(message: "interrupted!") }
            }
            while sem_wait(wake) != 0 && errno == EINTR {}
        }
    }

    /// Number of tasks still in flight (for tests and diagnostics).
    public var tasksInFlight: Int { waiting.count }
}

/// A coroutine run by a ``LuaScheduler``: a chunk, or a function a chunk
/// spawned. Once it has ended, ``result`` holds what it returned (a table
/// `{n = count, ...}`) or the error it raised.
public final class LuaFiber: @unchecked Sendable {
    public enum Outcome: Sendable { case running, succeeded, failed }

    let thread: OpaquePointer
    /// Unique within its scheduler.
    public let id: Int
    public fileprivate(set) var outcome: Outcome = .running
    /// `{n = count, ...}` of its results, or its error value, once it ended.
    public fileprivate(set) var result: LuaRef?
    /// Whether anything has waited for it.
    public fileprivate(set) var observed = false
    fileprivate var waitingTask: Int?
    fileprivate var awaiting: [LuaFiber] = []
    fileprivate var joiners: [LuaFiber] = []
    fileprivate var joinDelivery: LuaDelivery?
    /// The fiber that started this one (nil for a chunk).
    fileprivate weak var parent: LuaFiber?

    init(thread: OpaquePointer, id: Int) {
        self.thread = thread
        self.id = id
    }

    public var isFinished: Bool { outcome != .running }

    /// Push every value the ended fiber returned and return how many, or
    /// throw its failure (raised in Lua as the very value the fiber raised).
    public func pushResults(on stack: LuaStack) throws -> Int32 {
        guard let result else { throw LuaError(message: "the task has not ended yet") }
        if outcome == .failed { throw LuaRaisedValue(result) }
        guard stack.ensure(2) else { throw LuaError(message: "stack overflow (a task's results)") }
        result.push(on: stack)
        stack.rawGet(at: -1, "n")
        let count = Int32(stack.toInteger(at: -1) ?? 0)
        stack.pop()
        guard stack.ensure(count + 1) else {
            stack.pop()
            throw LuaError(message: "stack overflow (a task's results)")
        }
        let table = stack.top
        for i in 0 ..< count { stack.rawGet(at: table, index: Int64(i + 1)) }
        stack.remove(at: table)
        return count
    }
}

/// A Lua value to raise again as it is (a fiber's failure, an item's error).
public struct LuaRaisedValue: LuaRaisable {
    let value: LuaRef
    public init(_ value: LuaRef) { self.value = value }
    public func pushLuaError(on stack: LuaStack) { value.push(on: stack) }
}

/// Where finished tasks leave their deliveries, and the semaphore the Lua
/// thread sleeps on. Every task holds it, so that a task finishing after its
/// scheduler is gone still posts safely.
private final class Mailbox: Sendable {
    nonisolated(unsafe) let semaphore: UnsafeMutablePointer<sem_t> = .allocate(capacity: 1)
    private let deliveries = Mutex<[Int: LuaDelivery]>([:])

    init() { sem_init(semaphore, 0, 0) }

    deinit {
        sem_destroy(semaphore)
        semaphore.deallocate()
    }

    /// Leave task `id`'s delivery and wake the Lua thread (any thread).
    func post(_ delivery: @escaping LuaDelivery, for id: Int) {
        deliveries.withLock { $0[id] = delivery }
        sem_post(semaphore)
    }

    /// Task `id`'s delivery, if it has arrived.
    func take(_ id: Int) -> LuaDelivery? {
        deliveries.withLock { $0.removeValue(forKey: id) }
    }
}
