import JSON
import LuaKit
import PaymentsCore

/// `paysh.spawn`, `paysh.wait` and `paysh.parallel`: requests in flight
/// together, from code that still reads top to bottom. Each task is a fiber
/// of the scheduler (``LuaScheduler``): it runs until it waits for I/O, and
/// while it waits the others run.
enum TaskBindings {
    static let metatable = "paysh.task"

    static var bindings: [LuaBinding] {
        [
            LuaBinding(module: "paysh", name: "spawn", LuaForm(
                [LuaParameter("fn", .function, "what the task runs; it may call any binding")],
                summary: "Start fn as a task of its own, running while others wait for their requests. The chunk that started it ends only after it has.",
                returns: "a task, for paysh.wait",
                example: #"local t = paysh.spawn(function() return lumyri.invoice("4e872310-58fb-40bf-9494-68731fb3d6b4") end)"#) { call in
                    let stack = call.stack
                    stack.top = 1
                    let fiber = try call.runtime.scheduler.spawn(stack, nargs: 0)
                    push(fiber, on: stack)
                    return 1
                }),
            LuaBinding(module: "paysh", name: "wait", LuaForm(
                [LuaParameter("task", .task, "a task from paysh.spawn")],
                summary: "Wait until every task given has ended; raise the error of the first that failed.",
                returns: "each task's first result, in the order given",
                example: "local a, b = paysh.wait(t1, t2)",
                variadic: true) { call in
                    let stack = call.stack
                    let fibers = (1 ... max(stack.top, 1)).compactMap { stack.toObject(at: $0, as: LuaFiber.self) }
                    return try call.runtime.scheduler.join(stack, fibers) { stack in
                        for fiber in fibers {
                            let n = try fiber.pushResults(on: stack)
                            if n == 0 { stack.pushNil() } else if n > 1 { stack.pop(n - 1) }
                        }
                        return Int32(fibers.count)
                    }
                }),
            LuaBinding(module: "paysh", name: "parallel", LuaForm(
                [LuaParameter("items", .items("a list of items"), "what to run fn on, in order"),
                 LuaParameter("fn", .function, "called as fn(item, index); its first result is kept"),
                 LuaParameter("options", .record([
                    LuaField("concurrency", .integer("how many at once, 1 to 1000", minimum: 1), "default 10"),
                    LuaField("stop_on_error", .boolean, "the first failure starts no more items, and is raised once those running end"),
                 ]), optional: true, "how to run")],
                summary: "Run fn on every item, at most `concurrency` at once; one item failing does not stop the others.",
                returns: "results (results[i] is fn's first result for items[i]) and failures (failures[i] is the error items[i] raised; empty when none failed)",
                example: "local invoices, failures = paysh.parallel(ids, lumyri.invoice, {concurrency = 20})") { call in
                    try parallel(call)
                }),
        ]
    }

    /// Push `fiber` as a `paysh.task` userdata.
    static func push(_ fiber: LuaFiber, on stack: LuaStack) {
        if stack.getRegisteredMetatable(metatable) != .table {
            stack.pop()
            stack.defineMetatable(metatable, metamethods: [
                "__tostring": { stack in
                    guard let fiber = stack.toObject(at: 1, as: LuaFiber.self) else { return 0 }
                    let state = switch fiber.outcome {
                    case .running: "running"
                    case .succeeded: "done"
                    case .failed: "failed"
                    }
                    stack.push("<task \(fiber.id): \(state)>")
                    return 1
                },
            ])
        } else {
            stack.pop()
        }
        stack.push(object: fiber, metatable: metatable)
    }

    /// The loop each of `paysh.parallel`'s workers runs: take the next item,
    /// run fn on it, keep its result or its error, until none is left (or a
    /// failure stops them). Called with (items, fn, state).
    static let worker = CachedChunk(source: """
    local items, fn, state = ...
    while not state.stopped do
      local i = state.next
      if i > state.n then return end
      state.next = i + 1
      local ok, result = pcall(fn, items[i], i)
      if ok then
        state.results[i] = result
      else
        state.failures[i] = result
        if state.stop_on_error and state.first_failure == nil then
          state.first_failure = i
          state.stopped = true
        end
      end
    end
    """, name: "=(paysh.parallel)")

    /// `paysh.parallel`: `concurrency` workers over one shared queue of items,
    /// then the results and failures.
    private static func parallel(_ call: BindingCall) throws -> Int32 {
        let stack = call.stack
        let options = call.record("options") ?? JSONObject()
        var width = 10
        if case .integer(let n)? = options["concurrency"] {
            guard n <= 1000 else {
                throw LuaAPIError(PaymentsError(kind: .validation, service: "paysh", operation: call.name,
                                                message: "argument #3 (options): field \"concurrency\": expected how many at once, 1 to 1000 (integer), got \(n)"))
            }
            width = Int(n)
        }
        let stopOnError = options["stop_on_error"]?.boolValue ?? false
        let count = Int(stack.rawLength(at: 1))
        // The state the workers share: results, failures, the next item.
        stack.newTable(hash: 6)
        stack.newTable(array: Int32(count), hash: 0)
        stack.rawSet(at: -2, "results")
        stack.newTable()
        stack.rawSet(at: -2, "failures")
        stack.push(Int64(1))
        stack.rawSet(at: -2, "next")
        stack.push(Int64(count))
        stack.rawSet(at: -2, "n")
        stack.push(stopOnError)
        stack.rawSet(at: -2, "stop_on_error")
        let state = stack.reference(at: -1)
        stack.pop()
        var workers: [LuaFiber] = []
        for _ in 0 ..< min(width, count) {
            try worker.push(on: stack)
            stack.pushValue(at: 1)
            stack.pushValue(at: 2)
            state.push(on: stack)
            workers.append(try call.runtime.scheduler.spawn(stack, nargs: 3))
        }
        let started = workers
        return try call.runtime.scheduler.join(stack, started) { stack in
            for worker in started where worker.outcome == .failed { _ = try worker.pushResults(on: stack) }
            state.push(on: stack)
            if stack.rawGet(at: -1, "first_failure") != .nil {
                let index = stack.toInteger(at: -1) ?? 0
                stack.pop()
                stack.rawGet(at: -1, "failures")
                stack.rawGet(at: -1, index: index)
                throw LuaRaisedValue(stack.reference(at: -1))
            }
            stack.pop()
            stack.rawGet(at: -1, "results")
            stack.rawGet(at: -2, "failures")
            stack.remove(at: -3)
            return 2
        }
    }
}
