-- Hold a decoded JSON file: print the process's resident memory while the
-- decoded tables are alive (after a full collection, the text dropped) and
-- its peak. usage: <lua or paysh> memory-hold.lua paysh|cjson FILE
local impl, path = arg[1], arg[2]
local decode = impl == "cjson" and require("cjson").decode or (rawget(_G, "json") or require("json")).decode
local function kb(field)
  local f = assert(io.open("/proc/self/status"))
  local text = f:read("a")
  f:close()
  return tonumber(text:match(field .. ":%s*(%d+)"))
end
local f = assert(io.open(path, "rb"))
local held = decode(f:read("a"))
f:close()
collectgarbage("collect")
collectgarbage("collect")
print(("%s held_kb=%d hwm_kb=%d items=%d"):format(impl, kb("VmRSS"), kb("VmHWM"), #held))
