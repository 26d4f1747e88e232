-- sandbox.*: the control API of the built-in sandbox.
dofile("support.lua")

local FIXTURE = "4e872310-58fb-40bf-9494-68731fb3d6b4"
local n = 0
local function email()
  n = n + 1
  return ("sandbox-test-%d@example.com"):format(n)
end

test("reset brings the fixtures back", function()
  lumyri.pay_invoice(FIXTURE)
  eq(lumyri.invoice(FIXTURE).status, "Succeeded", "paid")
  sandbox.reset()
  eq(lumyri.invoice(FIXTURE).status, "Processing", "fixture again")
  eq(#lumanu.payouts(), 166, "payouts again")
end)

test("advance moves the clock", function()
  local a = sandbox.advance(60)
  local b = sandbox.advance(120)
  eq(b.advancedBySeconds - a.advancedBySeconds, 120, "advanced by 120 more")
  assert(b.now > a.now, "now moves on")
  raises(function() sandbox.advance(0) end, "at least 1")
end)

test("stats count requests and charges", function()
  local s0 = sandbox.stats()
  local id = sandbox.issue_invoices(1).ids[1]
  lumyri.pay_invoice(id)
  local s1 = sandbox.stats()
  eq(s1.charges_made, s0.charges_made + 1, "charges")
  assert((s1.requests["PUT /lumyri/payments/orders/{id}/pay 200"] or 0) >= 1, "route counted")
end)

test("faults: set, read, clear", function()
  eq(sandbox.faults("latency=1").spec, "latency=1", "set")
  eq(sandbox.faults().spec, "", "cleared")
end)

test("issue_invoices gives payable Processing invoices", function()
  local r = sandbox.issue_invoices(3)
  eq(#r.ids, 3, "three ids")
  for _, id in ipairs(r.ids) do eq(lumyri.invoice(id).status, "Processing", id) end
  raises(function() sandbox.issue_invoices(0) end, "at least 1")
end)

test("vendor_signup and verify_vendor", function()
  local to = email()
  local p = lumanu.create_payout { payee_email = to, amount = 100, description = "x" }
  eq(p.vendor_status, "Awaiting signup", "before")
  eq(sandbox.vendor_signup(to).vendor_status, "Onboarding", "signed up")
  eq(lumanu.payout(p.id).vendor_status, "Onboarding", "payout shows it")
  local v = sandbox.verify_vendor(to)
  eq(v.vendor_status, "Verified", "verified")
  assert(v.payee_lumanu_id:match("^%w+$"), "lumanu id")
  local e = raises(function() sandbox.verify_vendor(to) end, "409")
  eq(e.operation, "sandbox.verify_vendor", "operation")
  raises(function() sandbox.verify_vendor("nobody-" .. to) end, "404")
end)

test("advance_payout: one step, to a status, not backwards", function()
  local p = lumanu.create_payout { payee_email = email(), amount = 100, description = "x" }
  eq(sandbox.advance_payout(p.id).status, "Approved", "one step")
  eq(sandbox.advance_payout(p.id, "Paid").status, "Paid", "to Paid")
  raises(function() sandbox.advance_payout(p.id, "Approved") end, "409")
  raises(function() sandbox.advance_payout(p.id, "Done") end, "expected one of")
end)

done()
