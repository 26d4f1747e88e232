-- paysh.output: the text `paysh -p EXPR -o FORMAT` prints for the values
-- an expression returned. Formats: pretty, json, table, csv, lua.
local inspect = require("inspect")
local csv = require("csv")

local M = {}

local FORMAT_LIST = "pretty, json, table, csv, lua"
local MAX_CELL = 40

-- Failures raised while rendering carry their message in this marker
-- table; render() re-raises them at its caller's level.
local Failure = {}
local function fail(message)
  error(setmetatable({ message = message }, Failure), 0)
end

local values = require("paysh.values")
local is_null, meta, is_json_number = values.is_null, values.meta, values.is_json_number

-- An object that prints itself (money, any table with __tostring that is
-- not a json one): shown through tostring.
local function has_tostring(v)
  local mt = meta(v)
  return mt ~= nil and rawget(mt, "__tostring") ~= nil
end

local function has_string_key(t)
  for k in next, t do
    if type(k) == "string" then return true end
  end
  return false
end

-- Length n when t's keys are exactly 1..n (n may be 0), else nil.
local function array_length(t)
  local count = 0
  for _ in next, t do count = count + 1 end
  for i = 1, count do
    if rawget(t, i) == nil then return nil end
  end
  return count
end

-- A plain table that is not displayed as a single value.
local function is_container(v)
  return type(v) == "table" and not has_tostring(v)
end

-- output.is_records(v): a non-empty array of tables that each have at
-- least one string key.
function M.is_records(v)
  if not is_container(v) then return false end
  local n = array_length(v)
  if not n or n == 0 then return false end
  for i = 1, n do
    local row = rawget(v, i)
    if not is_container(row) or not has_string_key(row) then return false end
  end
  return true
end

-- Record columns: the first row's __jsonkeys (keys it has), then keys
-- first seen in later rows, sorted within each row. Non-string keys are
-- left out.
local function record_columns(rows)
  local columns, seen = {}, {}
  for i = 1, #rows do
    local row = rows[i]
    local mt = meta(row)
    local order = mt and rawget(mt, "__jsonkeys")
    if type(order) == "table" then
      for _, k in ipairs(order) do
        if type(k) == "string" and not seen[k] and rawget(row, k) ~= nil then
          seen[k] = true
          columns[#columns + 1] = k
        end
      end
    end
    local new = {}
    for k in next, row do
      if type(k) == "string" and not seen[k] then new[#new + 1] = k end
    end
    table.sort(new)
    for _, k in ipairs(new) do
      seen[k] = true
      columns[#columns + 1] = k
    end
  end
  return columns
end

-- v with every money amount inside replaced by its decimal string
-- ("174.08"), so JSON keeps the exact amount. Tables holding an amount
-- are copied (keeping their metatable, hence their key order); others
-- are returned as they are.
local function with_money_as_text(v, open)
  local mt = meta(v)
  if type(v) ~= "table" then return v end
  if mt and rawget(mt, "__name") == "money" and v.tojson then return v:tojson() end
  if open[v] then return v end
  open[v] = true
  local copy, changed = {}, false
  for k, item in next, v do
    local replaced = with_money_as_text(item, open)
    copy[k] = replaced
    if replaced ~= item then changed = true end
  end
  open[v] = nil
  if not changed then return v end
  return setmetatable(copy, mt)
end

---------------------------------------------------------------------------
-- table

-- Width on screen: UTF-8 characters, or bytes when the text is not UTF-8.
local function width(s)
  return utf8.len(s) or #s
end

-- s cut to at most MAX_CELL characters, ending with "…" when cut.
local function cut(s)
  if width(s) <= MAX_CELL then return s end
  if not utf8.len(s) then return s:sub(1, MAX_CELL - 1) .. "…" end
  return s:sub(1, utf8.offset(s, MAX_CELL) - 1) .. "…"
end

-- Compact one-line text of a nested table: JSON when the json module can
-- encode it, else a one-line inspect rendering.
local function compact(v)
  local ok, json = pcall(require, "json")
  if ok and type(json) == "table" and json.encode then
    local encoded, text = pcall(json.encode, with_money_as_text(v, {}))
    if encoded then return text end
  end
  return inspect(v, { width = math.huge, color = false, depth = 3 })
end

-- Text of a cell and whether it is a number (right-aligned).
local function cell(v)
  if v == nil or is_null(v) then return "", false end
  if type(v) == "number" then return inspect.number(v), true end
  if is_json_number(v) then return tostring(v), true end
  local text
  if type(v) == "string" then
    text = v
  elseif type(v) == "boolean" or has_tostring(v) then
    text = tostring(v)
  elseif type(v) == "table" then
    text = compact(v)
  else
    text = inspect(v, { color = false })
  end
  text = text:gsub("[%c]", function(c)
    return ({ ["\n"] = "\\n", ["\r"] = "\\r", ["\t"] = "\\t" })[c] or ("\\%03d"):format(c:byte())
  end)
  return cut(text), false
end

-- Aligned columns: cells[i][j] = { text, is_number }; header may be nil.
-- Columns are two spaces apart; a column whose cells are all numbers is
-- right-aligned.
local function grid(header, cells)
  local widths, numeric, ncols = {}, {}, header and #header or 0
  for _, row in ipairs(cells) do
    if #row > ncols then ncols = #row end
  end
  for j = 1, ncols do
    widths[j], numeric[j] = header and width(header[j] or "") or 0, true
    local any = false
    for _, row in ipairs(cells) do
      local c = row[j]
      if c and c[1] ~= "" then
        any = true
        if not c[2] then numeric[j] = false end
        if width(c[1]) > widths[j] then widths[j] = width(c[1]) end
      end
    end
    numeric[j] = numeric[j] and any
  end
  local function line(texts, right)
    local parts = {}
    for j = 1, ncols do
      local s = texts[j] or ""
      local pad = (" "):rep(widths[j] - width(s))
      parts[j] = right[j] and (pad .. s) or (s .. pad)
    end
    return (table.concat(parts, "  "):gsub("%s+$", ""))
  end
  local out = {}
  if header then
    out[1] = line(header, numeric)
    local dashes = {}
    for j = 1, ncols do dashes[j] = ("-"):rep(widths[j]) end
    out[2] = table.concat(dashes, "  ")
  end
  for _, row in ipairs(cells) do
    local texts, right = {}, {}
    for j = 1, ncols do
      local c = row[j]
      texts[j], right[j] = c and c[1] or "", numeric[j]
    end
    out[#out + 1] = line(texts, right)
  end
  return table.concat(out, "\n") .. "\n"
end

-- Text of a scalar, uncut: strings as they are, nil as nil.
local function scalar_text(v)
  if v == nil then return "nil" end
  if is_null(v) then return "null" end
  if type(v) == "string" then return v end
  if type(v) == "number" then return inspect.number(v) end
  if type(v) == "boolean" or has_tostring(v) or is_json_number(v) then return tostring(v) end
  return inspect(v, { color = false })
end

local function key_text(k)
  if type(k) == "string" then return k end
  return scalar_text(k)
end

local function render_table(v)
  if not is_container(v) then return scalar_text(v) .. "\n" end
  if M.is_records(v) then
    local columns = record_columns(v)
    local cells = {}
    for i = 1, #v do
      local row = {}
      for j, name in ipairs(columns) do row[j] = { cell(rawget(v[i], name)) } end
      cells[i] = row
    end
    return grid(columns, cells)
  end
  local n = array_length(v)
  if n == 0 then return "(empty)\n" end
  if n then
    local all_arrays, all_scalars = true, true
    for i = 1, n do
      local item = rawget(v, i)
      if is_container(item) then all_scalars = false else all_arrays = false end
      if is_container(item) and has_string_key(item) then all_arrays = false end
    end
    if all_scalars then
      local lines = {}
      for i = 1, n do lines[i] = scalar_text(rawget(v, i)) end
      return table.concat(lines, "\n") .. "\n"
    end
    if all_arrays then
      local cells = {}
      for i = 1, n do
        local row, item = {}, rawget(v, i)
        for j = 1, #item do row[j] = { cell(rawget(item, j)) } end
        cells[i] = row
      end
      return grid(nil, cells)
    end
  end
  local count, keys = inspect.keys(v)
  local cells = {}
  for i = 1, count do cells[#cells + 1] = { { tostring(i), false }, { cell(rawget(v, i)) } } end
  for _, k in ipairs(keys) do cells[#cells + 1] = { { cut(key_text(k)), false }, { cell(rawget(v, k)) } } end
  return grid({ "field", "value" }, cells)
end

-- The columns people look for first, in the order shown; the rest follow
-- in the records' own key order.
local FIRST_COLUMNS = {
  "id", "status", "total", "amount", "amountCents", "currency", "payee_email", "vendor_status",
  "customerId", "method", "cardBrand", "cardLastFour", "isDefault", "description", "createdAt",
}

-- output.records(rows [, {width = 100, max_rows = 20}]) -> text: records
-- as aligned columns that fit in `width` characters: the columns of
-- FIRST_COLUMNS first, then scalar columns, then nested ones, as many as
-- fit; a last line names the columns left out and the rows not shown.
function M.records(rows, opts)
  opts = opts or {}
  local limit, max_rows = opts.width or 100, opts.max_rows or 20
  local shown_rows = math.min(#rows, max_rows)
  local columns = record_columns(rows)
  local rank = {}
  for i, name in ipairs(FIRST_COLUMNS) do rank[name] = i end
  local scalar = {}
  for _, name in ipairs(columns) do
    scalar[name] = true
    for i = 1, shown_rows do
      if is_container(rawget(rows[i], name)) then scalar[name] = false end
    end
  end
  local order = {}
  for i, name in ipairs(columns) do order[i] = { name = name, position = i } end
  local function weight(c)
    return rank[c.name] or (scalar[c.name] and 100 or 200)
  end
  table.sort(order, function(a, b)
    if weight(a) ~= weight(b) then return weight(a) < weight(b) end
    return a.position < b.position
  end)
  local chosen, left_out, used = {}, {}, 0
  for _, c in ipairs(order) do
    local w = width(c.name)
    for i = 1, shown_rows do
      local text = cell(rawget(rows[i], c.name))
      if width(text) > w then w = width(text) end
    end
    if used + w + (#chosen > 0 and 2 or 0) <= limit or #chosen == 0 then
      chosen[#chosen + 1] = c.name
      used = used + w + (#chosen > 1 and 2 or 0)
    else
      left_out[#left_out + 1] = c.name
    end
  end
  local cells = {}
  for i = 1, shown_rows do
    local row = {}
    for j, name in ipairs(chosen) do row[j] = { cell(rawget(rows[i], name)) } end
    cells[i] = row
  end
  local text = grid(chosen, cells)
  local notes = {}
  if #rows > shown_rows then notes[#notes + 1] = ("%d more rows"):format(#rows - shown_rows) end
  if #left_out > 0 then notes[#notes + 1] = "not shown: " .. table.concat(left_out, ", ") end
  if #notes > 0 then text = text .. "(" .. table.concat(notes, "; ") .. ")\n" end
  return text
end

---------------------------------------------------------------------------
-- csv

local function render_csv(v)
  if not is_container(v) then
    return csv.encode({ { v } })
  end
  if M.is_records(v) then return csv.encode(v) end
  local n = array_length(v)
  if n == 0 then return "\r\n" end
  if n then
    local rows, all_arrays = {}, true
    for i = 1, n do
      local item = rawget(v, i)
      if is_container(item) then
        if has_string_key(item) then all_arrays = false end
        rows[i] = item
      else
        rows[i] = { item }
      end
    end
    if all_arrays then return csv.encode(rows) end
  end
  return csv.encode({ v })
end

---------------------------------------------------------------------------
-- json

local function render_json(v)
  if v == nil then return "null\n" end
  local ok, json = pcall(require, "json")
  if not ok or type(json) ~= "table" or not json.encode then
    fail("the json format needs the json module")
  end
  local encoded, text = pcall(json.encode, with_money_as_text(v, {}))
  if not encoded then fail(tostring(text)) end
  return text .. "\n"
end

---------------------------------------------------------------------------
-- lua

local KEYWORDS = {}
for word in ([[and break do else elseif end false for function goto if in
  local nil not or repeat return then true until while]]):gmatch("%a+") do
  KEYWORDS[word] = true
end

local function child_path(path, k)
  if type(k) == "string" and k:match("^[%a_][%w_]*$") then return path .. "." .. k end
  if type(k) == "string" then return path .. "[" .. inspect.quote(k) .. "]" end
  return path .. "[" .. tostring(k) .. "]"
end

local lua_text

-- `key = ` for identifiers, `[key] = ` otherwise.
local function lua_key(k, path)
  if type(k) == "string" and k:match("^[%a_][%w_]*$") and not KEYWORDS[k] then return k .. " = " end
  if type(k) == "string" or type(k) == "number" or type(k) == "boolean" then
    return "[" .. lua_text(k, path, {}, 0) .. "] = "
  end
  fail(("%s: a %s used as a key cannot be written as Lua"):format(path, type(k)))
end

-- A Lua expression for v; tables one line when short, else one entry
-- per line. path names the value in errors; seen holds the tables open.
function lua_text(v, path, seen, level)
  local tv = type(v)
  if tv == "nil" or tv == "boolean" then return tostring(v) end
  if math.type(v) == "integer" then
    return v == math.mininteger and "math.mininteger" or tostring(v)
  end
  if tv == "number" then return inspect.number(v) end
  if tv == "string" then return inspect.quote(v) end
  if is_null(v) then return "json.null" end
  if is_json_number(v) then return ("json.number(%s)"):format(inspect.quote(tostring(v))) end
  local mt = meta(v)
  if tv == "table" and mt and rawget(mt, "__name") == "money" then
    local ok, money = pcall(require, "money")
    if ok and money.is(v) then return ('require("money")(%s)'):format(inspect.quote(tostring(v))) end
  end
  if tv ~= "table" then fail(("%s: a %s cannot be written as Lua"):format(path, tv)) end
  if seen[v] then fail(("%s: the table contains itself (a cycle)"):format(path)) end
  seen[v] = true
  local n, keys = inspect.keys(v)
  local items = {}
  for i = 1, n do items[i] = lua_text(rawget(v, i), child_path(path, i), seen, level + 1) end
  for _, k in ipairs(keys) do
    items[#items + 1] = lua_key(k, path) .. lua_text(rawget(v, k), child_path(path, k), seen, level + 1)
  end
  seen[v] = nil
  if #items == 0 then return "{}" end
  local one = "{ " .. table.concat(items, ", ") .. " }"
  if not one:find("\n", 1, true) and #one + 2 * level <= 80 then return one end
  local pad = ("  "):rep(level + 1)
  return "{\n" .. pad .. table.concat(items, ",\n" .. pad) .. "\n" .. ("  "):rep(level) .. "}"
end

local function render_lua(v)
  return lua_text(v, "$", {}, 0) .. "\n"
end

---------------------------------------------------------------------------

local RENDERERS = {
  json = render_json, table = render_table, csv = render_csv, lua = render_lua,
}

-- Renders every value; a failure names the value by its position.
local function render_all(format, values, opts)
  if type(format) ~= "string" or not (RENDERERS[format] or format == "pretty") then
    fail(("unknown format %s (valid: %s)"):format(
      type(format) == "string" and ('"' .. format .. '"') or type(format), FORMAT_LIST))
  end
  if type(values) ~= "table" then fail("values must be a table {n = count, ...}, got " .. type(values)) end
  if opts ~= nil and type(opts) ~= "table" then fail("options must be a table, got " .. type(opts)) end
  opts = opts or {}
  for k, v in pairs(opts) do
    if k ~= "color" then fail(("unknown option %s (options: color)"):format(tostring(k))) end
    if type(v) ~= "boolean" then fail("option color must be a boolean, got " .. type(v)) end
  end
  local count = values.n or #values
  local out = {}
  for i = 1, count do
    local v = values[i]
    if format == "pretty" then
      out[i] = inspect(v, { color = opts.color }) .. "\n"
    else
      local ok, text = pcall(RENDERERS[format], v)
      if not ok then
        local message = getmetatable(text) == Failure and text.message
          or tostring(text):gsub("^[^:\n]+:%d+: ", "")
        fail(("%s: value %d: %s"):format(format, i, message))
      end
      out[i] = text
    end
  end
  return table.concat(out)
end

-- output.render(format, values [, opts]) -> text
function M.render(format, values, opts)
  local ok, text = pcall(render_all, format, values, opts)
  if ok then return text end
  if getmetatable(text) == Failure then error("paysh.output: " .. text.message, 2) end
  error(text, 0)
end

M.formats = { "pretty", "json", "table", "csv", "lua" }

return M
