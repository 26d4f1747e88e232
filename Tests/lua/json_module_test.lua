-- The built-in json module as a script sees it in the paysh binary.
dofile("support.lua")

test("json is reachable as a global and through require", function()
  eq(type(json), "table", "global json")
  eq(require("json"), json, "require returns the same module")
  eq(rawget(_G, "json"), json, "cached as a real global after first use")
end)

test("decode then encode keeps key order and empty containers", function()
  local text = '{"zeta":1,"alpha":[],"mid":{},"big":18446744073709551616,"n":null}'
  eq(json.encode(json.decode(text)), text, "round trip")
end)

test("integers stay exact", function()
  local v = json.decode('{"id": 9007199254740993}')
  eq(math.type(v.id), "integer", "subtype")
  eq(v.id, 9007199254740993, "value")
end)

test("json.null is cjson.null", function()
  eq(json.decode("[null]")[1], json.null, "decoded null")
  eq(json.null, require("cjson").null, "same light userdata as lua-cjson")
end)

test("errors say where and what", function()
  raises(function() json.decode('{"a": 1,}') end, "line 1")
  raises(function() json.decode('{"a": 1, "a": 2}') end, "duplicate")
end)

test("a json.lua on the path wins over the built-in for require", function()
  local dir = os.tmpname()
  os.remove(dir)
  assert(os.execute("mkdir -p " .. dir))
  local f = assert(io.open(dir .. "/json.lua", "w"))
  f:write("return { mine = true }")
  f:close()
  local saved = package.path
  package.path = dir .. "/?.lua;" .. saved
  package.loaded.json = nil
  local ok, mod = pcall(require, "json")
  package.path, package.loaded.json = saved, json
  os.remove(dir .. "/json.lua")
  os.remove(dir)
  assert(ok, mod)
  eq(mod.mine, true, "user module")
end)

done()
