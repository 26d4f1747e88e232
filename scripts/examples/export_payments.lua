-- Exports one Lumen customer's payments to a CSV file.
--
-- Usage: paysh scripts/examples/export_payments.lua CUSTOMER_ID OUT.CSV
--        paysh scripts/examples/export_payments.lua cust_456 -     (CSV on stdout)
--
-- Notes:
--   * Columns: id, status, amount (decimal, e.g. 50.00), currency (upper case),
--     amount_cents, customer_name, plan.
--   * Amounts go through money.cents(amountCents, currency): exact, no floats.
--   * The file is written atomically (csv.write): a failure never leaves half
--     a file. Re-running overwrites it with the current data.
--   * The summary (count and totals per currency) goes to stdout, or to
--     stderr when the CSV itself goes to stdout.
local money = require "money"
local csv = require "csv"

local customer, out = ...
if not customer or not out then
  io.stderr:write("usage: paysh export_payments.lua CUSTOMER_ID OUT.CSV\n")
  os.exit(2)
end

local columns = { "id", "status", "amount", "currency", "amount_cents", "customer_name", "plan" }
local rows, totals, order = {}, {}, {}
for p in lumen.payments { customerId = customer } do
  local amount = money.cents(p.amountCents, p.currency)
  rows[#rows + 1] = {
    id = p.id,
    status = p.status,
    amount = amount:decimal(),
    currency = amount.currency,
    amount_cents = amount:cents(),
    customer_name = p.customerName,
    plan = p.planName,
  }
  if not totals[amount.currency] then
    order[#order + 1] = amount.currency
    totals[amount.currency] = amount
  else
    totals[amount.currency] = totals[amount.currency] + amount
  end
end

local summary_out = io.stdout
if out == "-" then
  io.stdout:write(csv.encode(rows, columns))
  summary_out = io.stderr
else
  csv.write(out, rows, columns)
end

local parts = {}
for _, code in ipairs(order) do parts[#parts + 1] = totals[code]:format() end
summary_out:write(("exported %d payments of %s to %s%s\n"):format(#rows, customer, out == "-" and "stdout" or out,
  #parts > 0 and (" (total " .. table.concat(parts, ", ") .. ")") or ""))
