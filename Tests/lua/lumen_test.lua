-- lumen.*: payments and payment methods against the built-in sandbox.
dofile("support.lua")
local money = require "money"

test("payment(id): the document's pay_123", function()
  local p = lumen.payment("pay_123")
  eq(p.amountCents, 5000, "amountCents")
  eq(p.customer.id, "cust_456", "customer")
  eq(p.invoice.customerInvoiceNumber, "INV-0001", "invoice number")
  eq(tostring(money.cents(p.amountCents, p.currency)), "50.00 USD", "as money")
end)

test("payments{customerId}: only that customer's payments", function()
  local list = lumen.payments { customerId = "cust_1001" }:all()
  assert(#list > 0, "cust_1001 has payments")
  for _, p in ipairs(list) do eq(lumen.payment(p.id).customer.id, "cust_1001", p.id .. " customer") end
  eq(#lumen.payments { customerId = "cust_456" }:all(), 1, "cust_456 has exactly pay_123")
end)

test("payments(): every payment of the merchant", function()
  local all = lumen.payments():all()
  assert(#all > 1, "several payments")
  local seen = false
  for _, p in ipairs(all) do if p.id == "pay_123" then seen = true end end
  eq(seen, true, "pay_123 listed")
end)

test("payment and payment_method: unknown ids are 404", function()
  local e1 = raises(function() lumen.payment("pay_nope") end, "404")
  eq(e1.service, "lumen", "service")
  local e2 = raises(function() lumen.payment_method("pm_nope") end, "404")
  eq(e2.kind, "client_error", "kind")
end)

test("payment_method(id): the document's pm_123", function()
  local m = lumen.payment_method("pm_123")
  eq(m.provider, "stripe", "provider")
  eq(m.cardLastFour, "4242", "last four")
end)

test("create_payment_method, then read it back; the same external id again is a 409", function()
  local spec = { customerId = "cust_123", provider = "stripe", paymentType = "card",
    externalPaymentMethodId = "pm_ext_lumen_test_1", cardBrand = "visa", cardLastFour = "1111" }
  local m = lumen.create_payment_method(spec)
  assert(m.id:match("^pm_"), "id " .. tostring(m.id))
  eq(lumen.payment_method(m.id).cardLastFour, "1111", "read back")
  local err = raises(function() lumen.create_payment_method(spec) end, "409")
  assert(err.message:find(m.id, 1, true), "the 409 names the existing method")
end)

test("create_payment_method: an unknown customer is a 404, a bad paymentType a 400", function()
  raises(function()
    lumen.create_payment_method { customerId = "cust_nope", provider = "stripe", paymentType = "card",
      externalPaymentMethodId = "pm_ext_lumen_test_2", cardBrand = "visa", cardLastFour = "1111", status = "active" }
  end, "404")
  raises(function()
    lumen.create_payment_method { customerId = "cust_123", provider = "stripe", paymentType = "cheque",
      externalPaymentMethodId = "pm_ext_lumen_test_3", cardBrand = "visa", cardLastFour = "1111", status = "active" }
  end, "400")
end)

-- The declaration requires what the API requires: cardBrand and cardLastFour
-- are checked before sending, and status defaults to "active".
test("create_payment_method: cardBrand and cardLastFour are required before sending; status defaults", function()
  raises(function()
    lumen.create_payment_method { customerId = "cust_123", provider = "stripe", paymentType = "card",
      externalPaymentMethodId = "pm_ext_lumen_test_minimal" }
  end, 'field "cardBrand": expected a card brand')
  local m = lumen.create_payment_method { customerId = "cust_123", provider = "stripe", paymentType = "card",
    externalPaymentMethodId = "pm_ext_lumen_test_minimal", cardBrand = "visa", cardLastFour = "4242" }
  eq(m.status, "active", "default status")
end)

done()
