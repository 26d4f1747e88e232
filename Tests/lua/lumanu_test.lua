-- lumanu.*: creator payouts against the built-in sandbox.
dofile("support.lua")

local EXAMPLE = "32b1b9dd-2b0f-4cf0-92f7-6416a3be23b9"
local n = 0
local function email()
  n = n + 1
  return ("lumanu-test-%d-%d@example.com"):format(os.time(), n)
end

local function ref_of(p)
  for _, f in ipairs(p.custom_fields) do if f.name == "paysh_ref" then return f.value end end
end

test("payouts(): the sandbox client's 166 payouts, newest first", function()
  local c = lumanu.payouts()
  eq(#c, 166, "total")
  local all = c:all()
  eq(#all, 166, "all items over two pages")
  for i = 2, #all do
    assert(all[i - 1].created_at >= all[i].created_at or all[i - 1].invoice_number > all[i].invoice_number, "order at " .. i)
  end
end)

test("payouts: status, payee_email and workspace_id filters", function()
  for p in lumanu.payouts { status = "Paid" } do eq(p.status, "Paid", p.id) end
  local waiting = lumanu.payouts { status = "null" }:all()
  assert(#waiting > 0, "some payouts await sign-up")
  for _, p in ipairs(waiting) do eq(p.status, json.null, p.id .. " status") end
  for p in lumanu.payouts { payee_email = "ALAN.HAMILTON@creators.example" } do
    eq(p.vendor_email, "alan.hamilton@creators.example", "payee filter ignores case")
  end
  local ws = "5d0c8a3e-6b1f-4f7a-9c2e-1a7b3c9d4e01"
  for p in lumanu.payouts { workspace_id = ws } do eq(p.workspace_id, ws, p.id .. " workspace") end
end)

test("payout(id): the quickstart's example; unknown is a 404", function()
  local p = lumanu.payout(EXAMPLE)
  eq(p.invoice_number, 206466, "invoice number")
  eq(p.amount_denomination, "us_cents", "denomination")
  local err = raises(function() lumanu.payout("00000000-0000-4000-8000-000000000000") end, "404")
  eq(err.service, "lumanu", "service")
end)

test("create_payout keeps amount, reference and custom fields", function()
  local to = email()
  local p = lumanu.create_payout { payee_email = to, amount = 12345, description = "test payout", paysh_ref = "lt-ref-1",
    due_date = "2031-01-15", custom_fields = { { name = "campaign", value = "spring" } } }
  eq(p.amount, 12345, "amount in cents")
  eq(p.vendor_email, to, "payee")
  eq(p.due_date, "2031-01-15", "due date")
  eq(p.status, json.null, "awaiting sign-up")
  eq(ref_of(p), "lt-ref-1", "paysh_ref custom field")
  local campaign
  for _, f in ipairs(p.custom_fields) do if f.name == "campaign" then campaign = f.value end end
  eq(campaign, "spring", "own custom field")
  eq(lumanu.payout(p.id).id, p.id, "readable")
  local listed = lumanu.payouts { payee_email = to }:all()
  eq(#listed, 1, "listed once for the payee")
end)

test("create_payout without paysh_ref gets a generated reference", function()
  local p = lumanu.create_payout { payee_email = email(), amount = 100, description = "no ref" }
  local ref = ref_of(p)
  assert(ref and ref:match("^%x+%-%x+%-%x+%-%x+%-%x+$"), "generated uuid reference, got " .. tostring(ref))
end)

test("a payout moves with sign-up and the clock", function()
  local to = email()
  local p = lumanu.create_payout { payee_email = to, amount = 500, description = "lifecycle" }
  sandbox.advance(16 * 60)
  eq(lumanu.payout(p.id).status, "Approved", "approved after 15 minutes")
  sandbox.vendor_signup(to)
  sandbox.verify_vendor(to)
  sandbox.advance(3600)
  local now = lumanu.payout(p.id)
  eq(now.status, "Processing", "processing once verified and an hour passed")
  eq(now.vendor_status, "Verified", "vendor verified")
  eq(sandbox.advance_payout(p.id, "Paid").status, "Paid", "forced to Paid")
  eq(lumanu.payout(p.id).status, "Paid", "reads Paid")
end)

test("the API refuses a bad payee address (argument check)", function()
  local err = raises(function() lumanu.create_payout { payee_email = "not-an-address", amount = 100, description = "x" } end,
    "e%-mail")
  eq(err.kind, "validation", "kind")
end)

done()
