-- lumyri.*: invoices, cards and billing information against the built-in sandbox.
dofile("support.lua")
local money = require "money"

local FIXTURE = "4e872310-58fb-40bf-9494-68731fb3d6b4"
local DEFAULT_CARD = "02953731-1769-414f-a231-03541c3387ae"

local function default_card()
  local found
  for card in lumyri.cards() do
    if card.isDefault then
      assert(not found, "more than one default card")
      found = card
    end
  end
  return found
end

test("invoices: newest first, the fixture invoice on top", function()
  local first = lumyri.invoices():first()
  eq(first.id, FIXTURE, "newest invoice")
  eq(first.total, "174.08", "total as a decimal string")
end)

test("invoices: status, min and max filters hold for every item", function()
  local lo, hi = money("100"), money("300")
  local items = lumyri.invoices { status = "processing", min = "100", max = hi }:all()
  assert(#items > 0, "expected some Processing invoices between 100 and 300")
  for _, inv in ipairs(items) do
    eq(inv.status, "Processing", inv.id .. " status")
    local t = money(inv.total)
    assert(t >= lo and t <= hi, inv.id .. " total out of range: " .. inv.total)
  end
end)

test("invoices: receipt and method filters", function()
  local only = lumyri.invoices { receipt = FIXTURE }:all()
  eq(#only, 1, "receipt matches one invoice")
  eq(only[1].id, FIXTURE, "the receipt's invoice")
  for inv in lumyri.invoices { method = "PAYPAL" } do eq(inv.method, "paypal", inv.id .. " method") end
end)

test("invoices: startAt/endAt keep the whole period inside", function()
  local items = lumyri.invoices { startAt = "2023-02-01", endAt = "2023-03-01" }:all()
  eq(#items, 1, "only February 2023")
  eq(items[1].id, FIXTURE, "the February invoice")
end)

test("invoice(id) reads one invoice; an unknown id is a 404", function()
  local inv = lumyri.invoice(FIXTURE)
  eq(inv.id, FIXTURE, "id")
  eq(#inv.details, 5, "details lines")
  local err = raises(function() lumyri.invoice("00000000-0000-0000-0000-000000000000") end, "404")
  eq(err.kind, "client_error", "kind")
  eq(err.status, 404, "status")
  eq(err.operation, "lumyri.invoice", "operation")
end)

test("pay_invoice charges once; paying again is a 409", function()
  local id = sandbox.issue_invoices(1).ids[1]
  eq(lumyri.invoice(id).status, "Processing", "before")
  local before = sandbox.stats().charges_made
  local paid = lumyri.pay_invoice(id)
  eq(paid.status, "Succeeded", "answer status")
  assert(type(paid.paymentId) == "string", "paymentId set")
  eq(lumyri.invoice(id).status, "Succeeded", "after")
  eq(sandbox.stats().charges_made, before + 1, "one charge")
  local err = raises(function() lumyri.pay_invoice(id) end, "409")
  eq(err.status, 409, "status")
  eq(sandbox.stats().charges_made, before + 1, "no second charge")
end)

test("cards: the fixtures, exactly one default", function()
  local cards = lumyri.cards():all()
  assert(#cards >= 3, "three fixture cards")
  eq(default_card().id, DEFAULT_CARD, "default card")
  for _, c in ipairs(cards) do
    assert(c.info.cardNumber:find("%*%*%*%*%*%*%*%*"), "number masked: " .. c.info.cardNumber)
  end
end)

test("create, update, make default, delete a card", function()
  local card = lumyri.create_card {
    info = { cardName = "Test Card", cardNumber = "5555555555554444", expMonth = 6, expYear = 2031, cvv = "123", country = "US" },
    addressInfo = { firstName = "Ada", zipCode = "02139" },
  }
  eq(card.info.cardNumber, "5555********4444", "masked number")
  eq(card.isDefault, false, "not default")
  eq(card.address.firstName, "Ada", "address kept")
  local updated = lumyri.update_card(card.id, { info = { expMonth = 7, expYear = 2032 } })
  eq(updated.info.expMonth, 7, "new month")
  eq(updated.info.expYear, 2032, "new year")
  lumyri.update_card(card.id, { info = { expMonth = 7, expYear = 2032 }, isDefault = true })
  eq(default_card().id, card.id, "new default")
  eq(lumyri.billing().paymentId, card.id, "billing follows the default")
  lumyri.update_card(DEFAULT_CARD, { info = { expMonth = 12, expYear = 2027 }, isDefault = true })
  eq(default_card().id, DEFAULT_CARD, "default restored")
  eq(lumyri.delete_card(card.id), true, "delete returns true")
  for c in lumyri.cards() do assert(c.id ~= card.id, "deleted card still listed") end
end)

test("un-defaulting the default card is a 400", function()
  local err = raises(function()
    lumyri.update_card(DEFAULT_CARD, { info = { expMonth = 12, expYear = 2027 }, isDefault = false })
  end, "400")
  eq(err.kind, "client_error", "kind")
end)

test("a card with a bad Luhn digit is refused before sending", function()
  local before = #lumyri.cards()
  local err = raises(function()
    lumyri.create_card { info = { cardName = "X", cardNumber = "4242424242424241", expMonth = 1, expYear = 2031, cvv = "123", country = "US" }, addressInfo = {} }
  end, "Luhn")
  eq(err.kind, "validation", "kind")
  eq(#lumyri.cards(), before, "no card added")
  assert(not tostring(err):find("4242424242424241", 1, true), "the number must not appear in the error")
end)

test("billing and update_billing", function()
  local b = lumyri.billing()
  eq(b.id, "ce733f62-d863-4938-ad84-3b049ff8647d", "billing id")
  local changed = lumyri.update_billing { phoneNumber = "(714) 555-0100", city = "Irvine" }
  eq(changed.phoneNumber, "(714) 555-0100", "answer phone")
  eq(lumyri.billing().phoneNumber, "(714) 555-0100", "stored phone")
  eq(lumyri.billing().city, "Irvine", "stored city")
  eq(lumyri.billing().lastName, b.lastName, "other fields kept")
end)

done()
