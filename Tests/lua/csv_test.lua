-- The csv module: RFC 4180 parsing and writing, values kept exact.
dofile("support.lua")
local csv = require("csv")

local has_json, json = pcall(require, "json")
local null = has_json and json.null or require("cjson").null

-- A temporary directory for file tests, removed by cleanup().
local function tmpdir()
  local dir = os.tmpname()
  os.remove(dir)
  assert(os.execute("mkdir -p '" .. dir .. "'"))
  return dir
end

local function cleanup(dir)
  os.execute("rm -rf '" .. dir .. "'")
end

local function slurp(path)
  local f = assert(io.open(path, "rb"))
  local s = f:read("a")
  f:close()
  return s
end

-- Files in dir (names joined with ",", sorted).
local function listing(dir)
  local p = assert(io.popen("ls -A '" .. dir .. "'"))
  local names = {}
  for name in p:lines() do names[#names + 1] = name end
  p:close()
  table.sort(names)
  return table.concat(names, ",")
end

test("header rows are records in column order", function()
  local rows, header = csv.parse("id,name,amount\r\ninv_1,Ann,174.08\r\ninv_2,Bob,5\r\n")
  eq(#rows, 2, "row count")
  eq(table.concat(header, ","), "id,name,amount", "header")
  eq(rows[1].id, "inv_1", "id")
  eq(rows[1].amount, "174.08", "values stay strings")
  eq(rows[2].amount, "5", "no number guessing")
  eq(math.type(rows[2].amount), nil, "a string, not a number")
  local mt = getmetatable(rows[1])
  eq(table.concat(mt.__jsonkeys, ","), "id,name,amount", "__jsonkeys")
  eq(getmetatable(rows[2]), mt, "one shared metatable per parse")
  header[1] = "changed"
  eq(mt.__jsonkeys[1], "id", "the returned header is a copy")
end)

test("header = false gives arrays", function()
  local rows, header = csv.parse("a,b\n1,2\n", { header = false })
  eq(header, nil, "no header")
  eq(#rows, 2, "rows")
  eq(rows[1][1], "a", "first cell")
  eq(rows[2][2], "2", "last cell")
  raises(function() csv.parse("a,b\n1\n", { header = false }) end, "line 2: expected 2 fields %(as in the first line%), got 1")
  eq(#csv.parse("a,b\n1\n", { header = false, ragged = true })[2], 1, "ragged arrays keep their length")
end)

test("line endings: CRLF, LF, lone CR, final one optional", function()
  for _, text in ipairs({ "a,b\r\n1,2\r\n3,4\r\n", "a,b\n1,2\n3,4", "a,b\r1,2\r3,4\r", "a,b\r\n1,2\n3,4" }) do
    local rows = csv.parse(text)
    eq(#rows, 2, "rows in " .. string.format("%q", text))
    eq(rows[2].b, "4", "last value")
  end
end)

test("quoted fields hold separators, quotes and newlines", function()
  local rows = csv.parse('name,note\r\n"Smith, J","say ""hi"""\r\n"two\r\nlines","a\nb"\r\n"",x\r\n')
  eq(rows[1].name, "Smith, J", "comma")
  eq(rows[1].note, 'say "hi"', "doubled quotes")
  eq(rows[2].name, "two\r\nlines", "CRLF kept exactly")
  eq(rows[2].note, "a\nb", "LF")
  eq(rows[3].name, "", "empty quoted field")
end)

test("empty fields and trailing separators", function()
  local rows = csv.parse("a,b,c\n,,\n1,,3\n")
  eq(rows[1].a, "", "empty a")
  eq(rows[1].c, "", "empty c")
  eq(rows[2].b, "", "empty middle")
end)

test("a BOM is skipped, empty lines are skipped", function()
  local rows, header = csv.parse("\239\187\191id\n1\n\n2\n\n")
  eq(header[1], "id", "BOM not part of the first name")
  eq(#rows, 2, "empty lines skipped")
  eq(rows[2].id, "2", "value after an empty line")
  local empty, h = csv.parse("")
  eq(#empty, 0, "empty text: no rows")
  eq(#h, 0, "empty text: no header")
end)

test("spaces are data", function()
  local rows = csv.parse("a,b\n 1 , x\n")
  eq(rows[1].a, " 1 ", "leading and trailing spaces kept")
  eq(rows[1].b, " x", "leading space kept")
end)

test("separator option", function()
  local rows = csv.parse('a;b\n1;"x;y"\n', { separator = ";" })
  eq(rows[1].b, "x;y", "semicolon")
  eq(csv.parse("a\tb\n1\t2\n", { separator = "\t" })[1].b, "2", "tab")
  eq(csv.parse("a.b\n1.2\n", { separator = "." })[1].b, "2", "a pattern character as separator")
  raises(function() csv.parse("a", { separator = ";;" }) end, "option separator must be one byte")
  raises(function() csv.parse("a", { separator = '"' }) end, "option separator must be one byte other than a quote")
end)

test("errors say the line", function()
  raises(function() csv.parse('a,b\n1,2\n3,"open\nmore\n') end, "csv.parse: line 3: unterminated quoted field")
  raises(function() csv.parse('a,b\n1,x"y\n') end, "csv.parse: line 2: a quote in the middle of unquoted field 2")
  raises(function() csv.parse('a,b\n1,"x"y\n') end, "csv.parse: line 2: text after a closing quote in field 2")
  raises(function() csv.parse('a,b\n"multi\nline",2\n1,"x" \n') end, "line 4: text after a closing quote")
  raises(function() csv.parse("a,b\n1,2,3\n") end, "csv.parse: line 2: expected 2 fields %(as in the header%), got 3")
  raises(function() csv.parse("a,b\n1,2\n\n3\n") end, "line 4: expected 2 fields %(as in the header%), got 1")
  raises(function() csv.parse("a,b,a\n") end, 'csv.parse: line 1: duplicate column name "a" %(columns 1 and 3%)')
  raises(function() csv.parse("a,,b\n") end, "csv.parse: line 1: column 2 of the header has no name")
  raises(function() csv.parse(5) end, "csv.parse: expected the CSV text as a string, got number")
  raises(function() csv.parse("a", { headers = true }) end, "csv.parse: unknown option headers")
  raises(function() csv.parse("a", { header = 1 }) end, "option header must be a boolean")
  local err = raises(function() csv.parse('"') end, "unterminated")
  assert(err:find("csv_test.lua", 1, true), "error points at the caller: " .. err)
end)

test("ragged: missing fields become empty strings, extra fields still fail", function()
  local rows = csv.parse("a,b,c\n1\n1,2\n", { ragged = true })
  eq(rows[1].b, "", "missing b")
  eq(rows[1].c, "", "missing c")
  eq(rows[2].b, "2", "present b")
  raises(function() csv.parse("a,b\n1,2,3\n", { ragged = true }) end, "line 2: expected 2 fields")
end)

test("csv.read reads a file and names it in errors", function()
  local dir = tmpdir()
  local path = dir .. "/in.csv"
  local f = assert(io.open(path, "wb"))
  f:write("id,total\r\nx,1.50\r\n")
  f:close()
  local rows, header = csv.read(path)
  eq(rows[1].total, "1.50", "value")
  eq(header[2], "total", "header")
  eq(#csv.read(path, { header = false }), 2, "options passed on")
  f = assert(io.open(path, "wb"))
  f:write('a\n"x\n')
  f:close()
  raises(function() csv.read(path) end, 'csv.read: line 2: unterminated quoted field %(in "' .. path:gsub("%p", "%%%0") .. '"%)')
  raises(function() csv.read(dir .. "/missing.csv") end, 'csv.read: cannot open ".-missing.csv": No such file or directory')
  raises(function() csv.read(dir) end, 'csv.read: cannot read')
  raises(function() csv.read(nil) end, "csv.read: expected a file path, got nil")
  cleanup(dir)
end)

test("encode records: header from __jsonkeys, CRLF, quoting", function()
  local rows = csv.parse("id,name,amount\nx,\"Smith, J\",1.50\n")
  eq(csv.encode(rows), 'id,name,amount\r\nx,"Smith, J",1.50\r\n', "round trip keeps order")
  local text = 'b,a\r\n"say ""hi""","two\r\nlines"\r\n" lead",trail \r\n'
  local back = csv.parse(text)
  eq(csv.encode(back), 'b,a\r\n"say ""hi""","two\r\nlines"\r\n" lead","trail "\r\n', "quotes")
end)

test("encode: columns default to sorted keys, later keys appended", function()
  local text = csv.encode({ { b = 1, a = 2 }, { c = 3, a = 4 } })
  eq(text, "a,b,c\r\n2,1,\r\n4,,3\r\n", "columns")
  local ordered = setmetatable({ z = 1, y = 2 }, { __jsonkeys = { "z", "y" } })
  eq(csv.encode({ ordered, { x = 3 } }), "z,y,x\r\n1,2,\r\n,,3\r\n", "jsonkeys first")
  eq(table.concat(csv.columns({ ordered, { x = 3, w = 1 } }), ","), "z,y,w,x", "csv.columns")
  raises(function() csv.columns({ { a = 1, [2] = 1 } }) end, "csv.columns: row 1 has a key that is not a string")
  raises(function() csv.columns(5) end, "csv.columns: expected a list of rows")
end)

test("encode: explicit columns choose and order the fields", function()
  eq(csv.encode({ { a = 1, b = 2, c = 3 } }, { "c", "a" }), "c,a\r\n3,1\r\n", "chosen columns")
  raises(function() csv.encode({ { a = 1 } }, { "a", 2 }) end, "csv.encode: column 2 must be a string")
end)

test("encode arrays, with an optional header", function()
  eq(csv.encode({ { 1, 2 }, { "x", "y,z" } }), '1,2\r\nx,"y,z"\r\n', "arrays")
  eq(csv.encode({ { 1, 2 } }, { "a", "b" }), "a,b\r\n1,2\r\n", "header")
  eq(csv.encode({ { 1, nil, 3 } }), "1,,3\r\n", "hole")
  eq(csv.encode({}), "", "no rows")
  eq(csv.encode({}, { "a" }), "a\r\n", "header only")
end)

test("encode values", function()
  local money_ok, money = pcall(require, "money")
  local row = {
    s = "text", i = 42, f = 1.5, whole = 2.0, t = true, no = false, n = null,
    m = money_ok and money("174.08") or "174.08 USD",
  }
  eq(csv.encode({ row }, { "s", "i", "f", "whole", "t", "no", "n", "missing", "m" }),
    "s,i,f,whole,t,no,n,missing,m\r\ntext,42,1.5,2.0,true,false,,,174.08 USD\r\n", "values")
  eq(csv.encode({ { 0.1 + 0.2 } }), "0.30000000000000004\r\n", "shortest round trip")
  local box = io.tmpfile()
  debug.setmetatable(box, { __name = "json.number", __tostring = function() return "1e400" end })
  eq(csv.encode({ { box } }), "1e400\r\n", "json.number")
  raises(function() csv.encode({ { a = 1 }, { a = 1 }, { a = 1, meta = {} } }) end,
    'csv.encode: row 3, column "meta": cannot write a table')
  raises(function() csv.encode({ { print } }) end, "csv.encode: row 1, column 1: cannot write a function")
  raises(function() csv.encode({ { 0 / 0 } }) end, "row 1, column 1: cannot write")
  raises(function() csv.encode({ { a = 1 }, 5 }) end, "csv.encode: row 2 is a number, not a table")
  raises(function() csv.encode("x") end, "csv.encode: expected a list of rows, got string")
end)

test("a single empty field is written as a quoted empty string", function()
  local text = csv.encode({ { a = "" }, { a = "x" } })
  eq(text, 'a\r\n""\r\nx\r\n', "encoded")
  local rows = csv.parse(text)
  eq(#rows, 2, "read back: not skipped as an empty line")
  eq(rows[1].a, "", "value")
end)

test("round trip of awkward values", function()
  local values = { "", " ", '"', '""', ",", "\r", "\n", "\r\n", "a\rb", "Zoë", "x,y\"z\n" }
  local rows = {}
  for i, v in ipairs(values) do rows[i] = { v = v, k = tostring(i) } end
  local back = csv.parse(csv.encode(rows))
  for i, v in ipairs(values) do eq(back[i].v, v, "value " .. i) end
end)

test("csv.write replaces the file atomically and returns the row count", function()
  local dir = tmpdir()
  local path = dir .. "/out.csv"
  eq(csv.write(path, { { id = "a", n = 1 }, { id = "b", n = 2 } }), 2, "count")
  eq(slurp(path), "id,n\r\na,1\r\nb,2\r\n", "content")
  eq(csv.write(path, { { 1 } }, { "x" }), 1, "overwrite")
  eq(slurp(path), "x\r\n1\r\n", "replaced")
  eq(listing(dir), "out.csv", "no temporary files left")
  -- an encoding error leaves the old file as it was
  raises(function() csv.write(path, { { a = {} } }) end, 'csv.write: row 1, column "a": cannot write a table')
  eq(slurp(path), "x\r\n1\r\n", "untouched after an error")
  eq(listing(dir), "out.csv", "still no temporary files")
  raises(function() csv.write(dir .. "/no/such/dir/x.csv", {}) end, "csv.write: cannot create a temporary file next to")
  raises(function() csv.write(5, {}) end, "csv.write: expected a file path, got number")
  cleanup(dir)
end)

done()
