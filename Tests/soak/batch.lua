-- One batch of the soak, run as a process of its own so that it can be
-- killed with SIGKILL and run again (scripts/soak):
--   paysh batch.lua NAME payouts COUNT
--   paysh batch.lua NAME invoices IDS_FILE      (one invoice id a line)
-- Prints one line, "summary done=… skipped=… failed=… undecided=…"; every
-- run after the first also runs again the items that failed for good
-- (the sandbox killed under a run fails items that did nothing).
local here = arg[0]:match("^(.*)/[^/]*$") or "."
local name, kind, what = arg[1], arg[2], arg[3]
local items, run
if kind == "payouts" then
  items = dofile(here .. "/payouts.lua")(name, tonumber(what))
  run = function(r) return lumanu.create_payout { payee_email = r.email, amount = r.cents, description = "soak " .. name } end
elseif kind == "invoices" then
  items = {}
  for line in io.lines(what) do if line ~= "" then items[#items + 1] = { key = line } end end
  run = function(r) return lumyri.pay_invoice(r.key) end
else
  error("usage: batch.lua NAME payouts COUNT | NAME invoices IDS_FILE")
end
local s = paysh.batch { name = name, items = items, key = function(r) return r.key end, concurrency = 10,
  attempts = 20, retry_failed = os.getenv("SOAK_RETRY_FAILED") == "1", run = run }
print(("summary done=%d skipped=%d failed=%d undecided=%d retries=%d"):format(s.done, s.skipped, s.failed, s.undecided, s.retries or 0))
for key, reason in pairs(s.failures or {}) do io.stderr:write(("failure %s: %s\n"):format(key, tostring(reason))) end
