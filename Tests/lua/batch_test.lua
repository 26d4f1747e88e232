-- paysh.batch against the sandbox: each item once, re-runs, keys, failures,
-- retries, the report, dry runs, and `paysh batch status`.
dofile("support.lua")
local csv = require "csv"

local function rows(prefix, n)
  local list = {}
  for i = 1, n do list[i] = { email = prefix .. i .. "@example.com", cents = 100 * i, ref = prefix .. "-" .. i } end
  return list
end

local function payouts_of(email) return lumanu.payouts { payee_email = email }:all() end

local function pay(row) return lumanu.create_payout { payee_email = row.email, amount = row.cents, description = "batch test" } end

test("a batch pays each item once, and a second run skips them all", function()
  local items = rows("once", 12)
  local s = paysh.batch { name = "once", items = items, key = function(r) return r.ref end, run = pay, concurrency = 4 }
  eq(s.total, 12, "total")
  eq(s.done, 12, "done")
  eq(s.skipped, 0, "skipped")
  eq(next(s.failures), nil, "no failures")
  s = paysh.batch { name = "once", items = items, key = function(r) return r.ref end, run = pay }
  eq(s.done, 0, "done on the re-run")
  eq(s.skipped, 12, "skipped on the re-run")
  for i = 1, 12 do eq(#payouts_of(items[i].email), 1, items[i].email) end
end)

test("a payout made in a batch carries BATCH:KEY as its reference, and run gets its context", function()
  local seen
  local s = paysh.batch { name = "ctx", items = rows("ctx", 1), key = function(r) return r.ref end, run = function(r, ctx)
    seen = ctx
    return pay(r)
  end }
  eq(s.done, 1, "done")
  eq(seen.key, "ctx-1", "ctx.key")
  eq(seen.batch, "ctx", "ctx.batch")
  eq(seen.attempt, 1, "ctx.attempt")
  eq(seen.resumed, false, "ctx.resumed")
  local payout = payouts_of("ctx1@example.com")[1]
  eq(payout.custom_fields[#payout.custom_fields].value, "ctx:ctx-1", "paysh_ref")
end)

test("keys are checked before anything runs", function()
  local items = rows("dup", 3)
  items[3].ref = items[1].ref
  raises(function()
    paysh.batch { name = "dup", items = items, key = function(r) return r.ref end, run = pay }
  end, "items 1 and 3 have the same key \"dup%-1\"")
  raises(function()
    paysh.batch { name = "dup", items = items, key = function(r) return { r.ref } end, run = pay }
  end, "key%(item 1%): expected a non%-empty string or an integer, got table")
  raises(function()
    paysh.batch { name = "dup", items = items, key = function() return "" end, run = pay }
  end, "got an empty string")
  -- a key that looks like a card number would be kept whole in the ledger and
  -- shown by reports: refused, and the message shows it masked
  local card_like = ("4242"):rep(4)
  local ok, err = pcall(paysh.batch, { name = "dup", items = items, run = pay,
    key = function(r, i) return i == 2 and card_like or r.ref end })
  assert(not ok, "a card-like key is refused")
  err = tostring(err)
  assert(err:find("key(item 2) is \"424242******4242\" as paysh shows it", 1, true), err)
  assert(err:find("looks like a card number", 1, true) and not err:find(card_like, 1, true), err)
  for i = 1, 2 do eq(#payouts_of(items[i].email), 0, "nothing paid for " .. items[i].email) end
  local code, out = paysh_run("batch", "status", "dup")
  eq(code, 1, "no such batch in the ledger: " .. out)
end)

test("arguments are checked against the declaration", function()
  raises(function() paysh.batch { name = "x", items = {}, key = tostring } end, "field \"run\"")
  raises(function() paysh.batch { name = "x", items = {}, key = tostring, run = pay, concurency = 3 } end,
    "unknown field \"concurency\" %(did you mean \"concurrency\"%?%)")
  raises(function() paysh.batch { name = "x", items = "rows", key = tostring, run = pay } end, "field \"items\": expected a list of items")
  raises(function() paysh.batch { name = "x", items = {}, key = tostring, run = pay, settle = 601 } end,
    "field \"settle\": expected seconds, 0 to 600")
  raises(function() paysh.batch { name = "x", items = {}, key = tostring, run = pay, settle = "soon" } end, "field \"settle\"")
end)

test("a failing item is kept with its reason, the others go on; retry_failed runs it again", function()
  local items = rows("fail", 4)
  local broken = true
  local function run(r)
    if r.ref == "fail-3" and broken then error("no bank details for " .. r.email, 0) end
    return pay(r)
  end
  local s = paysh.batch { name = "fail", items = items, key = function(r) return r.ref end, run = run }
  eq(s.done, 3, "done")
  eq(s.failed, 1, "failed")
  assert(s.failures["fail-3"]:find("no bank details", 1, true), s.failures["fail-3"])
  s = paysh.batch { name = "fail", items = items, key = function(r) return r.ref end, run = run }
  eq(s.skipped, 3, "done ones skipped")
  eq(s.failed, 1, "a failure for good stays")
  assert(s.failures["fail-3"]:find("no bank details", 1, true), "its reason is still given: " .. tostring(s.failures["fail-3"]))
  eq(#payouts_of("fail3@example.com"), 0, "not paid")
  broken = false
  s = paysh.batch { name = "fail", items = items, key = function(r) return r.ref end, run = run, retry_failed = true }
  eq(s.done, 1, "run again")
  eq(#payouts_of("fail3@example.com"), 1, "paid once")
  local code, out = paysh_run("batch", "status", "fail")
  eq(code, 0, out)
  assert(out:find("4 items — 4 done, 0 failed", 1, true), out)
end)

test("a failure that did nothing (a 503) is tried again", function()
  local s = paysh.batch { name = "retry", items = rows("retry", 1), key = function(r) return r.ref end, attempts = 3,
    run = function(r, ctx)
      if ctx.attempt == 1 then sandbox.faults("503@POST /lumanu/api/rest/payables") else sandbox.faults() end
      return pay(r)
    end }
  sandbox.faults()
  eq(s.done, 1, "done")
  assert(s.retries >= 1, "retried")
  eq(#payouts_of("retry1@example.com"), 1, "paid once")
end)

test("--report and report = FILE write one CSV row per item", function()
  local file = os.tmpname()
  local s = paysh.batch { name = "report", items = rows("report", 3), key = function(r) return r.ref end, run = pay, report = file }
  eq(s.done, 3, "done")
  local lines, header = csv.read(file)
  os.remove(file)
  eq(table.concat(header, ","), "key,state,remote_id,attempts,reason", "columns")
  eq(#lines, 3, "rows")
  for _, line in ipairs(lines) do
    eq(line.state, "done", line.key)
    eq(line.remote_id, payouts_of(line.key:gsub("report%-", "report") .. "@example.com")[1].id, line.key)
  end
end)

test("a dry run sends nothing and keeps nothing in the ledger", function()
  local script = os.tmpname() .. ".lua"
  local f = assert(io.open(script, "w"))
  f:write([[
    local s = paysh.batch { name = "dry", items = { { e = "dry1@example.com" } }, key = function(r) return r.e end,
      run = function(r) return lumanu.create_payout { payee_email = r.e, amount = 100, description = "dry" } end }
    print("done " .. s.done)
  ]])
  f:close()
  local code, out, err = paysh_run("--dry-run", script)
  os.remove(script)
  eq(code, 0, err)
  assert(out:find("done 1", 1, true), out)
  eq(#payouts_of("dry1@example.com"), 0, "nothing paid")
  code = paysh_run("batch", "status", "dry")
  eq(code, 1, "no ledger entry for a dry run")
end)

test("no request of an item leaves before the ledger has its sent on disk", function()
  -- Another process holds the ledger's write lock for 4 s from inside the
  -- first item's run; the second item's "sent" cannot be written until it
  -- lets go, and its payout must not be made before then. (The first item's
  -- own payout must be made within those 4 s: 1.5 s was near enough to a
  -- loaded machine's time for one payout to risk a false failure.)
  local ledger = os.getenv("XDG_DATA_HOME") .. "/paysh/batches.sqlite"
  local marker = os.tmpname()
  local holder = table.concat({
    "import sqlite3, sys, time",
    "db = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=10)",
    "db.execute('BEGIN IMMEDIATE')",
    "open(sys.argv[2], 'w').write('locked\\n')",
    "time.sleep(4)",
    "open(sys.argv[2], 'a').write('released\\n')",
    "db.execute('COMMIT')",
  }, "\n")
  local function peek(path)
    local f = io.open(path, "rb")
    if not f then return "" end
    local text = f:read("a")
    f:close()
    return text
  end
  local seen_after = {}
  local s = paysh.batch { name = "gate", items = rows("gate", 2), key = function(r) return r.ref end, concurrency = 1,
    run = function(r, ctx)
      if ctx.key == "gate-1" then
        os.remove(marker)
        os.execute(("python3 -c %s %s %s &"):format(shell_quote(holder), shell_quote(ledger), shell_quote(marker)))
        for _ = 1, 200 do
          if peek(marker):find("locked", 1, true) then break end
          paysh.sleep(0.05)
        end
        assert(peek(marker):find("locked", 1, true), "the lock holder did not start")
      end
      local payout = pay(r)
      seen_after[ctx.key] = peek(marker)
      return payout
    end }
  eq(s.done, 2, "done")
  assert(seen_after["gate-2"]:find("released", 1, true),
    "the second item's payout was made while its sent could not be written: " .. seen_after["gate-2"])
  assert(not seen_after["gate-1"]:find("released", 1, true), "the first item's payout waited for nothing: " .. seen_after["gate-1"])
  eq(#payouts_of("gate2@example.com"), 1, "one payout for the second item")
  local code, out = paysh_run("batch", "status", "gate")
  eq(code, 0, out)
  assert(out:find("2 done", 1, true), out)
  os.remove(marker)
end)

test("paysh batch list shows the batches with their counts", function()
  local code, out = paysh_run("batch", "list")
  eq(code, 0, out)
  assert(out:find("\nonce +sandbox +%S+ +12 +12 +0 +0 +0"), out)
  code, out = paysh_run("batch", "list", "--json")
  eq(code, 0, out)
  assert(out:find('"name":"once"', 1, true), out)
end)

done()
