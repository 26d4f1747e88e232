-- csv: RFC 4180 comma-separated values. Parsing keeps every value as the
-- exact string in the file (no guessing of numbers); encoding writes CRLF
-- line endings and quotes only the fields that need it.
local M = {}

-- Errors raised deep inside are wrapped in this marker table; the public
-- functions re-raise them with their own name, at the caller's level.
local Failure = {}
local function fail(message)
  error(setmetatable({ message = message }, Failure), 0)
end

-- Calls f(...) and turns a Failure into "name: message" at the caller of
-- the public function (level 3: guarded -> public function -> caller).
local function guarded(name, suffix, f, ...)
  local ok, a, b = pcall(f, ...)
  if ok then return a, b end
  if getmetatable(a) == Failure then error(name .. ": " .. a.message .. (suffix or ""), 3) end
  error(a, 0)
end

local values = require("paysh.values")
local json_null, meta, float_text = values.null, values.meta, values.float_text

-- Checks parse options and fills in the defaults.
local function parse_options(opts)
  if opts ~= nil and type(opts) ~= "table" then fail("options must be a table, got " .. type(opts)) end
  local r = { header = true, separator = ",", ragged = false }
  for k, v in next, opts or {} do
    if k == "header" or k == "ragged" then
      if type(v) ~= "boolean" then fail(("option %s must be a boolean, got %s"):format(k, type(v))) end
    elseif k == "separator" then
      if type(v) ~= "string" or #v ~= 1 or v:find('["\r\n]') then
        fail(("option separator must be one byte other than a quote, CR or LF, got %s"):format(
          type(v) == "string" and string.format("%q", v) or type(v)))
      end
    else
      fail(("unknown option %s (options: header, separator, ragged)"):format(values.shown(k)))
    end
    r[k] = v
  end
  return r
end

-- Number of line breaks (CRLF, LF or lone CR) in s.
local function count_breaks(s)
  local _, n = s:gsub("\r\n?", "\n"):gsub("\n", "")
  return n
end

-- Splits text into records (arrays of strings) and the line each starts
-- on. Empty lines between records are skipped.
local function split_records(text, sep)
  local records, lines = {}, {}
  local sep_byte = sep:byte()
  local stop_pattern = "[" .. sep:gsub("%p", "%%%0") .. "\r\n]"
  local pos, len, line = 1, #text, 1
  if text:sub(1, 3) == "\239\187\191" then pos = 4 end
  while pos <= len do
    local c = text:byte(pos)
    if c == 13 or c == 10 then
      pos = pos + ((c == 13 and text:byte(pos + 1) == 10) and 2 or 1)
      line = line + 1
    else
      local fields, start_line = {}, line
      while true do
        local field
        if text:byte(pos) == 34 then
          local parts, k = {}, pos + 1
          while true do
            local q = text:find('"', k, true)
            if not q then fail(("line %d: unterminated quoted field"):format(line)) end
            parts[#parts + 1] = text:sub(k, q - 1)
            if text:byte(q + 1) == 34 then
              parts[#parts + 1] = '"'
              k = q + 2
            else
              k = q + 1
              break
            end
          end
          field = table.concat(parts)
          line = line + count_breaks(field)
          pos = k
          local after = text:byte(pos)
          if after ~= nil and after ~= sep_byte and after ~= 13 and after ~= 10 then
            fail(("line %d: text after a closing quote in field %d (quote the whole field and double the quotes inside it)"):format(line, #fields + 1))
          end
        else
          local stop = text:find(stop_pattern, pos) or len + 1
          field = text:sub(pos, stop - 1)
          if field:find('"', 1, true) then
            fail(("line %d: a quote in the middle of unquoted field %d (quote the whole field and double the quotes inside it)"):format(line, #fields + 1))
          end
          pos = stop
        end
        fields[#fields + 1] = field
        local after = text:byte(pos)
        if after == sep_byte then
          pos = pos + 1
        else
          if after == 13 or after == 10 then
            pos = pos + ((after == 13 and text:byte(pos + 1) == 10) and 2 or 1)
            line = line + 1
          end
          break
        end
      end
      records[#records + 1] = fields
      lines[#records] = start_line
    end
  end
  return records, lines
end

-- Rows and header from text (see csv.parse).
local function parse(text, opts)
  if type(text) ~= "string" then fail("expected the CSV text as a string, got " .. type(text)) end
  opts = parse_options(opts)
  local records, lines = split_records(text, opts.separator)
  if not opts.header then
    local width = records[1] and #records[1]
    for i, r in ipairs(records) do
      if #r ~= width and not opts.ragged then
        fail(("line %d: expected %d fields (as in the first line), got %d"):format(lines[i], width, #r))
      end
    end
    return records, nil
  end
  local header = records[1]
  if not header then return {}, {} end
  local where = {}
  for i, name in ipairs(header) do
    if name == "" then fail(("line %d: column %d of the header has no name"):format(lines[1], i)) end
    if where[name] then
      fail(('line %d: duplicate column name "%s" (columns %d and %d)'):format(lines[1], name, where[name], i))
    end
    where[name] = i
  end
  local shape = { __name = "csv.row", __jsonkeys = header }
  local rows = {}
  for i = 2, #records do
    local r = records[i]
    if #r > #header or (#r < #header and not opts.ragged) then
      fail(("line %d: expected %d fields (as in the header), got %d"):format(lines[i], #header, #r))
    end
    local row = {}
    for j, name in ipairs(header) do row[name] = r[j] or "" end
    rows[#rows + 1] = setmetatable(row, shape)
  end
  return rows, table.move(header, 1, #header, 1, {})
end

-- csv.parse(text [, opts]) -> rows, header
function M.parse(text, opts)
  local rows, header = guarded("csv.parse", nil, parse, text, opts)
  return rows, header
end

-- csv.read(path [, opts]) -> rows, header
function M.read(path, opts)
  if type(path) ~= "string" then
    error(("csv.read: expected a file path, got %s"):format(type(path)), 2)
  end
  local f, err = io.open(path, "rb")
  if not f then
    error(('csv.read: cannot open "%s": %s'):format(path, (err:gsub("^" .. path:gsub("%p", "%%%0") .. ": ", ""))), 2)
  end
  local text, rerr = f:read("a")
  f:close()
  if not text then error(('csv.read: cannot read "%s": %s'):format(path, tostring(rerr)), 2) end
  local rows, header = guarded("csv.read", (' (in "%s")'):format(path), parse, text, opts)
  return rows, header
end

---------------------------------------------------------------------------
-- Encoding.

-- True when the row is a record (has string keys) rather than an array.
local function has_string_key(t)
  for k in next, t do
    if type(k) == "string" then return true end
  end
  return false
end

-- Columns for a list of records: the first row's __jsonkeys, then keys
-- first seen in later rows (in that row's __jsonkeys order, else sorted).
local function infer_columns(rows)
  local columns, seen = {}, {}
  for i, row in ipairs(rows) do
    if type(row) ~= "table" then fail(("row %d is a %s, not a table"):format(i, type(row))) end
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
      if type(k) ~= "string" then
        fail(("row %d has a key that is not a string (%s); records need string keys"):format(i, tostring(k)))
      end
      if not seen[k] then new[#new + 1] = k end
    end
    table.sort(new)
    for _, k in ipairs(new) do
      seen[k] = true
      columns[#columns + 1] = k
    end
  end
  return columns
end

-- csv.columns(rows) -> the column names csv.encode would write for records.
function M.columns(rows)
  if type(rows) ~= "table" then error(("csv.columns: expected a list of rows, got %s"):format(type(rows)), 2) end
  local columns = guarded("csv.columns", nil, infer_columns, rows)
  return columns
end

-- Text of one value; where names the cell for errors.
local function cell_text(v, where)
  local tv = type(v)
  if tv == "string" then return v end
  if tv == "nil" then return "" end
  if tv == "boolean" then return tostring(v) end
  if math.type(v) == "integer" then return tostring(v) end
  if tv == "number" then
    if v ~= v or v == math.huge or v == -math.huge then fail(("%s: cannot write %s"):format(where, tostring(v))) end
    return float_text(v)
  end
  if tv == "userdata" and v == json_null() then return "" end
  local mt = meta(v)
  if mt and (rawget(mt, "__tostring") ~= nil or rawget(mt, "__name") == "json.number") then return tostring(v) end
  fail(("%s: cannot write a %s"):format(where, tv))
end

-- A field, quoted when it holds the separator, a quote, CR or LF, or
-- starts or ends with a space or tab.
local function field(s, sep)
  if s:find('["\r\n]') or s:find(sep, 1, true) or s:find("^[ \t]") or s:find("[ \t]$") then
    return '"' .. s:gsub('"', '""') .. '"'
  end
  return s
end

-- One record line; a record of a single empty field is written as "" so
-- that it is not mistaken for an empty line.
local function record_line(texts)
  if #texts == 1 and texts[1] == "" then return '""\r\n' end
  for i, s in ipairs(texts) do texts[i] = field(s, ",") end
  return table.concat(texts, ",") .. "\r\n"
end

-- Largest positive integer key of an array row (nil holes allowed).
local function array_length(row)
  local n = 0
  for k in next, row do
    if math.type(k) == "integer" and k > n then n = k end
  end
  return n
end

local function check_columns(columns)
  if columns == nil then return nil end
  if type(columns) ~= "table" then fail("columns must be a list of names, got " .. type(columns)) end
  for i, c in ipairs(columns) do
    if type(c) ~= "string" then fail(("column %d must be a string, got %s"):format(i, type(c))) end
  end
  return columns
end

-- Text for rows (see csv.encode) and the number of rows written.
local function encode(rows, columns)
  if type(rows) ~= "table" then fail("expected a list of rows, got " .. type(rows)) end
  columns = check_columns(columns)
  local out = {}
  local first = rows[1]
  local records = type(first) == "table" and has_string_key(first)
  if records then
    columns = columns or infer_columns(rows)
    out[1] = record_line(table.move(columns, 1, #columns, 1, {}))
    for i, row in ipairs(rows) do
      if type(row) ~= "table" then fail(("row %d is a %s, not a table"):format(i, type(row))) end
      local texts = {}
      for j, name in ipairs(columns) do
        texts[j] = cell_text(rawget(row, name), ("row %d, column %q"):format(i, name))
      end
      out[#out + 1] = record_line(texts)
    end
  else
    if columns then out[1] = record_line(table.move(columns, 1, #columns, 1, {})) end
    for i, row in ipairs(rows) do
      if type(row) ~= "table" then fail(("row %d is a %s, not a table"):format(i, type(row))) end
      local texts = {}
      for j = 1, array_length(row) do
        texts[j] = cell_text(rawget(row, j), ("row %d, column %d"):format(i, j))
      end
      out[#out + 1] = record_line(texts)
    end
  end
  return table.concat(out), #rows
end

-- csv.encode(rows [, columns]) -> text
function M.encode(rows, columns)
  local text = guarded("csv.encode", nil, encode, rows, columns)
  return text
end

-- csv.write(path, rows [, columns]) -> number of rows; the file is
-- replaced atomically (temporary file in the same directory, then rename).
function M.write(path, rows, columns)
  if type(path) ~= "string" then
    error(("csv.write: expected a file path, got %s"):format(type(path)), 2)
  end
  local text, count = guarded("csv.write", nil, encode, rows, columns)
  local tmp
  for _ = 1, 10 do
    tmp = ("%s.tmp-%06x%06x"):format(path, math.random(0, 0xffffff), math.random(0, 0xffffff))
    local existing = io.open(tmp, "rb")
    if not existing then break end
    existing:close()
  end
  local f, err = io.open(tmp, "wb")
  if not f then error(('csv.write: cannot create a temporary file next to "%s": %s'):format(path, err), 2) end
  local ok, werr = f:write(text)
  local closed, cerr = f:close()
  if not ok or not closed then
    os.remove(tmp)
    error(('csv.write: cannot write "%s": %s'):format(tmp, tostring(werr or cerr)), 2)
  end
  local renamed, rerr = os.rename(tmp, path)
  if not renamed then
    os.remove(tmp)
    error(('csv.write: cannot replace "%s": %s'):format(path, tostring(rerr)), 2)
  end
  return count
end

return M
