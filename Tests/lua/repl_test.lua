-- paysh.repl: what the interactive shell shows for a line's results.
dofile("support.lua")
local repl = require("paysh.repl")

local function show(...)
  return repl.show(table.pack(...), { color = false, width = 100 })
end

test("scalars show as inspect shows them, several on one line", function()
  eq(show(42), "42\n")
  eq(show("Succeeded"), '"Succeeded"\n')
  eq(show(1, "two", nil, json.null), '1\t"two"\tnil\tnull\n')
end)

test("a table shows as inspect shows it, long lists cut with what was left out", function()
  eq(show({ id = "inv_1", lines = { 1, 2 } }), '{ id = "inv_1", lines = { 1, 2 } }\n')
  local long = {}
  for i = 1, 30 do long[i] = i end
  local text = show(long)
  assert(text:find("... (10 more)", 1, true), text)
  assert(not text:find("21", 1, true), text)
end)

test("a list of records shows as a table that fits the width", function()
  local rows = {}
  for i = 1, 3 do
    rows[i] = json.decode(('{"id":"inv_%d","createdAt":"2024-01-0%dT00:00:00Z","status":"Processing","total":"1%d.00",'
      .. '"companyId":"956865a9-b9f7-4198-87eb-10b4f0f411c9","note":"%s"}'):format(i, i, i, ("x"):rep(40)))
  end
  local text = repl.show(table.pack(rows), { color = false, width = 60 })
  local lines = {}
  for line in text:gmatch("[^\n]+") do lines[#lines + 1] = line end
  assert(lines[1]:find("^id%s+status%s+total"), text)
  eq(lines[3]:match("^%S+"), "inv_1", "first row")
  for i = 1, 5 do assert(#lines[i] <= 60, "line " .. i .. " fits: " .. lines[i]) end
  assert(lines[#lines]:find("not shown: ", 1, true), text)
  assert(lines[#lines]:find("note", 1, true), text)
end)

test("a cursor shows its first items and how to see the rest", function()
  local text = show(lumyri.invoices())
  local rows = 0
  for line in text:gmatch("[^\n]+") do
    if line:find("^%x+%-%x+%-%x+%-%x+%-%x+ ") then rows = rows + 1 end
  end
  eq(rows, repl.cursor_items, "rows shown")
  assert(text:find("lumyri.invoices: 10 of %d+ — _:all%(%) for every one"), text)
end)

test("a cursor with everything on its first page says so", function()
  local text = show(lumyri.cards())
  assert(text:find("(lumyri.cards: all ", 1, true), text)
  assert(text:find("02953731-", 1, true), text)
end)

test("an empty cursor says it has nothing", function()
  eq(show(lumyri.invoices { receipt = "00000000-0000-0000-0000-000000000000" }), "(lumyri.invoices: nothing)\n")
end)

done()
