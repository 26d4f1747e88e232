-- The inspect module: readable, Lua-looking renderings of any value.
dofile("support.lua")
local inspect = require("inspect")

-- json.null in paysh; lua-cjson's null (the same light userdata) under lua5.4.
local has_json, json = pcall(require, "json")
local null = has_json and json.null or require("cjson").null

local no_color_env = (os.getenv("NO_COLOR") or "") ~= ""

-- A stand-in for a json.number box when the json module is absent: any
-- userdata whose metatable is named json.number.
local function json_number(text)
  if has_json and json.number then return json.number(text) end
  local box = io.tmpfile()
  debug.setmetatable(box, { __name = "json.number", __tostring = function() return text end })
  return box
end

test("scalars look like Lua", function()
  eq(inspect(nil), "nil", "nil")
  eq(inspect(true), "true", "true")
  eq(inspect(false), "false", "false")
  eq(inspect(42), "42", "integer")
  eq(inspect(-7), "-7", "negative integer")
  eq(inspect("hi"), '"hi"', "string")
end)

test("floats always show they are floats, shortest round trip", function()
  eq(inspect(1.0), "1.0", "1.0")
  eq(inspect(0.1), "0.1", "0.1")
  eq(inspect(0.1 + 0.2), "0.30000000000000004", "0.1+0.2")
  eq(inspect(1e20), "1e+20", "1e20")
  eq(inspect(-0.0), "-0.0", "negative zero")
  eq(inspect(1 / 0), "1/0", "inf")
  eq(inspect(-1 / 0), "-1/0", "-inf")
  eq(inspect(0 / 0 ~= 0 / 0 and 0 / 0), "0/0", "nan")
  eq(inspect(174.08), "174.08", "money-like float")
end)

test("inspect.number gives the same texts and checks its argument", function()
  eq(inspect.number(3), "3", "integer")
  eq(inspect.number(3.0), "3.0", "float")
  eq(inspect.number(2 ^ 63), "9.223372036854776e+18", "large float")
  raises(function() inspect.number("3") end, "inspect.number: expected a number, got string")
end)

test("strings are quoted and escaped", function()
  eq(inspect('say "hi"\n'), [["say \"hi\"\n"]], "quote and newline")
  eq(inspect("tab\there\\"), [["tab\there\\"]], "tab and backslash")
  eq(inspect("a\0b\1272"), [["a\000b\1272"]], "control bytes as 3-digit \\ddd")
  eq(inspect("Zoë €"), '"Zoë €"', "valid UTF-8 stays readable")
  eq(inspect("bad\255x"), [["bad\255x"]], "invalid UTF-8 bytes escaped")
  local s = "line1\nline2\0\255\"\\"
  eq(load("return " .. inspect(s))(), s, "reads back")
end)

test("inspect.quote is the string literal used", function()
  eq(inspect.quote("a\nb"), [["a\nb"]], "quote")
  raises(function() inspect.quote(1) end, "inspect.quote: expected a string, got number")
end)

test("long strings are cut with a note", function()
  local s = ("x"):rep(250)
  eq(inspect(s), '"' .. ("x"):rep(200) .. '"... (50 more bytes)', "default 200")
  eq(inspect("abcdef", { max_string = 3 }), '"abc"... (3 more bytes)', "max_string")
  -- never inside a UTF-8 character: "é" is two bytes
  eq(inspect("aé", { max_string = 2 }), '"a"... (2 more bytes)', "UTF-8 boundary")
  eq(inspect("abc", { max_string = 3 }), '"abc"', "exactly at the limit")
end)

test("arrays, records and mixed tables", function()
  eq(inspect({}), "{}", "empty")
  eq(inspect({ 1, 2, 3 }), "{ 1, 2, 3 }", "array")
  eq(inspect({ id = "x", amount = 100 }), '{ amount = 100, id = "x" }', "record sorted")
  eq(inspect({ 10, 20, z = 1, a = 2 }), "{ 10, 20, a = 2, z = 1 }", "array part first")
  eq(inspect({ [1] = "a", [3] = "c" }), '{ "a", [3] = "c" }', "hole ends the array part")
end)

test("keys: identifiers bare, others bracketed, sorted by type", function()
  local t = { ["odd key"] = 1, ["end"] = 2, _ok = 3, [1.5] = 4, [10] = 5, [true] = 6 }
  eq(inspect(t), '{ _ok = 3, ["end"] = 2, ["odd key"] = 1, [1.5] = 4, [10] = 5, [true] = 6 }', "keys")
end)

test("__jsonkeys gives the order, the other keys follow sorted", function()
  local mt = { __name = "json.object", __jsonkeys = { "zeta", "alpha", "gone" } }
  local t = setmetatable({ alpha = 1, zeta = 2, mid = 3, added = 4 }, mt)
  eq(inspect(t), "{ zeta = 2, alpha = 1, added = 4, mid = 3 }", "order")
end)

test("tables are read raw: no __index or __pairs", function()
  local calls = 0
  local t = setmetatable({ a = 1 }, {
    __index = function() calls = calls + 1 return "x" end,
    __pairs = function() calls = calls + 1 return next, {}, nil end,
  })
  eq(inspect(t), "{ a = 1 }", "raw fields")
  eq(calls, 0, "metamethods called")
end)

test("long tables break into one entry per line", function()
  local t = { description = ("word "):rep(15), amount = 100 }
  local expected = '{\n  amount = 100,\n  description = "' .. ("word "):rep(15) .. '"\n}'
  eq(inspect(t), expected, "multi-line")
  eq(inspect({ a = { b = 1 } }, { width = 16 }), "{\n  a = { b = 1 }\n}", "nested fits")
  eq(inspect({ a = { b = 1 } }, { width = 17 }), "{ a = { b = 1 } }", "fits exactly")
  eq(inspect({ a = { b = 1, c = 2 } }, { width = 12, indent = "    " }),
    "{\n    a = {\n        b = 1,\n        c = 2\n    }\n}", "indent option")
end)

test("depth limits nesting with a field count", function()
  local t = { a = { b = { c = { d = { e = 1 } } } } }
  eq(inspect(t), "{ a = { b = { c = { d = { ... 1 field } } } } }", "default depth 4")
  eq(inspect({ x = { 1, 2, 3 } }, { depth = 1 }), "{ x = { ... 3 fields } }", "depth 1")
  eq(inspect({ x = {} }, { depth = 1 }), "{ x = {} }", "empty shown")
end)

test("max_items cuts long tables", function()
  local t = {}
  for i = 1, 60 do t[i] = i end
  local text = inspect(t)
  assert(text:find("50,\n  ... (10 more)\n}", 1, true), text)
  assert(not text:find("51", 1, true), "51 shown")
  eq(inspect({ 1, 2, 3, a = 1 }, { max_items = 2 }), "{ 1, 2, ... (2 more) }", "max_items 2")
end)

test("json null and json.number", function()
  eq(inspect(null), "null", "null")
  eq(inspect({ a = null }), "{ a = null }", "null field")
  eq(inspect(json_number("12.30")), "12.30", "json.number text")
end)

test("functions, userdata and threads are numbered per call", function()
  local f, g = function() end, function() end
  local co = coroutine.create(f)
  eq(inspect({ f, g, f, co }), "{ <function 1>, <function 2>, <function 1>, <thread 3> }", "numbering")
  eq(inspect(g), "<function 1>", "new call starts again")
  local file = io.tmpfile()
  eq(inspect(file), tostring(file), "userdata with __tostring")
  file:close()
end)

test("__inspect on tables and userdata", function()
  local mt = { __inspect = function(v, opts) return "<amount " .. v.n .. " " .. type(opts) .. ">" end }
  eq(inspect({ x = setmetatable({ n = 5 }, mt) }), "{ x = <amount 5 table> }", "table")
  local box = io.tmpfile()
  debug.setmetatable(box, { __inspect = function() return "<box>" end, __tostring = function() return "no" end })
  eq(inspect(box), "<box>", "userdata: __inspect wins over __tostring")
  local bad = setmetatable({}, { __inspect = function() return 1 end })
  raises(function() inspect(bad) end, "__inspect of a table returned a number, expected a string")
end)

test("a table with another metatable shows its fields", function()
  local t = setmetatable({ a = 1 }, { __tostring = function() return "T" end })
  eq(inspect(t), "{ a = 1 }", "fields")
end)

test("cycles are marked, repeats are printed in full", function()
  local t = { name = "root" }
  t.self = t
  eq(inspect(t), '<1> { name = "root", self = <cycle 1> }', "self cycle")
  local shared = { 1 }
  eq(inspect({ a = shared, b = shared }), "{ a = { 1 }, b = { 1 } }", "repeat")
  local a, b = {}, {}
  a.b, b.a = b, a
  eq(inspect({ a, b }), "{ <1> { b = { a = <cycle 1> } }, <2> { a = { b = <cycle 2> } } }", "two cycles")
  eq(inspect({ a, a }), "{ <1> { b = { a = <cycle 1> } }, <1> { b = { a = <cycle 1> } } }", "same cycle twice")
end)

test("colour only when asked, and never with NO_COLOR", function()
  local plain = inspect({ s = "x", n = 1, b = true, z = null, f = print })
  assert(not plain:find("\27", 1, true), "escape bytes without colour")
  local colored = inspect({ s = "x", n = 1, b = true }, { color = true })
  if no_color_env then
    assert(not colored:find("\27", 1, true), "NO_COLOR is set: no escapes")
  else
    eq(colored, "{ b = \27[35mtrue\27[0m, n = \27[36m1\27[0m, s = \27[32m\"x\"\27[0m }", "colours")
    eq(inspect(print, { color = true }), "\27[2m<function 1>\27[0m", "markers dim")
    inspect.color_default = true
    local by_default = inspect(1)
    inspect.color_default = false
    eq(by_default, "\27[36m1\27[0m", "color_default")
    -- width ignores escape bytes
    eq(inspect({ 1, 2 }, { color = true, width = 8 }), "{ \27[36m1\27[0m, \27[36m2\27[0m }", "width")
  end
end)

test("options are checked", function()
  raises(function() inspect(1, { colour = true }) end, "inspect: unknown option colour")
  raises(function() inspect(1, { depth = "2" }) end, "inspect: option depth must be a number, got string")
  raises(function() inspect(1, { width = -1 }) end, "must not be negative")
  raises(function() inspect(1, 5) end, "inspect: options must be a table, got number")
  local err = raises(function() inspect.inspect(1, { bad = 1 }) end, "unknown option")
  assert(err:find("inspect_test.lua", 1, true), "error points at the caller: " .. err)
end)

test("inspect.inspect and the callable module agree", function()
  eq(inspect.inspect({ 1, "a" }), inspect({ 1, "a" }), "same")
  eq(inspect.inspect({ 1, { 2 } }, { depth = 1 }), "{ 1, { ... 1 field } }", "opts")
end)

test("inspect.keys gives the array length and the ordered keys", function()
  local n, keys = inspect.keys(setmetatable({ 1, 2, b = 1, a = 2, c = 3 }, { __jsonkeys = { "c" } }))
  eq(n, 2, "array length")
  eq(table.concat(keys, ","), "c,a,b", "keys")
  raises(function() inspect.keys("x") end, "inspect.keys: expected a table")
end)

test("pp writes each argument on its own line", function()
  local written = {}
  local saved = io.stdout
  io.stdout = { write = function(_, ...) for _, s in ipairs({ ... }) do written[#written + 1] = s end end }
  local ok, err = pcall(inspect.pp, 1, nil, { a = "x" })
  io.stdout = saved
  assert(ok, err)
  eq(table.concat(written), '1\nnil\n{ a = "x" }\n', "output")
end)

test("loading inspect defines no globals", function()
  eq(rawget(_G, "pp"), nil, "pp")
  eq(rawget(_G, "inspect"), nil, "inspect")
end)

done()
