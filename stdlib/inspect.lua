-- inspect: turns any Lua value into readable text that looks like Lua.
-- Used by pp() and by `paysh -p EXPR -o pretty`. Tables are read raw
-- (rawget/next), so inspecting never runs __index or __pairs.
local M = {}

-- The host sets this (e.g. when stdout is a terminal); NO_COLOR overrides.
M.color_default = false

local DEFAULTS = { depth = 4, max_items = 50, max_string = 200, indent = "  ", width = 80 }
local OPTION_TYPES = {
  depth = "number", max_items = "number", max_string = "number",
  color = "boolean", indent = "string", width = "number",
}

local COLORS = { string = "\27[32m", number = "\27[36m", literal = "\27[35m", marker = "\27[2m" }
local RESET = "\27[0m"

local KEYWORDS = {}
for word in ([[and break do else elseif end false for function goto if in
  local nil not or repeat return then true until while]]):gmatch("%a+") do
  KEYWORDS[word] = true
end

-- Errors raised while rendering are wrapped in this marker table so that
-- the public entry points can re-raise them at the caller's level.
local Failure = {}
local function fail(message)
  error(setmetatable({ message = message }, Failure), 0)
end

local values = require("paysh.values")
local json_null, meta = values.null, values.meta

-- Shortest text that reads back as the same float, always visibly a float
-- (1.0, 1e+20); infinities and NaN as the expressions 1/0, -1/0, 0/0.
local function float_text(x)
  if x ~= x then return "0/0" end
  if x == math.huge then return "1/0" end
  if x == -math.huge then return "-1/0" end
  return values.float_text(x)
end

-- Text of any number: integers as integers, floats via float_text.
function M.number(x)
  if math.type(x) == "integer" then return tostring(x) end
  if math.type(x) == "float" then return float_text(x) end
  error(("inspect.number: expected a number, got %s"):format(type(x)), 2)
end

local ESCAPES = {
  ["\\"] = "\\\\", ['"'] = '\\"', ["\n"] = "\\n", ["\r"] = "\\r", ["\t"] = "\\t",
  ["\a"] = "\\a", ["\b"] = "\\b", ["\f"] = "\\f", ["\v"] = "\\v",
}

-- A Lua string literal for s that load() reads back to the same bytes.
-- Valid UTF-8 stays readable; control bytes (and every byte >= 128 when
-- the string is not valid UTF-8) become \ddd.
local function quote(s)
  local pattern = utf8.len(s) and '[%c"\\]' or '[%c"\\\128-\255]'
  local body = s:gsub(pattern, function(c)
    return ESCAPES[c] or string.format("\\%03d", c:byte())
  end)
  return '"' .. body .. '"'
end

function M.quote(s)
  if type(s) ~= "string" then
    error(("inspect.quote: expected a string, got %s"):format(type(s)), 2)
  end
  return quote(s)
end

-- Order for keys without a recorded order: strings (byte order), then
-- numbers, then other types by type name.
local RANK = { string = 1, number = 2 }
local function key_less(a, b)
  local ta, tb = type(a), type(b)
  local ra, rb = RANK[ta] or 3, RANK[tb] or 3
  if ra ~= rb then return ra < rb end
  if ra < 3 then return a < b end
  if ta ~= tb then return ta < tb end
  if ta == "boolean" then return b and not a end
  return tostring(a) < tostring(b)
end

-- n: the length of the array part (t[1..n] all non-nil, read raw);
-- keys: every other key, in __jsonkeys order first, then sorted.
local function ordered_keys(t)
  local n = 0
  while rawget(t, n + 1) ~= nil do n = n + 1 end
  local function in_array(k) return math.type(k) == "integer" and k >= 1 and k <= n end
  local keys, seen = {}, {}
  local mt = meta(t)
  local order = mt and rawget(mt, "__jsonkeys")
  if type(order) == "table" then
    local i = 1
    while rawget(order, i) ~= nil do
      local k = rawget(order, i)
      if not seen[k] and rawget(t, k) ~= nil and not in_array(k) then
        seen[k] = true
        keys[#keys + 1] = k
      end
      i = i + 1
    end
  end
  local rest = {}
  for k in next, t do
    if not seen[k] and not in_array(k) then rest[#rest + 1] = k end
  end
  table.sort(rest, key_less)
  for _, k in ipairs(rest) do keys[#keys + 1] = k end
  return n, keys
end

function M.keys(t)
  if type(t) ~= "table" then
    error(("inspect.keys: expected a table, got %s"):format(type(t)), 2)
  end
  return ordered_keys(t)
end

-- Wraps text in an ANSI colour when colour is on.
local function paint(state, kind, text)
  if state.color then return COLORS[kind] .. text .. RESET end
  return text
end

-- Display width: escape sequences do not count, UTF-8 counts characters.
local function visible_width(s)
  local plain = s:gsub("\27%[[%d;]*m", "")
  return utf8.len(plain) or #plain
end

-- A string value, cut after max_string bytes (never inside a UTF-8
-- character) with a note of how many bytes were left out.
local function render_string(state, s, whole)
  local limit = state.opts.max_string
  if whole or #s <= limit then return paint(state, "string", quote(s)) end
  local cut = math.floor(limit)
  while cut > 0 and (s:byte(cut + 1) or 0) & 0xC0 == 0x80 do cut = cut - 1 end
  return paint(state, "string", quote(s:sub(1, cut)))
    .. paint(state, "marker", ("... (%d more bytes)"):format(#s - cut))
end

-- <function 1>, <userdata 2>: numbered in order of first appearance.
local function opaque(state, v)
  local id = state.ids[v]
  if not id then
    state.next_id = state.next_id + 1
    id = state.next_id
    state.ids[v] = id
  end
  return paint(state, "marker", ("<%s %d>"):format(type(v), id))
end

-- A value whose metatable has __inspect renders as whatever it returns.
local function custom(state, v, fn)
  local text = fn(v, state.opts)
  if type(text) ~= "string" then
    fail(("inspect: __inspect of a %s returned a %s, expected a string"):format(type(v), type(text)))
  end
  return text
end

local render

-- `key = ` for identifiers, `[key] = ` for anything else.
local function render_key(state, k, level)
  if type(k) == "string" and k:match("^[%a_][%w_]*$") and not KEYWORDS[k] then
    return k .. " = "
  end
  if type(k) == "string" then return "[" .. render_string(state, k, true) .. "] = " end
  return "[" .. render(state, k, level, 0) .. "] = "
end

-- A table: one line when it fits the width, otherwise one entry per line.
-- level 1 is the outermost table; lead is the width already used on the
-- line where the table starts.
local function render_table(state, t, level, lead)
  local mt = meta(t)
  local fn = mt and rawget(mt, "__inspect")
  if fn ~= nil then return custom(state, t, fn) end
  if state.path[t] then
    local id = state.cycle_ids[t]
    if not id then
      state.next_cycle = state.next_cycle + 1
      id = state.next_cycle
      state.cycle_ids[t] = id
    end
    state.referenced[t] = true
    return paint(state, "marker", ("<cycle %d>"):format(id))
  end
  local n, keys = ordered_keys(t)
  local total = n + #keys
  if total == 0 then return "{}" end
  if level > state.opts.depth then
    return "{ " .. paint(state, "marker", ("... %d %s"):format(total, total == 1 and "field" or "fields")) .. " }"
  end
  local opts = state.opts
  local pad = opts.indent:rep(level)
  local items, shown = {}, 0
  state.path[t] = true
  state.referenced[t] = nil
  for i = 1, n do
    if shown >= opts.max_items then break end
    shown = shown + 1
    items[shown] = render(state, rawget(t, i), level + 1, #pad)
  end
  for _, k in ipairs(keys) do
    if shown >= opts.max_items then break end
    shown = shown + 1
    local key = render_key(state, k, level + 1)
    items[shown] = key .. render(state, rawget(t, k), level + 1, #pad + visible_width(key))
  end
  state.path[t] = nil
  if total > shown then
    items[#items + 1] = paint(state, "marker", ("... (%d more)"):format(total - shown))
  end
  local prefix = ""
  if state.referenced[t] then prefix = paint(state, "marker", ("<%d>"):format(state.cycle_ids[t])) .. " " end
  local one = prefix .. "{ " .. table.concat(items, ", ") .. " }"
  if not one:find("\n", 1, true) and lead + visible_width(one) <= opts.width then
    return one
  end
  return prefix .. "{\n" .. pad .. table.concat(items, ",\n" .. pad) .. "\n" .. opts.indent:rep(level - 1) .. "}"
end

-- Dispatches on the type of v.
function render(state, v, level, lead)
  local tv = type(v)
  if tv == "string" then return render_string(state, v, false) end
  if tv == "number" then return paint(state, "number", M.number(v)) end
  if tv == "boolean" or tv == "nil" then return paint(state, "literal", tostring(v)) end
  if tv == "table" then return render_table(state, v, level, lead) end
  if tv == "userdata" and v == json_null() then return paint(state, "literal", "null") end
  local mt = meta(v)
  if mt then
    if tv == "userdata" and rawget(mt, "__name") == "json.number" then
      return paint(state, "number", tostring(v))
    end
    local fn = rawget(mt, "__inspect")
    if fn ~= nil then return custom(state, v, fn) end
    if rawget(mt, "__tostring") ~= nil then return tostring(v) end
  end
  return opaque(state, v)
end

-- Checks the options and fills in defaults; colour is off whenever
-- NO_COLOR is set to a non-empty value.
local function resolve(opts)
  if opts ~= nil and type(opts) ~= "table" then
    fail(("inspect: options must be a table, got %s"):format(type(opts)))
  end
  local r = {}
  for k, v in next, opts or {} do
    local want = OPTION_TYPES[k]
    if not want then
      fail(("inspect: unknown option %s (options: color, depth, indent, max_items, max_string, width)"):format(values.shown(k)))
    end
    if type(v) ~= want then
      fail(("inspect: option %s must be a %s, got %s"):format(k, want, type(v)))
    end
    if want == "number" and not (v >= 0) then
      fail(("inspect: option %s must not be negative, got %s"):format(k, tostring(v)))
    end
    r[k] = v
  end
  for k, v in pairs(DEFAULTS) do
    if r[k] == nil then r[k] = v end
  end
  if r.color == nil then r.color = M.color_default and true or false end
  local no_color = os.getenv("NO_COLOR")
  if no_color and no_color ~= "" then r.color = false end
  return r
end

-- Renders v; raises plain errors for bad options or __inspect results.
local function run(v, opts)
  local resolved = resolve(opts)
  local state = {
    opts = resolved, color = resolved.color, ids = {}, next_id = 0,
    path = {}, cycle_ids = {}, next_cycle = 0, referenced = {},
  }
  return render(state, v, 1, 0)
end

-- Runs f and re-raises our own failures at the caller of the public function.
local function guarded(f, ...)
  local ok, result = pcall(f, ...)
  if ok then return result end
  if getmetatable(result) == Failure then error(result.message, 3) end
  error(result, 0)
end

-- inspect.inspect(value [, opts]) -> string
function M.inspect(value, opts)
  local text = guarded(run, value, opts) -- not a tail call: keeps the caller's level
  return text
end

-- inspect.pp(...): writes each argument's rendering on its own line.
function M.pp(...)
  local n = select("#", ...)
  local out = io.stdout
  for i = 1, n do
    out:write(guarded(run, (select(i, ...))), "\n")
  end
end

return setmetatable(M, {
  __call = function(_, value, opts)
    local text = guarded(run, value, opts)
    return text
  end,
})
