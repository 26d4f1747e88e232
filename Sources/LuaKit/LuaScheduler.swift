import CLuaShim
import Glibc
import Synchronization

/// What a Swift function's I/O hands back to the Lua thread when it ends:
/// pushes the results onto the stack of the coroutine that waited and returns
/// how many; a thrown error is raised in that coroutine instead.
public typealias LuaDelivery = @Sendable (LuaStack) throws -> Int32

/// Runs chunks as coroutines so that Swift functions can do I/O without
/// blocking Lua (the OpenResty model).
///
/// Every chunk handed to ``call(_:nargs:nresults:handler:)`` runs in a
/// coroutine of its own, marked as a host thread (to Lua code it looks like
/// the main thread). A Swift function that needs I/O calls
/// ``suspend(_:_:)``: the work starts as a Swift task and the coroutine
/// yields; when the task ends its ``LuaDelivery`` is queued, and the Lua
/// thread — blocked on a semaphore meanwhile, never on Swift's cooperative
/// pool — resumes the coroutine with the delivered results.
///
/// Where a yield is impossible (inside `table.sort`'s comparator, a
/// `string.gsub` callback, a user's own coroutine, `require`), `suspend`
/// waits for the task right there instead: the call still works, it just
/// cannot overlap with others.
///
/// Ctrl-C while a chunk runs raises `"interrupted!"` in it, in Lua code
/// (through a hook) and while waiting for I/O alike; the task in flight is
/// cancelled and its late delivery is dropped.
///
/// Use one scheduler per state, from the state's own thread only.
public final class LuaScheduler: @unchecked Sendable {
    /// One task in flight: the coroutine waiting for it, and the task to cancel.
    private struct Waiting {
        let thread: OpaquePointer
        let task: Task<Void, Never>
    }

    private let mailbox = Mailbox()
    private var wake: UnsafeMutablePointer<sem_t> { mailbox.semaphore }
    private var waiting: [Int: Waiting] = [:]
    private var nextID = 0

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

    // MARK: Running a chunk

    /// Call the function below the top `nargs` arguments as a host coroutine,
    /// as `lua_pcall` with `handler` would: leaves `nresults` results
    /// (`LUA_MULTRET` for all) or the error value shaped by the handler, and
    /// returns the status. Ctrl-C interrupts it.
    public func call(_ stack: LuaStack, nargs: Int32, nresults: Int32, handler: Int32) -> Int32 {
        guard stack.ensure(4) else { return LUA_ERRMEM }
        let L = stack.L
        let co = lua_newthread(L)!
        stack.insert(at: -(nargs + 2))            // [thread, f, args...]
        luakit_push_chunk_runner(co)
        lua_xmove(L, co, nargs + 1)              // [thread]; co: [runner, f, args...]
        luakit_mark_host_thread(L, -1)
        luakit_interrupt_begin(co, wake)
        defer { luakit_interrupt_end() }
        var status = resume(co, from: L, nargs: nargs + 1)
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

    /// Resume `co` until it finishes or fails, serving its waits for I/O.
    private func resume(_ co: OpaquePointer, from L: OpaquePointer, nargs: Int32) -> Int32 {
        var count = nargs
        while true {
            var nresults: Int32 = 0
            let status = luakit_resume(co, L, count, &nresults)
            guard status == LUA_YIELD else { return status }
            lua_settop(co, -nresults - 1)        // what the Swift function yielded is not needed
            guard let id = waiting.first(where: { $0.value.thread == co })?.key else {
                LuaStack(co).push("attempt to yield from outside a coroutine")
                return LUA_ERRRUN
            }
            count = deliver(wait(for: id), to: LuaStack(co))
        }
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

    // MARK: Suspending for I/O

    /// Start `work` and suspend the calling coroutine until it ends; for a
    /// Swift ``LuaFunction`` to return directly.
    ///
    /// In a host coroutine that can yield, this returns the trampoline's
    /// yield code and the coroutine resumes with the delivery's results.
    /// Anywhere else it waits for the work on this thread and returns the
    /// delivery's result count (or throws its error).
    public func suspend(_ stack: LuaStack, _ work: @escaping @Sendable () async -> LuaDelivery) throws -> Int32 {
        let id = start(thread: stack.L, work)
        if lua_isyieldable(stack.L) != 0 && luakit_is_host_thread(stack.L) != 0 {
            return LuaFunctionOutcome.yield(0).code
        }
        return try wait(for: id)(stack)
    }

    private func start(thread: OpaquePointer, _ work: @escaping @Sendable () async -> LuaDelivery) -> Int {
        nextID += 1
        let id = nextID
        let mailbox = self.mailbox
        let task = Task { mailbox.post(await work(), for: id) }
        waiting[id] = Waiting(thread: thread, task: task)
        return id
    }

    /// Block the Lua thread until task `id` has delivered, or Ctrl-C: then
    /// the task is cancelled and the delivery raises `"interrupted!"`.
    private func wait(for id: Int) -> LuaDelivery {
        defer { waiting[id] = nil }
        while true {
            if let delivery = mailbox.take(id) { return delivery }
            if luakit_interrupt_take() != 0 {
                waiting[id]?.task.cancel()
                return { _ in throw LuaError(message: "interrupted!") }
            }
            while sem_wait(wake) != 0 && errno == EINTR {}
        }
    }

    /// Number of tasks still in flight (for tests and diagnostics).
    public var tasksInFlight: Int { waiting.count }
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
