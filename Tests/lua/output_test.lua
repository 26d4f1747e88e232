-- paysh.output: what `paysh -p EXPR -o FORMAT` prints.
dofile("support.lua")

-- paysh has a built-in json; under plain lua5.4 lua-cjson stands in for it
-- (simple values only: its object key order differs).
local has_json, json = pcall(require, "json")
if not has_json then
  json = require("cjson")
  package.loaded.json = json
end
local null = json.null

local output = require("paysh.output")
local money = require("money")

-- values as an expression returns them: {n = count, ...}
local function values(...)
  return table.pack(...)
end

local function render(format, ...)
  return output.render(format, values(...))
end

-- Deep equality of plain values (tables compared key by key).
local function same(a, b)
  if type(a) ~= "table" or type(b) ~= "table" then
    if a ~= a and b ~= b then return true end -- NaN
    return a == b and math.type(a) == math.type(b)
  end
  for k, v in next, a do
    if not same(v, rawget(b, k)) then return false end
  end
  for k in next, b do
    if rawget(a, k) == nil then return false end
  end
  return true
end

local invoices = {
  setmetatable({ id = "inv_1", amount = 17408, status = "paid" }, { __jsonkeys = { "id", "status", "amount" } }),
  setmetatable({ id = "inv_22", amount = 5, status = "open", note = "late" }, { __jsonkeys = { "id", "status", "amount", "note" } }),
}

test("is_records", function()
  eq(output.is_records(invoices), true, "array of records")
  eq(output.is_records({}), false, "empty")
  eq(output.is_records({ { 1, 2 } }), false, "array of arrays")
  eq(output.is_records({ { a = 1 }, 5 }), false, "a scalar inside")
  eq(output.is_records({ { a = 1 }, { 1 } }), false, "an array inside")
  eq(output.is_records({ a = { b = 1 } }), false, "not an array")
  eq(output.is_records({ { a = 1 }, x = 1 }), false, "extra key")
  eq(output.is_records({ money(1) }), false, "money is not a record")
  eq(output.is_records("x"), false, "string")
  eq(output.is_records({ { [1] = 1, a = 1 } }), true, "a record may also have an array part")
end)

test("unknown formats and bad arguments", function()
  local err = raises(function() render("xml", 1) end,
    'paysh.output: unknown format "xml" %(valid: pretty, json, table, csv, lua%)')
  assert(err:find("output_test.lua", 1, true), "error points at the caller: " .. err)
  raises(function() output.render(nil, values(1)) end, "unknown format nil")
  raises(function() output.render("json", 5) end, "values must be a table")
  raises(function() output.render("pretty", values(1), { colour = true }) end, "unknown option colour")
  eq(table.concat(output.formats, ","), "pretty,json,table,csv,lua", "formats")
end)

test("no values, nothing printed; nils count through n", function()
  eq(render("pretty"), "", "no values")
  eq(render("pretty", nil, 1), "nil\n1\n", "a nil first")
  eq(output.render("json", { n = 2 }), "null\nnull\n", "two nils")
end)

test("pretty: inspect, one value per line", function()
  eq(render("pretty", 1, "a", { 1, 2 }), '1\n"a"\n{ 1, 2 }\n', "values")
  eq(render("pretty", invoices[1]), '{ id = "inv_1", status = "paid", amount = 17408 }\n', "jsonkeys order")
  local long = { description = ("word "):rep(20), n = 1 }
  eq(render("pretty", long), '{\n  description = "' .. ("word "):rep(20) .. '",\n  n = 1\n}\n', "multi-line")
  local colored = output.render("pretty", values("x"), { color = true })
  if (os.getenv("NO_COLOR") or "") == "" then
    eq(colored, '\27[32m"x"\27[0m\n', "colour")
  else
    eq(colored, '"x"\n', "NO_COLOR wins")
  end
  eq(output.render("pretty", values("x"), { color = false }), '"x"\n', "no colour")
end)

test("json: one JSON text per line", function()
  eq(render("json", 1, "a", true, nil, null), '1\n"a"\ntrue\nnull\nnull\n', "scalars")
  eq(render("json", { 1, 2, 3 }), "[1,2,3]\n", "array")
  eq(render("json", { id = "x" }), '{"id":"x"}\n', "object")
  eq(render("json", { total = money("174.08") }), '{"total":"174.08"}\n', "money as its exact decimal text")
  eq(render("json", money("-5")), '"-5.00"\n', "money alone")
  raises(function() render("json", 1, print) end, "paysh.output: json: value 2: ")
end)

test("json: money inside keeps the key order of its object", function()
  if not (has_json and json.decode) then return end
  local order = json.decode('{"z": 1, "a": 2}')
  local o = setmetatable({ z = money(1), a = 2 }, getmetatable(order))
  eq(render("json", o), '{"z":"1.00","a":2}\n', "order kept")
end)

test("table: records as aligned columns", function()
  local expected = table.concat({
    "id      status  amount  note",
    "------  ------  ------  ----",
    "inv_1   paid     17408",
    "inv_22  open         5  late",
  }, "\n") .. "\n"
  eq(render("table", invoices), expected, "table")
end)

test("table: cells (a column of numbers is right-aligned, header too)", function()
  local rows = {
    { name = "Zoë", v = null, nested = { 1, 2 }, flag = true, total = money("1234.5") },
    { name = ("é"):rep(45), v = 1.5, nested = {}, flag = false, total = money("1") },
  }
  local expected = table.concat({
    "flag   name                                      nested  total          v",
    "-----  ----------------------------------------  ------  -----------  ---",
    "true   Zoë                                       [1,2]   1234.50 USD",
    "false  " .. ("é"):rep(39) .. "…  {}      1.00 USD     1.5",
  }, "\n") .. "\n"
  eq(render("table", rows), expected, "widths in characters, cut at 40, JSON for nested")
  eq(render("table", { { a = "x\ny" } }), "a\n----\nx\\ny\n", "newlines shown escaped")
end)

test("table: a single record as field and value", function()
  local expected = table.concat({
    "field   value",
    "------  -----",
    "id      inv_1",
    "status  paid",
    "amount  17408",
  }, "\n") .. "\n"
  eq(render("table", invoices[1]), expected, "record")
end)

test("table: scalars, arrays of scalars, arrays of arrays", function()
  eq(render("table", "plain text", 42, 1.0, nil, true, null), "plain text\n42\n1.0\nnil\ntrue\nnull\n", "scalars")
  eq(render("table", money("3")), "3.00 USD\n", "money")
  eq(render("table", { "a", "b", 3 }), "a\nb\n3\n", "array of scalars")
  eq(render("table", { { 1, "x" }, { 22, "yy" } }), " 1  x\n22  yy\n", "array of arrays")
  eq(render("table", {}), "(empty)\n", "empty table")
end)

test("csv: records, one record, arrays, scalars", function()
  eq(render("csv", invoices), "id,status,amount,note\r\ninv_1,paid,17408,\r\ninv_22,open,5,late\r\n", "records")
  eq(render("csv", invoices[1]), "id,status,amount\r\ninv_1,paid,17408\r\n", "one record")
  eq(render("csv", { { 1, "a,b" }, { 2, "c" } }), '1,"a,b"\r\n2,c\r\n', "arrays as rows")
  eq(render("csv", { "x", "y" }), "x\r\ny\r\n", "array of scalars, one per row")
  eq(render("csv", "a,b", 5), '"a,b"\r\n5\r\n', "scalars as one field")
  eq(render("csv", { { total = money("2.5") } }), "total\r\n2.50 USD\r\n", "money cell")
  raises(function() render("csv", { { a = {} } }) end,
    'paysh.output: csv: value 1: csv.encode: row 1, column "a": cannot write a table')
end)

test("lua: expressions that load back to equal values", function()
  local env = { json = { null = null }, require = require, math = math }
  local samples = {
    1, -7, 1.0, 0.1, 1e300, -0.0, math.maxinteger, math.mininteger, "a\n\"b\"\0", true, false,
    { 1, 2, 3 }, { a = 1, ["odd key"] = { 1.5, "x" }, [10] = "ten", [2.5] = true, ["end"] = 1 },
    { nested = { deeper = { deepest = { 1, { 2 } } } } },
  }
  for i, v in ipairs(samples) do
    local text = render("lua", v)
    eq(text:sub(-1), "\n", "ends with a newline " .. i)
    local back = assert(load("return " .. text, "=lua", "t", env))()
    assert(same(back, v), ("sample %d did not round-trip: %s"):format(i, text))
  end
  eq(render("lua", 1.0), "1.0\n", "float stays a float")
  eq(render("lua", 1 / 0, -1 / 0), "1/0\n-1/0\n", "infinities")
  eq(math.type(load("return " .. render("lua", math.mininteger), "=lua", "t", env)()), "integer", "mininteger")
  eq(render("lua", nil), "nil\n", "nil")
  eq(render("lua", null), "json.null\n", "null")
  eq(load("return " .. render("lua", { a = null }), "=lua", "t", env)().a, null, "null loads back")
end)

test("lua: key order and layout", function()
  eq(render("lua", invoices[1]), '{ id = "inv_1", status = "paid", amount = 17408 }\n', "jsonkeys order")
  eq(render("lua", { 1, 2, b = 1, a = 2 }), "{ 1, 2, a = 2, b = 1 }\n", "array part first, then sorted")
  local long = { text = ("x"):rep(80) }
  eq(render("lua", long), '{\n  text = "' .. ("x"):rep(80) .. '"\n}\n', "one entry per line when long")
end)

test("lua: money loads back as money", function()
  local text = render("lua", { total = money("174.08", "EUR") })
  eq(text, '{ total = require("money")("174.08 EUR") }\n', "text")
  local back = load("return " .. text, "=lua", "t", { require = require })()
  eq(back.total, money("174.08 EUR"), "equal amount")
end)

test("lua: what has no Lua form is an error naming the path", function()
  raises(function() render("lua", { handler = print }) end, "paysh.output: lua: value 1: %$.handler: a function cannot be written as Lua")
  raises(function() render("lua", 1, { a = { 1, coroutine.create(print) } }) end, "value 2: %$.a%[2%]: a thread")
  raises(function() render("lua", { ["odd key"] = io.stdout }) end, '%$%["odd key"%]: a userdata')
  local t = {}
  t.me = t
  raises(function() render("lua", t) end, "%$.me: the table contains itself")
  raises(function() render("lua", { [{}] = 1 }) end, "a table used as a key")
end)

test("every rendering ends with a newline", function()
  for _, format in ipairs(output.formats) do
    for _, v in ipairs({ 1, "x", { 1 }, { a = 1 }, invoices }) do
      local text = output.render(format, values(v))
      eq(text:sub(-1), "\n", format)
    end
  end
end)

done()
