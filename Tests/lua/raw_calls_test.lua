-- Raw calls: SERVICE.get/post/put/delete on any path.
dofile("support.lua")

local WS = "90413206-0be5-48a5-af6c-6d52f3ec69f6"

test("lumyri.get with a query", function()
  local page = lumyri.get("/payments/orders", { perPage = 2, status = "Processing", page = 1 })
  eq(page.perPage, 2, "perPage echoed")
  eq(#page.data, 2, "two items")
  for _, inv in ipairs(page.data) do eq(inv.status, "Processing", inv.id) end
  assert(page.total >= 2, "total")
end)

test("lumyri.put pays, lumyri.post adds a card, lumyri.delete removes it", function()
  local id = sandbox.issue_invoices(1).ids[1]
  eq(lumyri.put("/payments/orders/" .. id .. "/pay").status, "Succeeded", "raw pay")
  eq(lumyri.invoice(id).status, "Succeeded", "paid")
  local card = lumyri.post("/payments/cards", { info = { cardName = "Raw", cardNumber = "5555555555554444", expMonth = 1,
    expYear = 2031, cvv = "999", country = "US" }, addressInfo = {} })
  eq(card.info.cardNumber, "5555********4444", "masked")
  eq(lumyri.delete("/payments/cards/" .. card.id), true, "204 gives true")
  for c in lumyri.cards() do assert(c.id ~= card.id, "still listed") end
end)

test("lumen.get and lumen.post", function()
  eq(lumen.get("/payments/pay_123").payment.id, "pay_123", "payment")
  eq(#lumen.get("/payments", { customerId = "cust_456" }).payments, 1, "one payment")
  local m = lumen.post("/payment-methods", { customerId = "cust_123", provider = "stripe", paymentType = "card",
    externalPaymentMethodId = "pm_ext_raw_1", status = "active", cardBrand = "visa", cardLastFour = "9999" })
  eq(m.paymentMethod.cardLastFour, "9999", "created")
  eq(lumen.payment_method(m.paymentMethod.id).cardLastFour, "9999", "read back")
end)

test("lumanu.get and lumanu.post", function()
  local page = lumanu.get("/api/rest/payouts", { limit = 3, workspace_id = WS })
  eq(#page.payouts, 3, "limit")
  assert(page.total > 3, "total")
  local p = lumanu.post("/api/rest/payables", { workspace_id = WS, payee_email = "raw-call@example.com", amount = 42,
    description = "raw" })
  eq(p.amount, 42, "created")
  eq(#p.custom_fields, 0, "raw post adds no reference")
  eq(lumanu.payout(p.id).amount, 42, "read back")
end)

test("errors of raw calls: 404, 405, 400, and a path without /", function()
  local e = raises(function() lumyri.get("/nope") end, "404")
  eq(e.operation, "lumyri.get", "operation")
  e = raises(function() lumanu.delete("/api/rest/payouts/32b1b9dd-2b0f-4cf0-92f7-6416a3be23b9") end, "405")
  eq(e.kind, "client_error", "405 kind")
  raises(function() lumen.put("/payments/pay_123", {}) end, "404")
  e = raises(function() lumanu.post("/api/rest/payables", { workspace_id = WS, amount = 1 }) end, "400")
  eq(e.status, 400, "validation-failed")
  e = raises(function() lumyri.get("payments/orders") end, 'starting with "/"')
  eq(e.kind, "validation", "argument error")
  raises(function() lumen.post("/payment-methods", function() end) end, "argument #2")
end)

done()
