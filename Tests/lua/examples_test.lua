-- Runs the scripts of scripts/examples as a user would, and checks what they
-- did through the API. The children share this file's sandbox state.
dofile("support.lua")
local money = require "money"
local csv = require "csv"

local EXAMPLES = "../../scripts/examples/"
local DEFAULT_CARD = "02953731-1769-414f-a231-03541c3387ae"

local function write(path, text)
  local f = assert(io.open(path, "w"))
  f:write(text)
  f:close()
end

local run = paysh_run

local function processing_at_most(limit)
  local ids = {}
  for inv in lumyri.invoices { status = "Processing" } do
    if money(inv.total) <= money(limit) then ids[#ids + 1] = inv.id end
  end
  return ids
end

test("pay_processing_invoices: dry run pays nothing, the run pays, a re-run has nothing left", function()
  local before = processing_at_most("150")
  assert(#before > 0, "fixtures have Processing invoices of at most 150")
  local code, out, err = run("--dry-run", EXAMPLES .. "pay_processing_invoices.lua", "150")
  eq(code, 0, "dry run status: " .. err)
  assert(out:find("would pay " .. #before .. " ", 1, true), out)
  eq(#processing_at_most("150"), #before, "nothing paid by the dry run")
  code, out, err = run(EXAMPLES .. "pay_processing_invoices.lua", "150")
  eq(code, 0, "status: " .. err)
  assert(out:find("paid " .. #before .. " ", 1, true), out)
  for _, id in ipairs(before) do eq(lumyri.invoice(id).status, "Succeeded", id) end
  eq(#processing_at_most("150"), 0, "none left")
  local above = #lumyri.invoices { status = "Processing", min = "150.01" }
  assert(above > 0, "invoices above the limit stay Processing")
  code, out = run(EXAMPLES .. "pay_processing_invoices.lua", "150")
  eq(code, 0, "re-run status")
  assert(out:find("nothing to pay", 1, true), out)
end)

test("pay_processing_invoices: a decline is reported and the others are paid", function()
  local ids = sandbox.issue_invoices(2).ids
  local card = lumyri.create_card { info = { cardName = "Decline", cardNumber = "4000000000000119", expMonth = 12,
    expYear = 2031, cvv = "123", country = "US" }, addressInfo = {}, isDefault = true }
  -- 4000000000000119 fails its 1st, 3rd... charge and succeeds on the 2nd, 4th...
  local code, out = run(EXAMPLES .. "pay_processing_invoices.lua", "100000")
  lumyri.update_card(DEFAULT_CARD, { info = { expMonth = 12, expYear = 2027 }, isDefault = true })
  lumyri.delete_card(card.id)
  eq(code, 1, "exit 1 when a payment failed")
  assert(out:find("failed     ", 1, true) and out:find("processing_error", 1, true), out)
  local statuses = {}
  for _, id in ipairs(ids) do statuses[lumyri.invoice(id).status] = (statuses[lumyri.invoice(id).status] or 0) + 1 end
  assert((statuses.Succeeded or 0) >= 1 and (statuses.Failed or 0) >= 1, "one paid, one declined")
  code = run(EXAMPLES .. "pay_processing_invoices.lua", "nonsense")
  eq(code, 2, "bad amount")
end)

test("bulk_payouts: dry run, run, re-run creates each payout exactly once", function()
  local dir = os.tmpname()
  local file = dir .. ".csv"
  write(file, "payee_email,amount,description,reference\r\n" ..
    "bulk-a@example.com,12.50,First,bulk-1\r\nbulk-b@example.com,\"1,000.01\",Second,bulk-2\r\nbulk-a@example.com,0.99,Third,bulk-3\r\n")
  local code, out, err = run("--dry-run", EXAMPLES .. "bulk_payouts.lua", file)
  eq(code, 0, "dry run: " .. err)
  eq(#lumanu.payouts { payee_email = "bulk-a@example.com" }, 0, "dry run created nothing")
  code, out, err = run(EXAMPLES .. "bulk_payouts.lua", file)
  eq(code, 0, "run: " .. err)
  assert(out:find("created 3 ($1,013.50)", 1, true), out)
  code, out = run(EXAMPLES .. "bulk_payouts.lua", file)
  eq(code, 0, "re-run")
  assert(out:find("created 0", 1, true) and out:find("skipped 3", 1, true), out)
  local a = lumanu.payouts { payee_email = "bulk-a@example.com" }:all()
  eq(#a, 2, "two payouts for bulk-a")
  local amounts = {}
  for _, p in ipairs(a) do amounts[p.custom_fields[1].value] = p.amount end
  eq(amounts["bulk-1"], 1250, "12.50 in cents")
  eq(amounts["bulk-3"], 99, "0.99 in cents")
  eq(lumanu.payouts { payee_email = "bulk-b@example.com" }:first().amount, 100001, "1,000.01 in cents")
  os.remove(file)
  os.remove(dir)
end)

test("bulk_payouts: a bad row stops everything before any payout", function()
  local file = os.tmpname()
  write(file, "payee_email,amount,description,reference\nbad-1@example.com,5,One,bad-1\nbad-2@example.com,1.005,Two,bad-2\n")
  local code, _, err = run(EXAMPLES .. "bulk_payouts.lua", file)
  os.remove(file)
  eq(code, 2, "status")
  assert(err:find("row 2: amount", 1, true), err)
  eq(#lumanu.payouts { payee_email = "bad-1@example.com" }, 0, "the good row was not paid either")
end)

test("bulk_payouts: the sample payees.csv works", function()
  local code, out, err = run(EXAMPLES .. "bulk_payouts.lua", EXAMPLES .. "payees.csv")
  eq(code, 0, err)
  local rows = csv.read(EXAMPLES .. "payees.csv")
  assert(out:find("created " .. #rows .. " ", 1, true), out)
end)

test("export_payments writes the customer's payments", function()
  local file = os.tmpname()
  local code, out, err = run(EXAMPLES .. "export_payments.lua", "cust_1001", file)
  eq(code, 0, err)
  local rows, header = csv.read(file)
  os.remove(file)
  eq(table.concat(header, ","), "id,status,amount,currency,amount_cents,customer_name,plan", "columns")
  local api = lumen.payments { customerId = "cust_1001" }:all()
  eq(#rows, #api, "one row per payment")
  local total = money.cents(0)
  for i, row in ipairs(rows) do
    eq(row.id, api[i].id, "id")
    eq(row.amount, money.cents(api[i].amountCents, api[i].currency):decimal(), "decimal amount")
    eq(row.currency, "USD", "currency")
    total = total + money(row.amount)
  end
  assert(out:find("exported " .. #rows .. " payments", 1, true) and out:find(total:format(), 1, true), out)
end)

test("rotate_default_card: makes a card the default, then has nothing to do", function()
  local card = lumyri.create_card { info = { cardName = "Rotate", cardNumber = "5555555555554444", expMonth = 9,
    expYear = 2033, cvv = "123", country = "US" }, addressInfo = {} }
  eq(card.isDefault, false, "new card not default")
  local code, out, err = run(EXAMPLES .. "rotate_default_card.lua")
  eq(code, 0, err)
  assert(out:find("before: " .. DEFAULT_CARD, 1, true), out)
  assert(out:find("after:  " .. card.id, 1, true), out)
  local default
  for c in lumyri.cards() do if c.isDefault then default = c end end
  eq(default.id, card.id, "new default")
  eq(default.info.expMonth, 9, "expiry kept")
  code, out = run(EXAMPLES .. "rotate_default_card.lua", card.id)
  eq(code, 0, "re-run")
  assert(out:find("nothing changed", 1, true), out)
  code, out = run(EXAMPLES .. "rotate_default_card.lua", DEFAULT_CARD)
  eq(code, 0, "back")
  for c in lumyri.cards() do if c.isDefault then default = c end end
  eq(default.id, DEFAULT_CARD, "restored")
  lumyri.delete_card(card.id)
  code = run(EXAMPLES .. "rotate_default_card.lua", "no-such-card")
  eq(code, 3, "unknown card")
end)

test("awaiting_signup: groups the payouts and writes the CSV", function()
  local to = "signup-wait@example.com"
  local p1 = lumanu.create_payout { payee_email = to, amount = 1999, description = "a" }
  local p2 = lumanu.create_payout { payee_email = to, amount = 1, description = "b" }
  local file = os.tmpname()
  local code, out, err = run(EXAMPLES .. "awaiting_signup.lua", file)
  eq(code, 0, err)
  local line = out:match("\n(" .. to:gsub("%p", "%%%0") .. "[^\n]*)")
  assert(line, out)
  assert(line:find("Awaiting signup%s+2%s+%$20%.00%s+0d"), line)
  local rows = csv.read(file)
  os.remove(file)
  local mine, waiting = 0, #lumanu.payouts { status = "null" }
  for _, r in ipairs(rows) do if r.payee_email == to then mine = mine + 1 end end
  eq(mine, 2, "two CSV rows for the payee")
  eq(#rows, waiting, "one row per waiting payout")
  assert(out:find(waiting .. " payouts awaiting sign-up", 1, true), out)
  -- Approve them with the control API: sandbox.advance would only move this
  -- process's clock (see the report), a status change is stored.
  sandbox.advance_payout(p1.id, "Approved")
  sandbox.advance_payout(p2.id, "Approved")
  code, out = run(EXAMPLES .. "awaiting_signup.lua")
  assert(not out:find(to, 1, true), "no longer waiting after approval:\n" .. out)
end)

done()
