-- scripts/scan-secrets, which scripts/test runs over everything paysh wrote
-- during the tests: it must find what leaks and pass what does not.
require "support"

local scanner = "../../scripts/scan-secrets"

local function scan(files)
  local dir = os.tmpname()
  os.remove(dir)
  assert(os.execute("mkdir -p " .. shell_quote(dir .. "/data/paysh")))
  for name, text in pairs(files) do
    local f = assert(io.open(dir .. "/" .. name, "w"))
    f:write(text)
    f:close()
  end
  local out = os.tmpname()
  local _, _, code = os.execute(shell_quote(scanner) .. " " .. shell_quote(dir) .. " > " .. shell_quote(out) .. " 2>&1")
  local said = slurp(out)
  os.execute("rm -rf " .. shell_quote(dir) .. " " .. shell_quote(out))
  return code, said
end

test("an unmasked card number, grouped or not, is found and shown masked", function()
  local code, said = scan { ["data/paysh/history"] = 'lumyri.card{number="4242424242424242"}\n5555 5555 5555 4444\n' }
  eq(code, 1, "exit status")
  assert(said:find("424242******4242", 1, true), said)
  assert(said:find("555555******4444", 1, true), said)
  -- a number at the end of a sentence is still a number
  code, said = scan { ["data/paysh/log"] = "paid with 4242424242424242. Next\n" }
  eq(code, 1, "exit status: " .. said)
  assert(not said:find("4242424242424242", 1, true), "the scanner itself prints no full number")
  -- the groupings cards are written in, 19 digits and Amex included
  code, said = scan { ["data/paysh/history"] = "4242-4242-4242-4242-428 3782 822463 10005 order-4000-0566-5566-5556\n" }
  eq(code, 1, "exit status")
  for _, shown in ipairs { "424242*********2428", "378282*****0005", "400005******5556" } do
    assert(said:find(shown, 1, true), shown .. " in " .. said)
  end
end)

test("a CVV field, a credential and a signed JWT are found", function()
  local jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJzYW5kYm94In0.c2lnbmF0dXJlLW9mLXRoZS10b2tlbg"
  local code, said = scan { ["data/paysh/journal.sqlite"] = '{"cvv":"123"} sk_sandbox_merchant_acme ' .. jwt }
  eq(code, 1, "exit status")
  assert(said:find("CVV in field cvv", 1, true), said)
  assert(said:find("credential sk_san", 1, true), said)
  assert(said:find("signed JWT", 1, true), said)
end)

test("masked numbers, ids, times and amounts are not findings", function()
  local code, said = scan { ["data/paysh/journal.sqlite"] =
    '{"cardNumber":"424242******4242","cvv":"[redacted]"} c3005cf2f2812026 1764633600000 174.08 2026-12-01 '
    .. "4e872310-58fb-40bf-9494-68731fb3d6b4 1234567890123"
    -- a float at full precision: Luhn-valid digits after or before its point
    .. "\n0.4242424242424242\n3.5555555555554444e-07\n4242424242424242.5\n"
    -- UUIDs whose digit-only groups, cut short in a stale copy of a row, add
    -- up to a Luhn-valid run: the soak's journal held the first of these.
    .. "\x84payables90203e4f-d3af-4769-8191-220098912\x84 d3afd3af-4242-4242-4242-4242\x84" }
  eq(code, 0, "exit status: " .. said)
  assert(said:find("0 findings", 1, true), said)
end)

test("the sandbox's own state and the tests' input files are skipped by design", function()
  local code, said = scan { ["data/paysh/sandbox.sqlite"] = "4242424242424242", ["cards.csv"] = "4242424242424242\n" }
  eq(code, 0, "exit status: " .. said)
  assert(said:find("skipped by design", 1, true), said)
end)

done()
