-- `paysh -p EXPR`, -o, --dry-run, --debug, --profile and exit statuses, through
-- child processes that share this file's data directory (and so its sandbox state).
dofile("support.lua")

local FIXTURE = "4e872310-58fb-40bf-9494-68731fb3d6b4"

local function lines(s)
  local t = {}
  for l in s:gmatch("([^\n]*)\n") do t[#t + 1] = l end
  return t
end

test("-p prints JSON when stdout is not a terminal", function()
  local code, out, err = paysh_run("-p", ('lumyri.invoice(%q)'):format(FIXTURE))
  eq(code, 0, "status")
  eq(err, "", "stderr")
  local v = json.decode(out)
  eq(v.id, FIXTURE, "id")
  eq(v.total, "174.08", "total")
end)

test("-p with two values prints one JSON text per line", function()
  local code, out = paysh_run("-p", '1 + 1, "x"')
  eq(code, 0, "status")
  eq(out, '2\n"x"\n', "JSON lines")
end)

test("-o table aligns columns", function()
  local code, out = paysh_run("-o", "table", "-p", 'lumen.payments{customerId="cust_1001"}:all()')
  eq(code, 0, "status")
  local l = lines(out)
  assert(l[1]:match("^id%s+amountCents%s+currency"), l[1])
  assert(l[2]:match("^%-+  %-+"), "dashes: " .. l[2])
  local col = l[1]:find("currency", 1, true)
  for i = 3, #l do eq(l[i]:sub(col, col + 2), "usd", "currency column aligned in row " .. i) end
  eq(#l, 2 + #lumen.payments { customerId = "cust_1001" }:all(), "one row per payment")
end)

test("-o csv writes a header and CRLF records", function()
  local code, out = paysh_run("-o", "csv", "-p", 'lumen.payments{customerId="cust_456"}:all()')
  eq(code, 0, "status")
  eq(out, "id,amountCents,currency,status,customerName,planName\r\npay_123,5000,usd,succeeded,John Doe,Pro Plan\r\n", "csv")
end)

test("-o lua is loadable", function()
  local code, out = paysh_run("-o", "lua", "-p", 'lumen.payment("pay_123")')
  eq(code, 0, "status")
  local v = assert(load("return " .. out))()
  eq(v.customer.name, "John Doe", "round trip")
  eq(math.type(v.amountCents), "integer", "integer kept")
end)

test("an API error: one stderr line, nothing on stdout, exit 3", function()
  local code, out, err = paysh_run("-p", 'lumyri.invoice("no-such-invoice")')
  eq(code, 3, "status")
  eq(out, "", "stdout")
  eq(#lines(err), 1, "one line: " .. err)
  assert(err:find(": lumyri.invoice: 404", 1, true), err)
end)

test("--debug adds the trace and a traceback", function()
  local code, _, err = paysh_run("--debug", "-p", 'lumyri.invoice("no-such-invoice")')
  eq(code, 3, "status")
  assert(err:find("GET http://", 1, true), "trace line: " .. err)
  assert(err:find("stack traceback:", 1, true), "traceback: " .. err)
end)

test("usage errors exit 2: bad -o, unknown profile", function()
  local code, out, err = paysh_run("-o", "xml", "-p", "1")
  eq(code, 2, "bad -o")
  eq(out, "", "stdout")
  assert(err:find("xml", 1, true), err)
  code, out, err = paysh_run("--profile", "no-such-profile", "-p", "1")
  eq(code, 2, "unknown profile")
  assert(err:find("no-such-profile", 1, true), err)
end)

test("error('x') is a Lua error: exit 1 with a traceback", function()
  local code, out, err = paysh_run("-e", 'error("x")')
  eq(code, 1, "status")
  eq(out, "", "stdout")
  assert(err:find("(command line):1: x", 1, true), err)
  assert(err:find("stack traceback:", 1, true), err)
end)

test("a card number in -e is refused before anything runs (exit 2)", function()
  local before = #lumyri.cards()
  local code, out, err = paysh_run("-e", 'lumyri.create_card{info={cardName="X", cardNumber="4242424242424242", expMonth=1, expYear=2031, cvv="123", country="US"}, addressInfo={}}')
  eq(code, 2, "status")
  eq(out, "", "stdout")
  assert(err:find("card number", 1, true), err)
  assert(not err:find("4242424242424242", 1, true), "the number is not echoed")
  eq(#lumyri.cards(), before, "no card added")
end)

test("adding a card without a number and no terminal fails clearly (exit 3)", function()
  local code, _, err = paysh_run("-p", 'lumyri.create_card{info={cardName="X", expMonth=1, expYear=2031, country="US"}}')
  eq(code, 3, "status")
  assert(err:find("info.cardNumber", 1, true) and err:find("nobody is", 1, true), err)
end)

test("a card from the environment, in a script file", function()
  local script = os.tmpname()
  local f = assert(io.open(script, "w"))
  f:write([[
local c = lumyri.create_card{info = {cardName = "Env Card", cardNumber = os.getenv("CARD_NUMBER"), cvv = os.getenv("CARD_CVV"),
  expMonth = 3, expYear = 2032, country = "US"}, addressInfo = {}}
print(c.id)
]])
  f:close()
  local out = os.tmpname()
  local _, how, code = os.execute("CARD_NUMBER=4242424242424242 CARD_CVV=321 " .. shell_quote(os.getenv("PAYSH_TEST_BIN")) .. " " .. shell_quote(script) .. " </dev/null >" .. shell_quote(out))
  os.remove(script)
  eq(code, 0, "status")
  local id = slurp(out):match("^(%S+)")
  local found
  for c in lumyri.cards() do if c.id == id then found = c end end
  assert(found, "card " .. tostring(id) .. " listed")
  eq(found.info.cardNumber, "4242********4242", "masked")
  lumyri.delete_card(id)
end)

test("--dry-run prints curl and sends nothing", function()
  local id = sandbox.issue_invoices(1).ids[1]
  local code, out, err = paysh_run("--dry-run", "-p", ("lumyri.pay_invoice(%q).dry_run"):format(id))
  eq(code, 0, "status: " .. err)
  assert(out:find("# lumyri.pay_invoice (dry run: not sent)", 1, true), out)
  assert(out:find("curl -sS -X PUT '", 1, true), out)
  assert(out:find("/pay'", 1, true), out)
  eq(lines(out)[#lines(out)], "true", "the fake result says dry_run")
  eq(lumyri.invoice(id).status, "Processing", "not paid")
  code, out = paysh_run("--dry-run", "-p", "paysh.profile().dry_run")
  eq(out, "true\n", "profile knows")
end)

test("list invoices", function()
  local code, out = paysh_run("-p", 'lumyri.invoices{status="Processing"}:all()')
  eq(code, 0, "status")
  local list = json.decode(out)
  assert(#list > 0, "some")
  for _, inv in ipairs(list) do eq(inv.status, "Processing", inv.id) end
end)

test("pay one invoice", function()
  local id = sandbox.issue_invoices(1).ids[1]
  local code, out = paysh_run("-p", ("lumyri.pay_invoice(%q).status"):format(id))
  eq(code, 0, "status")
  eq(out, '"Succeeded"\n', "stdout")
  eq(lumyri.invoice(id).status, "Succeeded", "paid for real")
  code = paysh_run("-p", ("lumyri.pay_invoice(%q).status"):format(id))
  eq(code, 3, "paying again is a client error")
end)

test("create a payout", function()
  local to = "oneliner-payout@example.com"
  local code, out = paysh_run("-p", ('lumanu.create_payout{payee_email=%q, amount=2500, description="one-liner", paysh_ref="ol-1"}.id'):format(to))
  eq(code, 0, "status")
  local id = json.decode(out)
  local p = lumanu.payout(id)
  eq(p.amount, 2500, "amount")
  eq(p.vendor_email, to, "payee")
end)

test("look up a payment", function()
  local code, out = paysh_run("-p", 'lumen.payment("pay_123").amountCents')
  eq(code, 0, "status")
  eq(out, "5000\n", "amount")
end)

test("export to CSV with csv.write", function()
  local path = os.tmpname()
  local code = paysh_run("-e", ('require("csv").write(%q, lumen.payments{customerId="cust_1001"}:all(), {"id","amountCents"})'):format(path))
  eq(code, 0, "status")
  local text = slurp(path)
  assert(text:match("^id,amountCents\r\npay_%d+,%d+\r\n"), text)
  eq(select(2, text:gsub("\r\n", "")), 1 + #lumen.payments { customerId = "cust_1001" }:all(), "records")
end)

done()
