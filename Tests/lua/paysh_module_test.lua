-- paysh.*: profile, confirm, sleep, journal, reference.
dofile("support.lua")

test("profile: the built-in sandbox", function()
  local p = paysh.profile()
  eq(p.name, "sandbox", "name")
  eq(p.sandbox, true, "sandbox")
  eq(p.production, false, "production")
  eq(p.dry_run, false, "dry_run")
  eq(p.yes, false, "yes")
  eq(p.services.lumyri and p.services.lumen and p.services.lumanu, true, "services")
end)

test("confirm is false without a terminal", function()
  eq(paysh.confirm("Pay?"), false, "answer")
  raises(function() paysh.confirm() end, "argument #1 %(question%)")
end)

test("sleep waits and checks its argument", function()
  local t0 = os.time()
  eq(select("#", paysh.sleep(1.2)), 0, "returns nothing")
  assert(os.time() - t0 >= 1, "slept at least a second")
  raises(function() paysh.sleep(-1) end, "paysh.sleep")
  raises(function() paysh.sleep("soon") end, "paysh.sleep")
end)

test("journal shows a mutation once it ran", function()
  local id = sandbox.issue_invoices(1).ids[1]
  eq(#paysh.journal { reference = id }, 0, "nothing before")
  lumyri.pay_invoice(id)
  local entries = paysh.journal { reference = id }
  eq(#entries, 1, "one entry")
  local e = entries[1]
  eq(e.operation, "lumyri.pay_invoice", "operation")
  eq(e.service, "lumyri", "service")
  eq(e.state, "succeeded", "state")
  eq(e.http_status, 200, "status")
  eq(e.profile, "sandbox", "profile")
  eq(e.moves_money, true, "moves money")
  eq(paysh.journal { since = "1h", operation = "lumyri.pay_invoice", limit = 1 }[1].reference, id, "newest first")
end)

test("journal records failures and filters by service and state", function()
  local id = sandbox.issue_invoices(1).ids[1]
  lumyri.pay_invoice(id)
  pcall(lumyri.pay_invoice, id)
  local failed = paysh.journal { reference = id, state = "failed" }
  eq(#failed, 1, "the 409")
  eq(failed[1].http_status, 409, "status")
  for _, e in ipairs(paysh.journal { service = "lumanu" }) do eq(e.service, "lumanu", "service filter") end
  raises(function() paysh.journal { since = "yesterday" } end, 'field "since"')
  raises(function() paysh.journal { state = "done" } end, "expected one of")
end)

test("reads are not journaled", function()
  local before = #paysh.journal()
  lumyri.billing()
  lumen.payment("pay_123")
  eq(#paysh.journal(), before, "no new entries")
end)

test("reference is the Markdown reference", function()
  local text = paysh.reference()
  assert(text:find("## `lumyri`", 1, true), "lumyri section")
  assert(text:find("### paysh.journal", 1, true), "paysh.journal section")
end)

done()
