-- Creates one Lumanu payout per row of a CSV file, never twice for the same reference.
--
-- Usage: paysh scripts/examples/bulk_payouts.lua PAYEES.CSV
--        paysh --dry-run scripts/examples/bulk_payouts.lua PAYEES.CSV   (do this first)
--
-- Notes:
--   * Columns: payee_email, amount (decimal dollars, "12.50"), description,
--     reference. See scripts/examples/payees.csv.
--   * Every row is checked before anything is sent: a bad amount, a missing
--     column or a reference used twice stops the script with nothing paid.
--   * The rows are paid as a paysh.batch (docs/batches.md), eight at a time,
--     keyed by their reference: the batch's ledger skips rows paid by an
--     earlier run, and a run killed half-way can simply be started again.
--   * The reference is also stored with the payout as its paysh_ref custom
--     field, and before paying a row the script looks among that payee's
--     payouts for it, so a row paid from another machine (or under another
--     file name) is not paid twice either.
--   * A failed row is reported and the others go on; exit status 1 then.
local money = require "money"
local csv = require "csv"

local path = ...
if not path then
  io.stderr:write("usage: paysh bulk_payouts.lua PAYEES.CSV\n")
  os.exit(2)
end

local rows, header = csv.read(path)
local have = {}
for _, name in ipairs(header) do have[name] = true end
for _, name in ipairs { "payee_email", "amount", "description", "reference" } do
  if not have[name] then
    io.stderr:write(("bulk_payouts: %s: missing column %q\n"):format(path, name))
    os.exit(2)
  end
end

-- Check every row first.
local problems, seen = {}, {}
for i, row in ipairs(rows) do
  local line = ("row %d"):format(i)
  local amount, why = money.parse(row.amount)
  if not amount then
    problems[#problems + 1] = ("%s: amount: %s"):format(line, why)
  elseif amount.minor <= 0 then
    problems[#problems + 1] = ("%s: amount must be above zero, got %s"):format(line, row.amount)
  else
    row.money = amount
  end
  if row.payee_email == "" then problems[#problems + 1] = line .. ": payee_email is empty" end
  if row.description == "" then problems[#problems + 1] = line .. ": description is empty" end
  if row.reference == "" then
    problems[#problems + 1] = line .. ": reference is empty"
  elseif seen[row.reference] then
    problems[#problems + 1] = ("%s: reference %q is also used by row %d"):format(line, row.reference, seen[row.reference])
  else
    seen[row.reference] = i
  end
end
if #problems > 0 then
  for _, p in ipairs(problems) do io.stderr:write("bulk_payouts: ", path, ": ", p, "\n") end
  io.stderr:write("bulk_payouts: nothing was paid\n")
  os.exit(2)
end

-- References already paid, per payee (one list call per payee).
local existing = {}
local function paid_refs(email)
  local key = email:lower()
  if not existing[key] then
    local refs = {}
    for p in lumanu.payouts { payee_email = email } do
      for _, field in ipairs(p.custom_fields or {}) do
        if field.name == "paysh_ref" then refs[field.value] = p end
      end
    end
    existing[key] = refs
  end
  return existing[key]
end

local dry = paysh.profile().dry_run
local created, skipped, visited = {}, {}, {}
local summary = paysh.batch {
  name = "bulk_payouts " .. path,
  items = rows,
  key = function(row) return row.reference end,
  concurrency = 8,
  run = function(row)
    visited[row.reference] = true
    local found = paid_refs(row.payee_email)[row.reference]
    if found then
      skipped[#skipped + 1] = row.money
      print(("skipped  %-18s %-32s %10s  already paid (payout %s)"):format(row.reference, row.payee_email, row.money:format(), found.id))
      return found
    end
    local payout = lumanu.create_payout {
      payee_email = row.payee_email,
      amount = row.money:cents(),
      description = row.description,
      paysh_ref = row.reference,
    }
    created[#created + 1] = row.money
    paid_refs(row.payee_email)[row.reference] = payout
    print(("%s  %-18s %-32s %10s  payout %s"):format(dry and "would pay" or "created", row.reference, row.payee_email,
      row.money:format(), payout.id))
    return payout
  end,
}

-- Rows the ledger skipped were paid by an earlier run.
local failed = 0
for _, row in ipairs(rows) do
  local reason = summary.failures[row.reference]
  if reason then
    failed = failed + 1
    print(("failed   %-18s %-32s %10s  %s"):format(row.reference, row.payee_email, row.money:format(), reason))
  elseif not visited[row.reference] then
    skipped[#skipped + 1] = row.money
  end
end

print(("%s %d (%s), skipped %d already paid (%s), failed %d"):format(dry and "would create" or "created", #created,
  money.sum(created):format(), #skipped, money.sum(skipped):format(), failed))
if failed > 0 or summary.undecided > 0 then os.exit(1) end
