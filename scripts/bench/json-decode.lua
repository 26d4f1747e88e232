-- Decode a JSON file into Lua tables several times; print timings and memory.
-- usage: <lua or paysh> json-decode.lua IMPL FILE [REPS]
--   IMPL: "paysh" (the json module: a global, or require "json") or "cjson" (lua-cjson)
-- Prints one line: impl, fastest and median decode time (CPU seconds, os.clock),
-- peak RSS of the process (VmHWM) and RSS just before the first decode, in kB.
local impl, path, reps = arg[1], arg[2], tonumber(arg[3] or "5")
assert(impl and path, "usage: json-decode.lua paysh|cjson FILE [REPS]")

local decode
if impl == "cjson" then
  decode = require("cjson").decode
else
  decode = (rawget(_G, "json") or require("json")).decode
end

local function status_kb(field)
  local f = io.open("/proc/self/status", "r")
  if not f then return -1 end
  local text = f:read("a")
  f:close()
  return tonumber(text:match(field .. ":%s*(%d+)")) or -1
end

local f = assert(io.open(path, "rb"))
local text = f:read("a")
f:close()
collectgarbage("collect")
local before_kb = status_kb("VmRSS")

local times = {}
for r = 1, reps do
  collectgarbage("collect")
  local t0 = os.clock()
  local doc = decode(text)
  times[r] = os.clock() - t0
  -- A light check that the document is all there.
  assert(#doc == 50000 or #doc > 0, "empty result")
  assert(type(doc[#doc].details) == "table" and doc[1].id ~= nil, "unexpected document")
  doc = nil
end
table.sort(times)
print(string.format("%s reps=%d min=%.3f median=%.3f hwm_kb=%d before_kb=%d",
  impl, reps, times[1], times[(reps + 1) // 2], status_kb("VmHWM"), before_kb))
