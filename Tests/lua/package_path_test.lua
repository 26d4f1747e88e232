-- require also searches ~/.config/paysh/lua/ and the running script's folder,
-- after Lua's own places; package.path itself is left as LUA_PATH made it.
dofile("support.lua")

local bin = os.getenv("PAYSH_TEST_BIN")
local config = os.getenv("XDG_CONFIG_HOME")

local function write(path, text)
  local f = assert(io.open(path, "w"))
  f:write(text)
  f:close()
end

test("modules in the config folder load with require", function()
  os.execute("mkdir -p '" .. config .. "/paysh/lua'")
  write(config .. "/paysh/lua/team_helpers.lua", "return { answer = 42 }")
  eq(require("team_helpers").answer, 42, "module from ~/.config/paysh/lua")
  eq(package.path:find("paysh/lua", 1, true), nil, "package.path unchanged")
end)

test("a script finds modules beside it, wherever it is run from", function()
  local dir = os.tmpname()
  os.remove(dir)
  os.execute("mkdir -p '" .. dir .. "'")
  write(dir .. "/beside.lua", "return 'found beside the script'")
  write(dir .. "/main.lua", "print((require('beside')))")
  local out = io.popen("cd / && '" .. bin .. "' '" .. dir .. "/main.lua'"):read("a")
  eq(out, "found beside the script\n", "output")
  os.execute("rm -rf '" .. dir .. "'")
end)

test("a module found nowhere keeps Lua's own message", function()
  local ok, err = pcall(require, "no_such_module_anywhere")
  eq(ok, false, "require fails")
  eq(err:find("paysh/lua", 1, true), nil, "no extra place listed")
end)

done()
