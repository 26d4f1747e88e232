-- The soak's long-lived process (scripts/soak): round after round until the
-- deadline, a paysh.batch of payouts under fresh keys, invoices issued
-- through the sandbox's control route and paid, and list reads through
-- cursors while the batch runs. It is never killed on purpose; the sandbox
-- under it is, so every step is taken up again until it is done. What it
-- did goes, line by line, to MANIFEST (read by Tests/soak/check.py):
--   batch NAME COUNT          a payout batch, keys k1..kCOUNT
--   invoice ID                an invoice it issued
--   paid ID HOW               an invoice it saw paid (HOW: paid, found, conflict)
--   round N SECONDS           a round ended
--   reads N / readfail N      items read by a round's cursors / cursor reads that failed
--   error TEXT                something failed and was taken up again
--   end ROUNDS                the deadline passed, every round complete
--   paysh workload.lua MANIFEST DEADLINE PAYOUTS INVOICES
local here = arg[0]:match("^(.*)/[^/]*$") or "."
local rows_for = dofile(here .. "/payouts.lua")
local manifest, deadline = arg[1], tonumber(arg[2])
local per_round, invoices_per_round = tonumber(arg[3] or "20"), tonumber(arg[4] or "10")
local pause = tonumber(os.getenv("SOAK_PAUSE") or "1")

local function note(fmt, ...)
  local f = assert(io.open(manifest, "a"))
  f:write(fmt:format(...), "\n")
  f:close()
end

-- Until it works: a step that fails (the sandbox is down, a fault outlasted
-- the retries) waits a moment and is tried again.
local function persist(what, fn)
  for try = 1, 200 do
    local ok, result = pcall(fn, try)
    if ok and result ~= nil then return result end
    if not ok then note("error %s (try %d): %s", what, try, tostring(result):gsub("\n", " ")) end
    paysh.sleep(math.min(5, 0.5 * try))
  end
  error(what .. ": still failing after 200 tries")
end

local function read_lists()
  local count, failed = 0, 0
  for _, read in ipairs {
    function() return lumanu.payouts { page_size = 25 }:take(60) end,
    function() return lumyri.invoices { perPage = 10 }:take(25) end,
    function() return lumen.payments():take(20) end,
  } do
    local ok, items = pcall(read)
    if ok then count = count + #items else failed = failed + 1 end
  end
  return { count = count, failed = failed }
end

local function pay(id)
  return persist("pay " .. id, function(try)
    local ok, err = pcall(lumyri.pay_invoice, id)
    if ok then return "paid" end
    if type(err) == "table" and err.status == 409 then return "conflict" end -- already paid: an earlier try did it
    local seen, invoice = pcall(lumyri.invoice, id)
    if seen and invoice.status == "Succeeded" then return "found" end
    error(err, 0)
  end)
end

local round = 0
while os.time() < deadline do
  round = round + 1
  local started = os.time()
  local name = "soak-w" .. round
  note("batch %s %d", name, per_round)
  local reader = paysh.spawn(read_lists)
  local rows = rows_for(name, per_round)
  persist("batch " .. name, function(try)
    local s = paysh.batch { name = name, items = rows, key = function(r) return r.key end, concurrency = 10,
      attempts = 20, retry_failed = try > 1,
      run = function(r) return lumanu.create_payout { payee_email = r.email, amount = r.cents, description = "soak " .. name } end }
    if s.failed == 0 and s.undecided == 0 then return s end
    note("error batch %s (try %d): %d failed, %d undecided", name, try, s.failed, s.undecided)
  end)
  local read = paysh.wait(reader)
  local reads, readfail = read.count, read.failed
  note("reads %d", reads)
  if readfail > 0 then note("readfail %d", readfail) end

  local issued = persist("issue invoices", function() return sandbox.issue_invoices(invoices_per_round) end)
  local ids = issued.ids
  for _, id in ipairs(ids) do note("invoice %s", id) end
  local hows = paysh.parallel(ids, pay, { concurrency = 10 })
  for i, id in ipairs(ids) do note("paid %s %s", id, tostring(hows[i])) end
  note("round %d %d", round, os.time() - started)
  paysh.sleep(pause)
end
note("end %d", round)
