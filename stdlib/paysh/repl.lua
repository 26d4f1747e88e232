-- paysh.repl: how the interactive shell shows what a line returned.
--   repl.show(values [, opts]) -> text
-- values is { n = count, ... }; opts: color (boolean), width (columns of
-- the terminal), name (what the shell calls the last result, "_").
-- A cursor shows its first items as a table and how to get the rest (it
-- fetches them: call it where a request may wait); a list of records shows
-- as a table; anything else as inspect renders it, depth- and length-limited.
local inspect = require("inspect")
local output = require("paysh.output")
local values = require("paysh.values")

local M = {}

-- How many items of a cursor are fetched and shown.
M.cursor_items = 10
-- How many rows of a list of records, and items of a list, are shown.
M.max_items = 20

local function is_cursor(v)
  local mt = values.meta(v)
  return mt ~= nil and rawget(mt, "__name") == "paysh.cursor"
end

local function dim(text, color)
  if not color then return text end
  return "\27[2m" .. text .. "\27[0m"
end

-- A cursor: its first items, and a line saying how many there are and how
-- to see more.
local function show_cursor(cursor, opts)
  local items = cursor:take(M.cursor_items)
  local total = cursor.total
  local name = opts.name or "_"
  if #items == 0 then return dim(("(%s: nothing)"):format(cursor.operation), opts.color) .. "\n" end
  local text
  if output.is_records(items) then
    text = output.records(items, { width = opts.width, max_rows = M.cursor_items })
  else
    text = inspect(items, { color = opts.color, width = opts.width, max_items = M.cursor_items }) .. "\n"
  end
  local count
  if total then
    count = ("%d of %d"):format(#items, total)
  else
    count = ("first %d"):format(#items)
  end
  if total and total <= #items then
    return text .. dim(("(%s: all %d)"):format(cursor.operation, total), opts.color) .. "\n"
  end
  local hint = ("(%s: %s — %s:all() for every one, %s:take(n) for n, for x in %s do ... end)"):format(
    cursor.operation, count, name, name, name)
  return text .. dim(hint, opts.color) .. "\n"
end

local function show_one(v, opts)
  if is_cursor(v) then return show_cursor(v, opts) end
  if type(v) == "table" and rawlen(v) > 1 and output.is_records(v) then
    return output.records(v, { width = opts.width, max_rows = M.max_items })
  end
  return inspect(v, { color = opts.color, width = opts.width, max_items = M.max_items }) .. "\n"
end

function M.show(list, opts)
  opts = opts or {}
  opts.width = opts.width or 100
  local parts = {}
  for i = 1, list.n or #list do parts[i] = show_one(list[i], opts) end
  local one_line = true
  for _, part in ipairs(parts) do
    if part:find("\n", 1, true) ~= #part then one_line = false end
  end
  if one_line and #parts > 1 then
    for i, part in ipairs(parts) do parts[i] = part:sub(1, -2) end
    return table.concat(parts, "\t") .. "\n"
  end
  return table.concat(parts)
end

return M
