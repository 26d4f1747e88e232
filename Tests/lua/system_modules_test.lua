-- C modules installed on the system load with `require`, as under lua5.4.
dofile("support.lua")

test("require 'cjson' loads Debian's lua-cjson", function()
  local cjson = require "cjson"
  eq(type(cjson.encode), "function", "cjson.encode")
  eq(cjson.encode({1, 2, 3}), "[1,2,3]", "encoded list")
  eq(cjson.decode('{"a":[true]}').a[1], true, "decoded value")
  eq(package.loaded.cjson, cjson, "package.loaded entry")
end)

test("the C searcher found it on the system path", function()
  local path = package.searchpath("cjson", package.cpath)
  assert(path and path:find("/lua/5.4/"), "cjson on package.cpath: " .. tostring(path))
end)

done()
