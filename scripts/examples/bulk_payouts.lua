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
--   * The reference is stored with the payout as its paysh_ref custom field.
--     Before paying a row, the script lists that payee's payouts and skips the
--     row when a payout with the same reference exists, so running the file
--     again pays only the rows that were not paid yet.
--   * A failed row is reported and the script goes on; exit status 1 then.
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
local created, skipped, failed = {}, {}, 0
for _, row in ipairs(rows) do
  local found = paid_refs(row.payee_email)[row.reference]
  if found then
    skipped[#skipped + 1] = row.money
    print(("skipped  %-18s %-32s %10s  already paid (payout %s)"):format(row.reference, row.payee_email, row.money:format(), found.id))
  else
    local ok, result = pcall(lumanu.create_payout, {
      payee_email = row.payee_email,
      amount = row.money:cents(),
      description = row.description,
      paysh_ref = row.reference,
    })
    if ok then
      created[#created + 1] = row.money
      paid_refs(row.payee_email)[row.reference] = result
      print(("%s  %-18s %-32s %10s  payout %s"):format(dry and "would pay" or "created", row.reference, row.payee_email,
        row.money:format(), result.id))
    else
      failed = failed + 1
      print(("failed   %-18s %-32s %10s  %s"):format(row.reference, row.payee_email, row.money:format(),
        type(result) == "table" and result.message or tostring(result)))
      io.stderr:write("bulk_payouts: ", tostring(result), "\n")
    end
  end
end

print(("%s %d (%s), skipped %d already paid (%s), failed %d"):format(dry and "would create" or "created", #created,
  money.sum(created):format(), #skipped, money.sum(skipped):format(), failed))
if failed > 0 then os.exit(1) end
