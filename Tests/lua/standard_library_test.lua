-- The standard libraries are opened untouched.
dofile("support.lua")

test("every standard library is present", function()
  for _, name in ipairs{"coroutine", "debug", "io", "math", "os", "package", "string", "table", "utf8"} do
    eq(type(_G[name]), "table", name)
    eq(package.loaded[name], _G[name], "package.loaded." .. name)
  end
  eq(_VERSION, "Lua 5.4", "_VERSION")
end)

test("integers and floats keep their subtypes", function()
  eq(math.type(2^53), "float", "2^53")
  eq(math.type(9007199254740993), "integer", "2^53+1 literal")
  eq(9007199254740993 + 0, 9007199254740993, "2^53+1 arithmetic")
  eq(math.maxinteger, 9223372036854775807, "maxinteger")
end)

test("strings hold any byte", function()
  local s = "a\0b\255"
  eq(#s, 4, "length")
  eq(s:byte(2), 0, "NUL byte")
end)

test("the global table has no names of paysh's", function()
  for name in pairs(_G) do
    assert(name ~= "json", "json must not be a real global (it loads on first use)")
  end
end)

done()
