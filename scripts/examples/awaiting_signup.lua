-- Reports Lumanu payouts still waiting for their payee to sign up (status null).
--
-- Usage: paysh scripts/examples/awaiting_signup.lua [OUT.CSV]
--
-- Notes:
--   * Groups the payouts per payee: count, total (exact, via money) and the
--     age of the oldest one in days, largest total first.
--   * With OUT.CSV, also writes one row per payout: payee_email, vendor_status,
--     payout_id, invoice_number, amount, created_at, age_days.
--   * Read-only: safe to run any time. A payee whose vendor_status is
--     "Onboarding" has signed up but is not verified yet; the payout still
--     shows status null until Lumanu approves it.
local money = require "money"
local csv = require "csv"

local out = ...

-- Seconds since 1970 of "2025-09-17T15:57:04.482673+00:00" (UTC, as Lumanu writes it).
local function epoch(text)
  local y, m, d, H, M, S = text:match("^(%d+)-(%d+)-(%d+)T(%d+):(%d+):(%d+)")
  if not y then return nil end
  y, m, d = tonumber(y), tonumber(m), tonumber(d)
  -- days from civil (Howard Hinnant's algorithm)
  y = m <= 2 and y - 1 or y
  local era = (y >= 0 and y or y - 399) // 400
  local yoe = y - era * 400
  local doy = (153 * (m + (m > 2 and -3 or 9)) + 2) // 5 + d - 1
  local doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
  local days = era * 146097 + doe - 719468
  return days * 86400 + tonumber(H) * 3600 + tonumber(M) * 60 + tonumber(S)
end

local now = os.time()
local groups, order, rows = {}, {}, {}
for p in lumanu.payouts { status = "null" } do
  local email = p.vendor_email
  local amount = money.cents(p.amount)
  local created = epoch(p.created_at)
  local age = created and math.max(0, (now - created) // 86400) or nil
  local g = groups[email]
  if not g then
    g = { email = email, vendor_status = p.vendor_status, count = 0, total = money.cents(0), oldest = age }
    groups[email] = g
    order[#order + 1] = g
  end
  g.count = g.count + 1
  g.total = g.total + amount
  if age and (not g.oldest or age > g.oldest) then g.oldest = age end
  rows[#rows + 1] = {
    payee_email = email, vendor_status = p.vendor_status, payout_id = p.id, invoice_number = p.invoice_number,
    amount = amount:decimal(), created_at = p.created_at, age_days = age,
  }
end

table.sort(order, function(a, b)
  if a.total ~= b.total then return a.total > b.total end
  return a.email < b.email
end)

local grand = money.cents(0)
print(("%-40s %-16s %7s %14s %9s"):format("payee", "vendor_status", "payouts", "total", "oldest"))
for _, g in ipairs(order) do
  grand = grand + g.total
  print(("%-40s %-16s %7d %14s %7sd"):format(g.email, g.vendor_status, g.count, g.total:format(), tostring(g.oldest or "?")))
end
print(("%d payouts awaiting sign-up for %d payees, %s in all"):format(#rows, #order, grand:format()))

if out then
  csv.write(out, rows, { "payee_email", "vendor_status", "payout_id", "invoice_number", "amount", "created_at", "age_days" })
  io.stderr:write(("awaiting_signup: wrote %d rows to %s\n"):format(#rows, out))
end
