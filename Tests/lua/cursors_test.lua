-- Cursors: lazy pages, for loops, :all(), :take(n), :first(), #cursor, .total.
dofile("support.lua")

local function gets()
  local n = 0
  for route, count in pairs(sandbox.stats().requests) do
    if route:find("^GET /lumyri/payments/orders 200") then n = n + count end
  end
  return n
end

test("#cursor is the total; .total is nil until a page was fetched", function()
  local c = lumyri.invoices()
  eq(c.total, nil, "nothing fetched yet")
  eq(c.operation, "lumyri.invoices", "operation")
  local n = #c
  assert(n >= 65, "at least the 65 fixture invoices, got " .. n)
  eq(c.total, n, ".total after #")
  assert(tostring(c):find(n .. " in all", 1, true), tostring(c))
end)

test("a for loop walks every page and fetches each once", function()
  local c = lumyri.invoices { perPage = 10 }
  local before = gets()
  local count, ids = 0, {}
  for inv in c do
    count = count + 1
    assert(not ids[inv.id], "duplicate " .. inv.id)
    ids[inv.id] = true
  end
  eq(count, #c, "items = total")
  eq(gets() - before, math.ceil(count / 10), "pages fetched")
end)

test("a loop broken off early fetches only what it reached; a new loop starts again", function()
  local c = lumyri.invoices { perPage = 5 }
  local before = gets()
  local first
  for inv in c do first = inv.id break end
  eq(gets() - before, 1, "one page")
  local again
  for inv in c do again = inv.id break end
  eq(again, first, "restarts at the first item")
end)

test(":take(n), :first(), :all()", function()
  local c = lumyri.invoices { perPage = 4 }
  local nine = c:take(9)
  eq(#nine, 9, "take 9 across pages")
  eq(c:first().id, nine[1].id, "first = take(1)[1]")
  eq(#c:take(0), 0, "take 0")
  local all = lumyri.invoices { status = "Failed", perPage = 3 }:all()
  eq(#all, #lumyri.invoices { status = "Failed" }, "all = total")
  for _, inv in ipairs(all) do eq(inv.status, "Failed", inv.id) end
end)

test("an empty result", function()
  local c = lumyri.invoices { min = "999999" }
  eq(c:first(), nil, "first of nothing")
  eq(#c:all(), 0, "all of nothing")
  eq(#c, 0, "total 0")
  local n = 0
  for _ in c do n = n + 1 end
  eq(n, 0, "loop of nothing")
end)

test("cursors of the other services", function()
  local cards = lumyri.cards()
  eq(#cards, #cards:all(), "cards")
  eq(#lumanu.payouts { page_size = 50 }:take(120), 120, "payouts across pages")
  eq(lumen.payments { customerId = "cust_456" }:first().id, "pay_123", "payments")
end)

test("bad use of a cursor", function()
  local c = lumyri.invoices()
  raises(function() c:take(-1) end, "cursor:take: argument #1 %(n%): expected a count")
  raises(function() c:take("3") end, "expected a count")
  raises(function() c.take(3) end, "call it with a colon")
  raises(function() lumyri.invoices { perPage = 0 } end, "perPage")
end)

done()
