import Foundation
import JSON
import LuaKit
import PaymentsCore

/// `paysh.batch`: a money-moving job over many items, run at most
/// `concurrency` at once, with a durable ledger (``BatchLedger``) so that it
/// can be killed at any moment and run again without doing an item twice or
/// skipping one.
enum BatchBindings {
    static var bindings: [LuaBinding] {
        [
            LuaBinding(module: "paysh", name: "batch", LuaForm(
                [LuaParameter("batch", .record([
                    LuaField("name", .id("a batch name"), required: true, "the batch's name in the ledger: run it again under the same name to take it up where it stopped"),
                    LuaField("items", .items("a list of items"), required: true, "what to work on"),
                    LuaField("key", .function, required: true, "key(item) gives the item's unique key (a string or an integer): the same item must give the same key on every run; a key that looks like a card number or a secret is refused"),
                    LuaField("run", .function, required: true, "run(item, ctx) does the item's work; ctx = { key, batch, attempt, resumed }; it returns the object made (its id goes in the ledger)"),
                    LuaField("concurrency", .integer("how many at once, 1 to 1000", minimum: 1), "default 10"),
                    LuaField("attempts", .integer("attempts per item, 1 to 20", minimum: 1), "for failures that did nothing (429, 503, no connection); default 5"),
                    LuaField("retry_failed", .boolean, "also run again the items that failed for good in an earlier run"),
                    LuaField("report", .text("a file name"), "write one CSV row per item there (as --report FILE.csv does)"),
                    LuaField("settle", .decimal, "seconds, 0 to 600: taken up again this soon after an item was sent, the batch first waits until that long has passed, so that a request of the run that stopped is no longer being handled when it looks for what the request did; default 5"),
                ]), "the job")],
                summary: "Run a money-moving job over many items with a durable ledger: items done before are skipped, items whose outcome is unknown are looked up before anything is sent again, failures that did nothing are retried.",
                returns: "a summary { name, total, done, skipped, failed, undecided, retries, failures = { [key] = reason } }",
                example: #"paysh.batch{ name = "march-payouts", items = rows, key = function(r) return r.reference end, run = function(r) return lumanu.create_payout{ payee_email = r.email, amount = r.cents, description = "March" } end }"#,
                effect: .movesMoney) { call in
                    try start(call)
                }),
        ]
    }

    /// Validate, confirm once on a production profile, and run the driver as
    /// a task the calling chunk waits for.
    private static func start(_ call: BindingCall) throws -> Int32 {
        let stack = call.stack
        let spec = call.record("batch")!
        let name = spec["name"]?.stringValue ?? ""
        func refuse(_ message: String) -> LuaAPIError {
            LuaAPIError(PaymentsError(kind: .validation, service: "paysh", operation: call.name, message: "argument #1 (batch): " + message))
        }
        guard name.count <= 200, !name.contains(where: { $0.isNewline }) else {
            throw refuse("field \"name\": expected a name of at most 200 characters on one line")
        }
        func integer(_ field: String) -> Int64? {
            if case .integer(let n)? = spec[field] { return n }
            return nil
        }
        let concurrency = Int(integer("concurrency") ?? 10)
        guard concurrency <= 1000 else { throw refuse("field \"concurrency\": expected how many at once, 1 to 1000 (integer), got \(concurrency)") }
        let attempts = Int(integer("attempts") ?? 5)
        guard attempts <= 20 else { throw refuse("field \"attempts\": expected attempts per item, 1 to 20 (integer), got \(attempts)") }
        var settle = 5.0
        if let given = spec["settle"] {
            guard let seconds = given.doubleValue ?? given.stringValue.flatMap(Double.init), seconds >= 0, seconds <= 600 else {
                throw refuse("field \"settle\": expected seconds, 0 to 600")
            }
            settle = seconds
        }
        let runtime = call.runtime
        stack.rawGet(at: 1, "items")
        let count = stack.rawLength(at: -1)
        stack.pop()
        do throws(PaymentsError) {
            try runtime.confirm(call.name, "run batch \"\(name)\" (\(count) items, each may move money)")
        } catch {
            throw LuaAPIError(error)
        }
        let ledger = runtime.options.dryRun ? BatchLedger(path: BatchLedger.inMemory) : runtime.ledger
        let run = BatchRun(name: name, ledger: ledger, runtime: runtime, concurrency: concurrency, attempts: attempts,
                           retryFailed: spec["retry_failed"]?.boolValue ?? false,
                           report: spec["report"]?.stringValue ?? runtime.options.report,
                           progress: runtime.options.interactive, settle: settle)
        try driver.push(on: stack)
        pushRun(run, on: stack)
        for field in ["items", "key", "run"] { stack.rawGet(at: 1, field) }
        stack.push(name)
        stack.push(Int64(concurrency))
        stack.push(run.retryFailed)
        let driver = try runtime.scheduler.spawn(stack, nargs: 7)
        return try runtime.scheduler.join(stack, [driver]) { stack in try driver.pushResults(on: stack) }
    }

    /// The batch itself, in Lua: keys checked (unique, strings), the ledger
    /// opened, done items skipped, then `concurrency` workers over the rest.
    /// Called with (run, items, key, job, name, concurrency, retry_failed).
    static let driver = CachedChunk(source: """
    local run, items, key_of, job, name, concurrency, retry_failed = ...
    local n = #items
    local keys, seen = {}, {}
    for i = 1, n do
      local ok, k = pcall(key_of, items[i], i)
      if not ok then error(("paysh.batch: key(item %d) failed: %s"):format(i, tostring(k)), 0) end
      if math.type(k) == "integer" then k = tostring(k) end
      if type(k) ~= "string" or k == "" then
        error(("paysh.batch: key(item %d): expected a non-empty string or an integer, got %s"):format(i,
          k == "" and "an empty string" or type(k)), 0)
      end
      local shown = run:masked(k)
      if shown ~= k then
        error(("paysh.batch: key(item %d) is %q as paysh shows it: it looks like a card number or a secret, "
          .. "and a key is kept whole in the ledger and shown in reports, which card data and secrets never are; "
          .. "use another key (a row number, a payee id, a reference of your own)"):format(i, shown), 0)
      end
      if seen[k] then
        error(("paysh.batch: items %d and %d have the same key %q: every item needs a key of its own"):format(seen[k], i, k), 0)
      end
      seen[k], keys[i] = i, k
    end
    local states, settle = run:open(keys)
    local todo = {}
    for i = 1, n do
      local k = keys[i]
      local s = states[k]
      if s == "done" or (s == "failed" and not retry_failed) then
        run:skip(k, s)
      else
        todo[#todo + 1] = { item = items[i], key = k, resumed = s ~= "pending" }
      end
    end
    if settle > 0 then run:pause(settle) end
    -- An item's error as the ledger keeps it: a value that tostring would only
    -- name by its address (nil, a table without __tostring) is named by its type,
    -- as lua.c names an error object that is not a string.
    local function reason(err)
      local kind = type(err)
      if kind == "string" or kind == "number" then return err end
      local mt = getmetatable(err)
      if type(mt) == "table" and rawget(mt, "__tostring") ~= nil then return err end
      return ("(error object is a %s value)"):format(kind)
    end
    local next_job = 1
    local function worker()
      while true do
        local i = next_job
        if i > #todo then return end
        next_job = i + 1
        local t = todo[i]
        local attempt, verdict = 0, nil
        repeat
          attempt = attempt + 1
          local resumed = t.resumed or attempt > 1
          run:sent(t.key, resumed)
          local ok, result = pcall(job, t.item, { key = t.key, batch = name, attempt = attempt, resumed = resumed })
          if not ok then result = reason(result) end
          verdict = run:settle(t.key, ok, result, attempt)
        until verdict ~= "retry"
      end
    end
    local tasks = {}
    for w = 1, math.min(concurrency, #todo) do tasks[w] = run:spawn(worker) end
    if #tasks > 0 then run:wait(table.unpack(tasks)) end
    return run:finish()
    """, name: "=(paysh.batch)")

    /// Push `run` as a userdata whose methods the driver calls.
    private static func pushRun(_ run: BatchRun, on stack: LuaStack) {
        if stack.getRegisteredMetatable(BatchRun.metatable) != .table {
            stack.pop()
            func this(_ stack: LuaStack) throws -> BatchRun {
                guard let run = stack.toObject(at: 1, as: BatchRun.self) else { throw LuaError(message: "paysh.batch: not a batch run") }
                return run
            }
            stack.defineMetatable(BatchRun.metatable, methods: [
                "open": { stack in try this(stack).open(stack) },
                "masked": { stack in
                    _ = try this(stack)
                    stack.push(Redactor.standard.text(stack.toString(at: 2) ?? ""))
                    return 1
                },
                "pause": { stack in try this(stack).pause(stack) },
                "skip": { stack in try this(stack).skip(stack) },
                "sent": { stack in try this(stack).sent(stack) },
                "settle": { stack in try this(stack).settle(stack) },
                "finish": { stack in try this(stack).finish(stack) },
                "spawn": { stack in
                    let run = try this(stack)
                    stack.top = 2
                    let fiber = try run.runtime.scheduler.spawn(stack, nargs: 0)
                    TaskBindings.push(fiber, on: stack)
                    return 1
                },
                "wait": { stack in
                    let run = try this(stack)
                    let fibers = (2 ... max(stack.top, 2)).compactMap { stack.toObject(at: $0, as: LuaFiber.self) }
                    return try run.runtime.scheduler.join(stack, fibers) { stack in
                        for fiber in fibers { _ = try fiber.pushResults(on: stack) }
                        return 0
                    }
                },
            ])
        } else {
            stack.pop()
        }
        stack.push(object: run, metatable: BatchRun.metatable)
    }
}
