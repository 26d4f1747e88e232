-- paysh.values: what the stdlib modules share about values.
--   values.null()          json.null (lua-cjson's null is the same light userdata), looked up on first need
--   values.is_null(v)       whether v is that null
--   values.meta(v)          v's metatable when it is a table (getmetatable may return what __metatable holds)
--   values.is_json_number(v) whether v is a json.number box
--   values.float_text(x)    the shortest text that reads back as the same float, always visibly a float ("1.0")
--   values.shown(v)         v as an error message shows it: a name as it is, another string quoted on one line and cut short, else tostring
local M = {}

local null_value, null_known = nil, false

function M.null()
  if not null_known then
    null_known = true
    local ok, json = pcall(require, "json")
    if ok and type(json) == "table" and json.null ~= nil then
      null_value = json.null
    else
      local ok2, cjson = pcall(require, "cjson")
      if ok2 and type(cjson) == "table" then null_value = cjson.null end
    end
  end
  return null_value
end

function M.is_null(v)
  return type(v) == "userdata" and v == M.null()
end

function M.meta(v)
  local mt = getmetatable(v)
  if type(mt) == "table" then return mt end
  return nil
end

function M.is_json_number(v)
  local mt = type(v) == "userdata" and M.meta(v)
  return mt ~= nil and mt ~= false and rawget(mt, "__name") == "json.number"
end

-- Finite floats only; callers decide how to show infinities and NaN.
function M.float_text(x)
  local s
  for digits = 14, 17 do
    s = string.format("%." .. digits .. "g", x)
    if tonumber(s) == x then break end
  end
  if not s:find("[.eE]") then s = s .. ".0" end
  return s
end

-- A key or value as an error message shows it: whatever the caller passed
-- (a newline, a megabyte, binary) keeps the message one short line.
function M.shown(v)
  if type(v) ~= "string" then return tostring(v) end
  if #v <= 40 and v:match("^[%a_][%w_]*$") then return v end -- a name, as it is
  local cut = #v
  if cut > 40 then
    cut = 40
    while cut > 1 and (v:byte(cut + 1) or 0) & 0xC0 == 0x80 do cut = cut - 1 end
  end
  local text = string.format("%q", v:sub(1, cut)):gsub("\\\n", "\\n")
  return cut < #v and text .. ("... (%d bytes)"):format(#v) or text
end

return M
