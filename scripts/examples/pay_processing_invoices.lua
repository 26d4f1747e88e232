-- Pays every Lumyri invoice still in Processing whose total is at most MAX_AMOUNT.
--
-- Usage: paysh scripts/examples/pay_processing_invoices.lua MAX_AMOUNT
--        paysh --dry-run scripts/examples/pay_processing_invoices.lua 250
--
-- Notes:
--   * MAX_AMOUNT is a decimal amount in dollars ("250", "99.50"); totals are
--     compared exactly with the money module, never as floats.
--   * Each invoice is charged to the company's default card. A decline or any
--     other failure is reported and the script goes on with the next invoice.
--   * Safe to re-run: only Processing invoices are picked, and an invoice that
--     somebody paid in the meantime (409) is counted as skipped, not failed.
--   * On a production profile the script asks once before paying (and paysh
--     itself asks per payment); --yes answers both.
--   * Exit status: 0 when nothing failed, 1 when at least one payment failed.
local money = require "money"

local limit_text = ...
if not limit_text then
  io.stderr:write("usage: paysh pay_processing_invoices.lua MAX_AMOUNT\n")
  os.exit(2)
end
local limit, why = money.parse(limit_text)
if not limit then
  io.stderr:write("pay_processing_invoices: MAX_AMOUNT: ", why, "\n")
  os.exit(2)
end

local profile = paysh.profile()

-- Pick the candidates. The server filters by status and maximum already; the
-- exact comparison below is what decides.
local candidates = {}
for inv in lumyri.invoices { status = "Processing", max = limit } do
  local total = money(inv.total)
  if inv.status == "Processing" and total <= limit then
    candidates[#candidates + 1] = { id = inv.id, total = total }
  end
end

if #candidates == 0 then
  print(("nothing to pay: no Processing invoice of at most %s"):format(limit:format()))
  return
end

local grand = money.sum((function()
  local list = {}
  for i, c in ipairs(candidates) do list[i] = c.total end
  return list
end)())

if profile.production and not profile.yes then
  if not paysh.confirm(("Pay %d invoices, %s in all?"):format(#candidates, grand:format())) then
    io.stderr:write("pay_processing_invoices: not confirmed; nothing paid\n")
    os.exit(2)
  end
end

local paid, skipped, failed = {}, {}, {}
for _, c in ipairs(candidates) do
  local ok, result = pcall(lumyri.pay_invoice, c.id)
  if ok then
    paid[#paid + 1] = c
    print(("%s  %s  %10s"):format(result.dry_run and "would pay" or "paid     ", c.id, c.total:format()))
  elseif type(result) == "table" and result.status == 409 then
    skipped[#skipped + 1] = c
    print(("skipped    %s  %10s  already paid"):format(c.id, c.total:format()))
  else
    local reason = type(result) == "table" and (result.message or result.code) or tostring(result)
    failed[#failed + 1] = c
    print(("failed     %s  %10s  %s"):format(c.id, c.total:format(), reason))
    io.stderr:write("pay_processing_invoices: ", tostring(result), "\n")
  end
end

local function total_of(list)
  local amounts = {}
  for i, c in ipairs(list) do amounts[i] = c.total end
  return money.sum(amounts)
end

print(("%s %d (%s), skipped %d, failed %d (%s)"):format(
  profile.dry_run and "would pay" or "paid", #paid, total_of(paid):format(),
  #skipped, #failed, total_of(failed):format()))
if #failed > 0 then os.exit(1) end
