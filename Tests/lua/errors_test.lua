-- paysh.error objects: argument checks, API refusals, declines and network faults.
dofile("support.lua")

local function api_error(fn, ...)
  local ok, err = pcall(fn, ...)
  assert(not ok, "expected an error")
  eq(type(err), "table", "error object type")
  eq(getmetatable(err).__name, "paysh.error", "metatable name")
  assert(not tostring(err):find("\n"), "tostring is one line")
  return err
end

test("argument errors name the function, argument, expectation and value", function()
  local e = api_error(lumyri.pay_invoice, 42)
  eq(e.kind, "validation", "kind")
  eq(e.message, "argument #1 (id): expected an invoice id (string), got 42", "message")
  eq(tostring(e), "lumyri.pay_invoice: argument #1 (id): expected an invoice id (string), got 42", "tostring")
  e = api_error(lumyri.invoice)
  eq(e.message, "argument #1 (id): expected an invoice id (string), got nil", "missing id")
  e = api_error(lumanu.create_payout, { payee_email = "a@example.com", amount = 12.5, description = "x" })
  eq(e.message, 'argument #1 (payout): field "amount": expected whole US cents above zero (integer), got 12.5 (a float)', "float amount")
  e = api_error(lumyri.update_card, "x", { info = { expMonth = 1 } })
  assert(e.message:find('field "expYear"', 1, true), e.message)
  e = api_error(lumyri.invoices, { status = "Paid" })
  assert(e.message:find('field "status": expected one of', 1, true), e.message)
  e = api_error(lumyri.invoice, "a", "b")
  assert(e.message:find("argument #2", 1, true), e.message)
  e = api_error(paysh.sleep, -1)
  eq(e.operation, "paysh.sleep", "paysh.sleep operation")
end)

test("argument errors send nothing", function()
  local before = sandbox.stats().requests
  local total = 0
  for _, n in pairs(before) do total = total + n end
  pcall(lumanu.create_payout, { payee_email = "a@example.com", amount = 0, description = "x" })
  pcall(lumyri.pay_invoice, {})
  local after = 0
  for route, n in pairs(sandbox.stats().requests) do if not route:find("_sandbox") then after = after + n end end
  local base = 0
  for route, n in pairs(before) do if not route:find("_sandbox") then base = base + n end end
  eq(after, base, "service requests")
end)

test("an unknown field is refused with a suggestion", function()
  local e = api_error(lumyri.invoices, { stauts = "Processing" })
  eq(e.kind, "validation", "kind")
  assert(e.message:find('unknown field "stauts" (did you mean "status"?)', 1, true), e.message)
  assert(e.message:find("strict = false", 1, true), e.message)
end)

test("strict = false accepts an unknown field", function()
  local ok, c = pcall(lumyri.invoices, { status = "Processing", bogus = 1, strict = false })
  assert(ok, tostring(c))
end)

-- strict = false sends a field paysh does not know: here the sandbox refuses
-- it, which proves it reached the API instead of being dropped.
test("strict = false sends the unknown field to the API", function()
  local ok, res = pcall(lumanu.create_payout, { payee_email = "strict-false@example.com", amount = 100, description = "x",
    currency = "USD", strict = false })
  assert(not ok, "payout created although its unknown field was dropped: " .. tostring(ok and res.id))
  eq(res.status, 400, "status")
  assert(res.message:find("currency", 1, true), res.message)
end)

test("API 4xx: 404 with fields", function()
  local e = api_error(lumyri.invoice, "no-such-invoice")
  eq(e.kind, "client_error", "kind")
  eq(e.status, 404, "status")
  eq(e.service, "lumyri", "service")
  eq(e.operation, "lumyri.invoice", "operation")
  eq(e.retryable, false, "retryable")
  assert(type(e.request_id) == "string" and #e.request_id > 0, "request id")
end)

test("paying a paid invoice is a 409", function()
  local id = sandbox.issue_invoices(1).ids[1]
  lumyri.pay_invoice(id)
  local e = api_error(lumyri.pay_invoice, id)
  eq(e.kind, "client_error", "kind")
  eq(e.status, 409, "status")
  assert(e.message:find("already paid", 1, true), e.message)
end)

test("a decline is a 402 and leaves the invoice payable", function()
  local DEFAULT = "02953731-1769-414f-a231-03541c3387ae"
  local card = lumyri.create_card { info = { cardName = "Decline", cardNumber = "4000000000000002", expMonth = 12,
    expYear = 2031, cvv = "123", country = "US" }, addressInfo = {}, isDefault = true }
  local id = sandbox.issue_invoices(1).ids[1]
  local ok, e = pcall(lumyri.pay_invoice, id)
  lumyri.update_card(DEFAULT, { info = { expMonth = 12, expYear = 2027 }, isDefault = true })
  lumyri.delete_card(card.id)
  assert(not ok, "expected a decline")
  eq(e.status, 402, "status")
  eq(e.kind, "client_error", "kind")
  assert(e.message:find("card_declined", 1, true), e.message)
  local inv = lumyri.invoice(id)
  eq(inv.status, "Failed", "invoice status")
  eq(inv.metadata.declineCode, "card_declined", "decline code")
  eq(lumyri.pay_invoice(id).status, "Succeeded", "paid again with the good card")
end)

test("a 503 is retried and the call succeeds", function()
  local ids = sandbox.issue_invoices(4).ids
  local before = sandbox.stats().faults["503"] or 0
  -- about half the pay requests fail; the seeded generator makes this repeatable
  sandbox.faults("503:0.5@PUT /lumyri/payments/orders/*/pay")
  local results = {}
  for i, id in ipairs(ids) do results[i] = table.pack(pcall(lumyri.pay_invoice, id)) end
  local injected = (sandbox.stats().faults["503"] or 0) - before
  sandbox.faults()
  assert(injected >= 1, "no 503 was injected, so nothing was retried")
  for i, id in ipairs(ids) do
    assert(results[i][1], tostring(results[i][2]))
    eq(results[i][2].status, "Succeeded", "paid")
    eq(lumyri.invoice(id).status, "Succeeded", "stored")
  end
end)

test("a persistent 503 raises kind rejected, retryable", function()
  local id = sandbox.issue_invoices(1).ids[1]
  sandbox.faults("503@PUT /lumyri/payments/orders/*/pay")
  local ok, e = pcall(lumyri.pay_invoice, id)
  sandbox.faults()
  assert(not ok, "expected a failure")
  eq(e.kind, "rejected", "kind")
  eq(e.status, 503, "status")
  eq(e.retryable, true, "retryable")
  eq(lumyri.invoice(id).status, "Processing", "nothing charged")
end)

test("a connection dropped every time raises outcome_unknown, not retryable", function()
  local id = sandbox.issue_invoices(1).ids[1]
  sandbox.faults("drop-before@PUT /lumyri/payments/orders/*/pay")
  local ok, e = pcall(lumyri.pay_invoice, id)
  sandbox.faults()
  assert(not ok, "expected a failure")
  eq(e.kind, "outcome_unknown", "kind")
  eq(e.retryable, false, "retryable")
  eq(lumyri.invoice(id).status, "Processing", "nothing charged")
end)

test("500-after on a payout is reconciled: one payout", function()
  local to = "fault-500-after@example.com"
  sandbox.faults("500-after@POST /lumanu/**")
  local ok, p = pcall(lumanu.create_payout, { payee_email = to, amount = 700, description = "fault" })
  sandbox.faults()
  assert(ok, tostring(p))
  local list = lumanu.payouts { payee_email = to }:all()
  eq(#list, 1, "exactly one payout")
  eq(list[1].id, p.id, "the one returned")
end)

test("a bad fault spec is an error of the sandbox module; faults are cleared at the end", function()
  local e = api_error(sandbox.faults, "500@GET /lumen/**")
  eq(e.status, 400, "status")
  assert(e.message:find("unknown fault kind", 1, true), e.message)
  sandbox.faults()
  eq(sandbox.faults().spec, "", "no faults left")
end)

done()
