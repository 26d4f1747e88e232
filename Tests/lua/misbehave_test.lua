-- Misbehaving Lua programs (issue 8): infinite recursion, huge allocations,
-- errors in __gc, yields where none is possible, os.exit in the middle of a
-- batch or of paysh.parallel, and error() with values that are not strings.
-- Each program runs in a child paysh; the test checks how it ended (a clear
-- message and status, never a signal or a hang) and that what paysh keeps —
-- the journal, the batch ledger, the token cache, the history — is still
-- readable and agrees with the sandbox (one payout per reference at most,
-- exactly one for every item done).
dofile("support.lua")

local BIN = assert(os.getenv("PAYSH_TEST_BIN"), "PAYSH_TEST_BIN is not set")
local DATA = assert(os.getenv("XDG_DATA_HOME"), "XDG_DATA_HOME is not set") .. "/paysh"
local CACHE = assert(os.getenv("XDG_CACHE_HOME"), "XDG_CACHE_HOME is not set") .. "/paysh"

-- A guard for the machine: no child may reserve more than 4 GB of address
-- space (paysh needs about 0.5), so a memory cap that stopped working fails
-- these tests instead of taking the machine's memory.
local VM_GUARD = "ulimit -v 4000000; "

-- child(args, options): run paysh with `args` (a list), nothing on stdin,
-- at most `options.seconds` (default 30) and with `options.env` set; returns
-- status, stdout, stderr. A child ended by a signal (a crash, an abort, the
-- time limit) fails the test that ran it.
local function child(args, options)
  options = options or {}
  local out, err = os.tmpname(), os.tmpname()
  local parts = {}
  for name, value in pairs(options.env or {}) do parts[#parts + 1] = name .. "=" .. shell_quote(value) end
  parts[#parts + 1] = "timeout -s KILL " .. (options.seconds or 30)
  parts[#parts + 1] = shell_quote(BIN)
  for _, a in ipairs(args) do parts[#parts + 1] = shell_quote(a) end
  local command = VM_GUARD .. table.concat(parts, " ") .. " </dev/null >" .. shell_quote(out) .. " 2>" .. shell_quote(err)
  local _, how, code = os.execute(command)
  local stdout, stderr = slurp(out), slurp(err)
  assert(how == "exit", "the shell ended by " .. tostring(how))
  if code >= 128 then
    error(("paysh %s ended by signal %d (%s); stderr: %s"):format(table.concat(args, " "), code - 128,
      code == 137 and "killed: too slow, or out of memory" or code == 134 and "abort" or code == 139 and "segfault" or "?", stderr), 2)
  end
  return code, stdout, stderr
end

-- A script file holding `source`; its name.
local function script(source)
  local base = os.tmpname()
  os.remove(base)
  local name = base .. ".lua"
  local f = assert(io.open(name, "w"))
  f:write(source)
  f:close()
  return name
end

local function run(source, options, ...)
  local name = script(source)
  local code, out, err = child({ name, ... }, options)
  os.remove(name)
  return code, out, err
end

-- The message lines of stderr: those before a traceback.
local function message_lines(err)
  local lines = {}
  for line in err:gmatch("[^\n]+") do
    if line == "stack traceback:" then break end
    lines[#lines + 1] = line
  end
  return lines
end

-- The child failed with status `status` and one line on stderr, prefixed
-- with the program's name, that finds `pattern` (plain text); a traceback may follow.
local function fails_with(code, err, text, status)
  eq(code, status or 1, "exit status (stderr: " .. err .. ")")
  local lines = message_lines(err)
  eq(#lines, 1, "message lines before the traceback in " .. err)
  eq(lines[1]:sub(1, #BIN + 2), BIN .. ": ", "the message starts with the program's name")
  assert(lines[1]:find(text, 1, true), ("the message %q does not say %q"):format(lines[1], text))
  assert(not err:find("fatal:", 1, true), "no fatal error: " .. err)
end

-- Every payout of the sandbox, counted by its paysh_ref; and the id of the one with each.
local function payouts_by_ref()
  local counts, ids = {}, {}
  for _, p in ipairs(lumanu.payouts():all()) do
    for _, field in ipairs(p.custom_fields or {}) do
      if field.name == "paysh_ref" then
        counts[field.value] = (counts[field.value] or 0) + 1
        ids[field.value] = p.id
      end
    end
  end
  return counts, ids
end

-- One JSON Lines record, its nulls left out (json.null is truthy).
local function record(line)
  local row = json.decode(line)
  for k, v in pairs(row) do if v == json.null then row[k] = nil end end
  return row
end

-- The journal's rows (paysh journal --json), oldest first, optionally only
-- those whose reference starts with `prefix`.
local function journal(prefix)
  local code, out, err = child({ "journal", "--json", "--limit", "100000" })
  eq(code, 0, "paysh journal --json: " .. err)
  local rows = {}
  for line in out:gmatch("[^\n]+") do
    local row = record(line)
    if not prefix or (row.reference or ""):sub(1, #prefix) == prefix then table.insert(rows, 1, row) end
  end
  return rows
end

-- `paysh journal --reconcile`: on the built-in profile it serves the
-- sandbox inside itself, on the state file the program runs used.
local function reconcile()
  return child({ "journal", "--reconcile" })
end

-- The journal agrees with the sandbox for the payouts whose reference
-- starts with `prefix`: at most one payout per reference; a call that
-- succeeded made the one there is; a call that failed (and none after it
-- for that reference succeeded) made none. Calls that were in flight when
-- the program stopped are pending or unknown: made ten minutes older (with
-- sqlite3, standing in for the wait `--reconcile` asks for), `paysh journal
-- --reconcile` must decide each of them the way the sandbox says, and leave
-- none unresolved. Returns the rows and how many were reconciled.
local function check_journal(prefix)
  local counts, ids = payouts_by_ref()
  local rows = journal(prefix)
  local succeeded, open = {}, {}
  for _, row in ipairs(rows) do
    local ref = row.reference
    assert((counts[ref] or 0) <= 1, ("%d payouts carry %s"):format(counts[ref] or 0, ref))
    if row.state == "succeeded" then
      succeeded[ref] = true
      eq(counts[ref], 1, "a payout for the call that succeeded with " .. ref)
      eq(row.remote_id, ids[ref], "the journal's remote id for " .. ref)
    elseif row.state == "pending" or row.state == "unknown" then
      if not row.resolution then open[#open + 1] = row.id end
    else
      eq(row.state, "failed", "the state of the call for " .. ref)
    end
  end
  for _, row in ipairs(rows) do
    if row.state == "failed" and not succeeded[row.reference] then
      eq(counts[row.reference], nil, "no payout for the failed call with " .. row.reference)
    end
  end
  if #open > 0 then
    local db = DATA .. "/journal.sqlite"
    local ok = os.execute("sqlite3 " .. shell_quote(db) .. " \"UPDATE mutation SET intent_at = strftime('%Y-%m-%dT%H:%M:%fZ', intent_at, '-10 minutes')"
      .. " WHERE state IN ('pending', 'unknown') AND resolution IS NULL\"")
    assert(ok, "sqlite3 could not age the journal's unresolved rows")
    local code, out, err = reconcile()
    eq(code, 0, "paysh journal --reconcile: " .. out .. err)
    local reconciled = {}
    for _, id in ipairs(open) do reconciled[id] = true end
    for _, row in ipairs(journal(prefix)) do
      if reconciled[row.id] then
        local applied = counts[row.reference] == 1
        eq(row.resolution, applied and "applied" or "not_applied", "the reconciliation of " .. row.reference .. " (" .. out .. ")")
        if applied then eq(row.resolved_remote_id, ids[row.reference], "the payout found for " .. row.reference) end
      end
    end
  end
  return rows, #open
end

-- The batch ledger of `name` (paysh batch status --json) agrees with the
-- sandbox: an item still pending sent nothing; an item done made exactly
-- one payout, the one the ledger names; one left sent made at most one.
-- Returns the rows by key and the count of each state.
local function check_ledger(name)
  local code, out, err = child({ "batch", "status", name, "--json" })
  eq(code, 0, "paysh batch status " .. name .. ": " .. err)
  local counts, ids = payouts_by_ref()
  local rows, states = {}, {}
  for line in out:gmatch("[^\n]+") do
    local row = record(line)
    rows[row.key] = row
    states[row.state] = (states[row.state] or 0) + 1
    local ref = name .. ":" .. row.key
    local made = counts[ref] or 0
    if row.state == "pending" then
      eq(made, 0, "payouts for " .. ref .. ", still pending")
    elseif row.state == "done" then
      eq(made, 1, "payouts for " .. ref .. ", done")
      eq(row.remote_id, ids[ref], "the remote id of " .. ref)
    elseif row.state == "sent" then
      assert(made <= 1, made .. " payouts for " .. ref)
    else
      eq(row.state, "failed", "state of " .. ref)
      eq(made, 0, "payouts for " .. ref .. ", failed")
    end
  end
  code, out, err = child({ "batch", "list" })
  eq(code, 0, "paysh batch list: " .. err)
  assert(out:find("\n" .. name .. " ", 1, true), "the batch is listed: " .. out)
  return rows, states
end

local function elapsed_since(t) return os.time() - t end

-- A file's bytes, leaving it in place.
local function slurp_keep(path)
  local f = assert(io.open(path, "rb"))
  local s = f:read("a")
  f:close()
  return s
end

-- The token cache as the first healthy run left it; checked again at the end.
local first_token

test("a healthy run stores a token (the baseline for the checks that follow)", function()
  local code, out, err = child({ "-p", '#lumanu.payouts{payee_email = "nobody@example.com"}:all()' })
  eq(code, 0, err)
  eq(out, "0\n", "no payouts for nobody")
  local p = io.popen("ls " .. shell_quote(CACHE .. "/tokens"))
  local file = p:read("l")
  p:close()
  assert(file and file:find("%.json$"), "a token file in " .. CACHE .. "/tokens")
  first_token = json.decode(slurp_keep(CACHE .. "/tokens/" .. file))
  assert(first_token.access_token and first_token.expires_at, "the token file holds a token")
  first_token.file = CACHE .. "/tokens/" .. file
end)

-- 1. Infinite recursion

test("infinite recursion in Lua is a stack overflow", function()
  local code, _, err = child({ "-e", "local function f() return 1 + f() end f()" })
  fails_with(code, err, "(command line):1: stack overflow")
end)

test("infinite recursion through __index is a C stack overflow", function()
  local code, _, err = child({ "-e", "local t = setmetatable({}, {}); getmetatable(t).__index = function(s, k) return s[k] end; print(t.x)" })
  fails_with(code, err, "C stack overflow")
end)

test("infinite recursion through table.sort's comparator is a C stack overflow", function()
  local code, _, err = child({ "-e", "local function f() table.sort({3, 2, 1}, function(a, b) f() return a < b end) end f()" })
  fails_with(code, err, "C stack overflow")
end)

test("infinite recursion through paysh.parallel's callback stops at 200 nested tasks, at once", function()
  -- Each level is a task of its own, resumed from the scheduler's loop, so no
  -- stack grows: before the bound this took memory without end (1.8 GB in 10 s).
  local t0 = os.time()
  local code, out, err = child({ "-e", "local function f(x) return paysh.parallel({x}, f, {stop_on_error = true})[1] end f(1)" }, { seconds = 20 })
  fails_with(code, err, "stack overflow (tasks nested more than 200 deep, each started by one still running)")
  assert(elapsed_since(t0) <= 10, "took " .. elapsed_since(t0) .. " s")
  -- Without stop_on_error each level keeps the failure of the one below; raised again, it reaches the top.
  code, _, err = child({ "-e", [[
    local function f(x)
      local results, failures = paysh.parallel({x}, f)
      if failures[1] then error(failures[1], 0) end
      return results[1]
    end
    f(1)]] }, { seconds = 20 })
  fails_with(code, err, "stack overflow (tasks nested more than 200 deep")
  -- A task that starts its successor and ends is no recursion: 300 generations are fine.
  code, out, err = child({ "-e", [[
    local n = 0
    local function step() n = n + 1; if n < 300 then paysh.spawn(step) else print(n) end end
    paysh.spawn(step)]] })
  eq(code, 0, err)
  eq(out, "300\n", "every generation ran")
end)

test("infinite recursion in one batch item fails that item; the others are paid once, and a re-run pays nothing twice", function()
  local source = [[
    local items = {}
    for i = 1, 6 do items[i] = { email = "rec" .. i .. "@example.com", ref = "rec-" .. i } end
    local s = paysh.batch { name = "recursion", items = items, key = function(r) return r.ref end, concurrency = 3, settle = 0,
      run = function(r)
        if r.ref == "rec-4" and not os.getenv("HEALED") then local function f() return 1 + f() end return f() end
        return lumanu.create_payout { payee_email = r.email, amount = 100, description = "recursion test" }
      end }
    print(s.done, s.skipped, s.failed, s.failures["rec-4"])
  ]]
  local code, out, err = run(source)
  eq(code, 0, err)
  assert(out:find("^5\t0\t1\t.*stack overflow"), out)
  local rows, states = check_ledger("recursion")
  eq(states.done, 5, "done")
  eq(states.failed, 1, "failed")
  assert(rows["rec-4"].reason:find("stack overflow", 1, true), rows["rec-4"].reason)
  code, out, err = run(source:gsub("settle = 0,", "settle = 0, retry_failed = true,"), { env = { HEALED = "1" } })
  eq(code, 0, err)
  eq(out, "1\t5\t0\tnil\n", "the failed item runs again, the others are skipped")
  rows, states = check_ledger("recursion")
  eq(states.done, 6, "all done")
  local counts = payouts_by_ref()
  for i = 1, 6 do eq(counts["recursion:rec-" .. i], 1, "payouts for rec-" .. i) end
  check_journal("recursion:")
end)

test("a recursion that fails the chunk while a payout is in flight: the call is unresolved, and reconciliation finds it", function()
  local code, _, err = child({ "-e", [[
    sandbox.faults("latency=5000@POST /lumanu/**")
    local t = paysh.spawn(function()
      return lumanu.create_payout { payee_email = "inflight@example.com", amount = 100, description = "in flight", paysh_ref = "inflight-1" }
    end)
    paysh.sleep(0.5)
    local function f() return 1 + f() end
    f()]] })
  fails_with(code, err, "stack overflow")
  local code2, _, err2 = child({ "-e", "sandbox.faults()" })
  eq(code2, 0, err2)
  local rows, open = check_journal("inflight-")
  eq(#rows, 1, "one call")
  -- held 5 s at the server, it was cut off by the failure: unknown, and reconciled above (had it
  -- not left yet, it would be failed, with no payout: check_journal checked that too)
  assert(open == 1 or rows[1].state == "failed", "the call ended " .. rows[1].state)
end)

-- 2. Huge allocations

test("string.rep past Lua's size limit is refused before anything is allocated", function()
  local code, _, err = child({ "-e", 'local s = string.rep("x", 2^40)' })
  fails_with(code, err, "resulting string too large")
end)

test("a table growing without end stops at PAYSH_MEMORY_LIMIT with 'not enough memory'", function()
  local t0 = os.time()
  local code, _, err = child({ "-e", 'local t = {} while true do t[#t + 1] = ("x"):rep(1000) .. #t end' },
    { env = { PAYSH_MEMORY_LIMIT = "64M" } })
  fails_with(code, err, "not enough memory")
  assert(elapsed_since(t0) <= 10, "took " .. elapsed_since(t0) .. " s")
  code, _, err = child({ "-e", 'local s = string.rep("x", 2^30)' }, { env = { PAYSH_MEMORY_LIMIT = "64M" } })
  fails_with(code, err, "not enough memory")
end)

test("the cap holds near its size, pcall catches it, and the program goes on", function()
  local code, out, err = child({ "-e", [[
    local t = {}
    local ok, e = pcall(function() while true do t[#t + 1] = ("x"):rep(1000) .. #t end end)
    local at = collectgarbage("count") * 1024
    t = nil
    collectgarbage()
    print(ok, e, at, collectgarbage("count") * 1024, lumen.payment("pay_123").id)]] },
    { env = { PAYSH_MEMORY_LIMIT = "64M" } })
  eq(code, 0, err)
  local ok, e, at, after, id = out:match("^(%S+)\t([^\t]+)\t(%S+)\t(%S+)\t(%S+)\n$")
  eq(ok, "false", "the loop failed: " .. out)
  eq(e, "not enough memory", "its error")
  at, after = tonumber(at), tonumber(after)
  assert(at > 48 * 2^20 and at <= 64 * 2^20, "Lua held " .. at .. " bytes when it stopped")
  assert(after < 8 * 2^20, "and " .. after .. " once the table was dropped")
  eq(id, "pay_123", "a call made after it works")
end)

test("PAYSH_MEMORY_LIMIT: off lifts the cap; a value that is not a size is a usage error", function()
  local code, out, err = child({ "-e", "print(#('x'):rep(2^20))" }, { env = { PAYSH_MEMORY_LIMIT = "off" } })
  eq(code, 0, err)
  eq(out, "1048576\n", "off")
  code, out, err = child({ "-e", "print(1)" }, { env = { PAYSH_MEMORY_LIMIT = "lots" } })
  fails_with(code, err, 'PAYSH_MEMORY_LIMIT: "lots" is not a size', 2)
  eq(out, "", "nothing ran")
  code, _, err = child({ "-e", "print(1)" }, { env = { PAYSH_MEMORY_LIMIT = "100K" } })
  fails_with(code, err, "at least 1M", 2)
end)

test("an item that runs out of memory fails alone; a re-run pays the rest once", function()
  local source = [[
    local items = {}
    for i = 1, 8 do items[i] = { email = "oom" .. i .. "@example.com", ref = "oom-" .. i } end
    sandbox.faults("latency=50@POST /lumanu/**")
    local s = paysh.batch { name = "oom", items = items, key = function(r) return r.ref end, concurrency = 4, settle = 0,
      retry_failed = os.getenv("HEALED") ~= nil,
      run = function(r)
        if r.ref == "oom-3" and not os.getenv("HEALED") then
          local t = {}
          while true do t[#t + 1] = ("x"):rep(1000) .. #t end
        end
        return lumanu.create_payout { payee_email = r.email, amount = 100, description = "oom test" }
      end }
    sandbox.faults()
    print(s.done, s.skipped, s.failed, s.failures["oom-3"])
  ]]
  local code, out, err = run(source, { env = { PAYSH_MEMORY_LIMIT = "64M" } })
  eq(code, 0, err)
  eq(out, "7\t0\t1\tnot enough memory\n", "summary")
  local rows, states = check_ledger("oom")
  eq(states.done, 7, "done")
  eq(rows["oom-3"].state, "failed", "the greedy item")
  eq(rows["oom-3"].reason, "not enough memory", "its reason")
  code, out, err = run(source, { env = { PAYSH_MEMORY_LIMIT = "64M", HEALED = "1" } })
  eq(code, 0, err)
  eq(out, "1\t7\t0\tnil\n", "summary of the re-run")
  local _, states2 = check_ledger("oom")
  eq(states2.done, 8, "all done")
  check_journal("oom:")
end)

-- 3. Errors in __gc

test("an error in __gc at exit is a warning (shown with -W), never a crash", function()
  local gc = 'setmetatable({}, {__gc = function() error("boom in gc") end}) print("end")'
  local code, out, err = child({ "-e", gc })
  eq(code, 0, err)
  eq(out, "end\n", "stdout")
  eq(err, "", "warnings are off by default, as in lua5.4")
  code, out, err = child({ "-W", "-e", gc })
  eq(code, 0, err)
  eq(err, "Lua warning: error in __gc ((command line):1: boom in gc)\n", "the warning")
  code, _, err = child({ "-W", "-e", 'setmetatable({}, {__gc = function() error({}) end})' })
  eq(code, 0, err)
  eq(err, "Lua warning: error in __gc (error object is not a string)\n", "a table raised in __gc")
  code, _, err = child({ "-W", "-e", 'setmetatable({}, {__gc = function() local function f() return 1 + f() end f() end}) collectgarbage()' })
  eq(code, 0, err)
  eq(err, "Lua warning: error in __gc ((command line):1: stack overflow)\n", "a recursion in __gc")
end)

test("an API call from __gc as the program ends is refused, and nothing is journaled", function()
  -- The state closes (running what is left to finalize) after paysh has
  -- closed its connections. Before, such a call was journaled and then met
  -- the closed connection: kept as "unknown", "the connection was lost
  -- after the request was sent", though nothing had left.
  local code, out, err = child({ "-W", "-e", [[
    print(lumen.payment("pay_123").id)
    setmetatable({}, { __gc = function()
      local ok, e = pcall(lumanu.create_payout, { payee_email = "gcexit@example.com", amount = 100, description = "gc at exit", paysh_ref = "gcexit-1" })
      print(ok, tostring(e))
      lumanu.create_payout { payee_email = "gcexit@example.com", amount = 100, description = "gc at exit", paysh_ref = "gcexit-2" }
    end })]] })
  eq(code, 0, err)
  eq(out, "pay_123\nfalse\tlumanu.create_payout: not sent: the program has ended and paysh has closed its connections"
    .. " (a call from a __gc finalizer run at exit)\n", "the refusal")
  eq(err, "Lua warning: error in __gc (error object is not a string)\n", "the uncaught one, a paysh.error table, as a warning")
  local rows = check_journal("gcexit-")
  eq(#rows, 0, "nothing journaled")
  eq(payouts_by_ref()["gcexit-1"], nil, "no payout")
end)

test("__gc failing and calling the API during collections while payouts are in flight", function()
  local code, out, err = child({ "-W", "-e", [[
    sandbox.faults("latency=100~50@POST /lumanu/**")
    local n, looked = 0, 0
    local ids = {}
    for i = 1, 8 do ids[i] = i end
    local results, failures = paysh.parallel(ids, function(i)
      for _ = 1, 40 do
        setmetatable({}, { __gc = function()
          n = n + 1
          if n % 10 == 0 then error("gc boom " .. n) end
          if n % 25 == 0 then looked = looked + (lumen.payment("pay_123") and 1 or 0) end
        end })
      end
      collectgarbage()
      return lumanu.create_payout { payee_email = "gc" .. i .. "@example.com", amount = 100, description = "gc test", paysh_ref = "gcflight-" .. i }.id
    end, { concurrency = 8 })
    collectgarbage()
    sandbox.faults()
    print(n, looked, #results, next(failures))]] })
  eq(code, 0, err)
  eq(out, "320\t6\t8\tnil\n", "every finalizer ran, the API calls in them worked, every payout was made")
  local warnings = 0
  for line in err:gmatch("[^\n]+") do
    assert(line:find("^Lua warning: error in __gc %(%(command line%):%d+: gc boom %d+%)$"), "stderr line: " .. line)
    warnings = warnings + 1
  end
  eq(warnings, 32, "one warning per failing finalizer")
  local rows, open = check_journal("gcflight-")
  eq(#rows, 8, "eight calls")
  eq(open, 0, "none unresolved")
end)

-- 4. Yields where none is possible

test("API calls inside __index, a sort, gsub, __gc and __close work (they wait in place)", function()
  local code, out, err = child({ "-e", [[
    local function pay(ref) return lumanu.create_payout { payee_email = "yield@example.com", amount = 100, description = "yield test", paysh_ref = ref }.id end
    local t = setmetatable({}, { __index = function(_, k) return pay(k) end })
    local made = { t["yield-index"] }
    local list = { 3, 1, 2 }
    local sorted = false
    table.sort(list, function(a, b) if not sorted then sorted = true; made[#made + 1] = pay("yield-sort") end return a < b end)
    local s = ("g"):gsub("g", function() made[#made + 1] = pay("yield-gsub") return "" end)
    setmetatable({}, { __gc = function() made[#made + 1] = pay("yield-gc") end })
    collectgarbage()
    do local c <close> = setmetatable({}, { __close = function() made[#made + 1] = pay("yield-close") end }) end
    print(#made, table.concat(list, ","), s)]] })
  eq(code, 0, err)
  eq(out, "5\t1,2,3\t\n", "five payouts made, the sort sorted")
  local rows, open = check_journal("yield-")
  eq(#rows, 5, "five calls journaled")
  eq(open, 0, "none unresolved")
  for _, row in ipairs(rows) do eq(row.state, "succeeded", row.reference) end
end)

test("yields that cannot be made are refused with a clear error", function()
  local code, _, err = child({ "-e", "local t = setmetatable({}, {__index = function() return coroutine.yield() end}); print(t.x)" })
  fails_with(code, err, "attempt to yield from outside a coroutine")
  code, _, err = child({ "-e", "coroutine.wrap(function() table.sort({3, 1, 2}, function(a, b) coroutine.yield() return a < b end) end)()" })
  fails_with(code, err, "attempt to yield across a C-call boundary")
  code, _, err = child({ "-e", "table.sort({3, 1, 2}, function(a, b) return paysh.wait(paysh.spawn(function() return a < b end)) end)" })
  fails_with(code, err, "cannot wait for a task here (inside a metamethod, a sort, require or a coroutine of your own)")
  code, _, err = child({ "-W", "-e", "setmetatable({}, {__gc = function() coroutine.yield() end}) collectgarbage() print('on')" })
  eq(code, 0, err)
  eq(err, "Lua warning: error in __gc (attempt to yield from outside a coroutine)\n", "a yield in __gc")
end)

-- 5. os.exit in the middle of things

-- A batch of `n` payouts, 4 at once, each create held 150 ms by the sandbox;
-- with EXIT_AT, the run function of the EXIT_AT-th item to start calls
-- os.exit(3, CLOSE == "1").
local EXIT_BATCH = [[
  local name, n = ...
  n = tonumber(n)
  local exit_at, close = tonumber(os.getenv("EXIT_AT")), os.getenv("CLOSE") == "1"
  local items = {}
  for i = 1, n do items[i] = { email = name .. i .. "@example.com", ref = "k" .. i } end
  if exit_at then sandbox.faults("latency=150@POST /lumanu/**") else sandbox.faults() end
  local started = 0
  -- settle = 0: the run that stopped served its sandbox inside itself, so none of its requests can still land.
  local s = paysh.batch { name = name, items = items, key = function(r) return r.ref end, concurrency = 4, settle = 0,
    run = function(r)
      started = started + 1
      if started == exit_at then os.exit(3, close) end
      return lumanu.create_payout { payee_email = r.email, amount = 100, description = "exit test" }
    end }
  print(s.total, s.done + s.skipped, s.failed)
]]

local function exit_mid_batch(name, close)
  local n = 12
  local code, out, err = run(EXIT_BATCH, { env = { EXIT_AT = "7", CLOSE = close and "1" or "0" } }, name, tostring(n))
  eq(code, 3, "os.exit's status (stderr: " .. err .. ")")
  eq(out, "", "no summary")
  assert(not err:find("fatal", 1, true), err)
  local _, states = check_ledger(name)
  assert((states.pending or 0) + (states.sent or 0) > 0, "items left to do")
  check_journal(name .. ":")
  code, out, err = run(EXIT_BATCH, nil, name, tostring(n))
  eq(code, 0, err)
  eq(out, n .. "\t" .. n .. "\t0\n", "the re-run finishes every item")
  local _, after = check_ledger(name)
  eq(after.done, n, "every item done")
  local counts = payouts_by_ref()
  for i = 1, n do eq(counts[name .. ":k" .. i], 1, "payouts for item " .. i) end
  local rows = check_journal(name .. ":")
  for _, row in ipairs(rows) do
    assert(row.state ~= "pending" and row.state ~= "unknown" or row.resolution, "unresolved: " .. row.reference)
  end
end

test("os.exit(3) inside a batch's run, with items in flight: the ledger is consistent and a re-run pays each item once", function()
  exit_mid_batch("exit", false)
end)

test("os.exit(3, true) (closing the state) inside a batch's run: the same", function()
  exit_mid_batch("exitclose", true)
end)

test("os.exit inside paysh.parallel with payouts in flight: the journal accounts for every call", function()
  local code, out, err = child({ "-e", [[
    sandbox.faults("latency=150@POST /lumanu/**")
    local n, items = 0, {}
    for i = 1, 8 do items[i] = i end
    paysh.parallel(items, function(i)
      n = n + 1
      if n == 6 then os.exit(5) end
      return lumanu.create_payout { payee_email = "par" .. i .. "@example.com", amount = 100, description = "parallel exit", paysh_ref = "parexit-" .. i }
    end, { concurrency = 4 })]] })
  eq(code, 5, "os.exit's status (stderr: " .. err .. ")")
  eq(out .. err, "", "nothing printed")
  code, _, err = child({ "-e", "sandbox.faults()" })
  eq(code, 0, err)
  local rows = check_journal("parexit-")
  -- the first four were sent; the fifth, in flight when the sixth exited, may not have got its intent written
  assert(#rows >= 4 and #rows <= 5, #rows .. " calls journaled")
  local counts = payouts_by_ref()
  for i = 6, 8 do
    -- items 6 to 8 never started (the 6th called os.exit before its call)
    eq(counts["parexit-" .. i], nil, "payout for item " .. i)
  end
end)

-- 6. error() with values that are not strings

test("error() with a table with __tostring, nil, or a plain table at top level", function()
  local code, _, err = child({ "-e", 'error(setmetatable({}, {__tostring = function() return "custom failure" end}))' })
  fails_with(code, err, "custom failure")
  eq(err, BIN .. ": custom failure\n", "just its text, as lua5.4")
  code, _, err = child({ "-e", "error(nil)" })
  fails_with(code, err, "(error object is a nil value)")
  code, _, err = child({ "-e", "error({code = 7})" })
  fails_with(code, err, "(error object is a table value)")
  code, _, err = child({ "-e", "paysh.wait(paysh.spawn(function() error({}) end))" })
  fails_with(code, err, "(error object is a table value)")
  code, _, err = child({ "-e", "paysh.spawn(function() error(nil) end)" })
  fails_with(code, err, "(error object is a nil value)")
end)

test("error() with such values inside batch items: readable reasons in the summary and the ledger", function()
  local source = [[
    local items = {}
    for i = 1, 5 do items[i] = { email = "nonstr" .. i .. "@example.com", ref = "n" .. i } end
    local s = paysh.batch { name = "nonstring", items = items, key = function(r) return r.ref end, concurrency = 5, settle = 0,
      retry_failed = os.getenv("HEALED") ~= nil,
      run = function(r)
        if not os.getenv("HEALED") then
          if r.ref == "n1" then error(nil) end
          if r.ref == "n2" then error({ code = 7 }) end
          if r.ref == "n3" then error(setmetatable({}, { __tostring = function() return "custom item failure" end })) end
          if r.ref == "n4" then error(false) end
        end
        return lumanu.create_payout { payee_email = r.email, amount = 100, description = "non-string errors" }
      end }
    print(s.done, s.skipped, s.failed)
    for _, k in ipairs { "n1", "n2", "n3", "n4" } do print(k, s.failures[k]) end
  ]]
  local code, out, err = run(source)
  eq(code, 0, err)
  eq(out, table.concat({ "1\t0\t4", "n1\t(error object is a nil value)", "n2\t(error object is a table value)",
    "n3\tcustom item failure", "n4\t(error object is a boolean value)", "" }, "\n"), "the summary's reasons")
  local rows, states = check_ledger("nonstring")
  eq(states.failed, 4, "failed")
  eq(rows.n1.reason, "(error object is a nil value)", "n1 in the ledger")
  eq(rows.n2.reason, "(error object is a table value)", "n2 in the ledger")
  eq(rows.n3.reason, "custom item failure", "n3 in the ledger")
  code, out, err = run(source, { env = { HEALED = "1" } })
  eq(code, 0, err)
  assert(out:find("^4\t1\t0\n"), out)
  local _, after = check_ledger("nonstring")
  eq(after.done, 5, "all done")
  check_journal("nonstring:")
end)

-- What paysh keeps for the next run

test("the history survives a shell session that overflows, runs out of memory and calls os.exit", function()
  local history = DATA .. "/history"
  local function session(lines, env)
    local input, out = os.tmpname(), os.tmpname()
    local f = assert(io.open(input, "w"))
    f:write(table.concat(lines, "\n"), "\n")
    f:close()
    local _, how, code = os.execute(VM_GUARD .. (env or "") .. " TERM=dumb timeout -s KILL 30 script -qec " .. shell_quote(shell_quote(BIN))
      .. " /dev/null <" .. shell_quote(input) .. " >" .. shell_quote(out) .. " 2>&1")
    os.remove(input)
    assert(how == "exit", tostring(how))
    return code, slurp(out):gsub("\r", "")
  end
  local code, out = session({
    "local function f() return 1 + f() end f()",
    "error(nil)",
    "local t = {} while true do t[#t + 1] = ('x'):rep(1000) end",
    "print('still ' .. 40 + 2)",
    "os.exit(3)",
  }, "PAYSH_MEMORY_LIMIT=128M")
  eq(code, 3, "the session's status: " .. out)
  assert(out:find("stdin:1: stack overflow", 1, true), out)
  assert(out:find("(error object is a nil value)", 1, true), out)
  assert(out:find("not enough memory", 1, true), out)
  assert(out:find("still 42", 1, true), "the session went on: " .. out)
  local kept = slurp_keep(history)
  assert(kept:find("print('still ' .. 40 + 2)\nos.exit(3)\n", 1, true), "the history: " .. kept)
  code, out = session({ "print('second ' .. 6 * 7)" })
  eq(code, 0, out)
  assert(out:find("second 42", 1, true), out)
  kept = slurp_keep(history)
  assert(kept:find("os.exit(3)\nprint('second ' .. 6 * 7)\n", 1, true), "the history after a second session: " .. kept)
end)

test("after all of the above, the token cache still holds the first token and a new run uses it", function()
  local code, out, err = child({ "-p", '#lumanu.payouts{payee_email = "nobody@example.com"}:all()' })
  eq(code, 0, err)
  eq(out, "0\n", "a call works")
  local now = json.decode(slurp_keep(first_token.file))
  eq(now.access_token == first_token.access_token, true, "the token was read back, not fetched again")
  local p = io.popen("stat -c %a " .. shell_quote(first_token.file))
  eq(p:read("l"), "600", "the token file's mode")
  p:close()
  local code2, out2, err2 = child({ "batch", "list" })
  eq(code2, 0, err2)
  for _, name in ipairs { "recursion", "oom", "exit", "exitclose", "nonstring" } do
    assert(out2:find("\n" .. name .. " ", 1, true), name .. " listed: " .. out2)
  end
end)

done()
