-- A small test harness for Lua-level tests: each test file runs its cases
-- with `test(name, fn)` and ends with `done()`, which exits non-zero when
-- any case failed. Runs under paysh exactly as it would under lua5.4.
local failures, count = 0, 0

-- os.tmpname always answers /tmp/lua_XXXXXX; with TMPDIR set (scripts/lua-tests
-- sets it to the test's own world, which is scanned for leaked secrets
-- afterwards), the name is made there instead, just as unique.
do
  local tmpdir, system_tmpname = os.getenv("TMPDIR"), os.tmpname
  if tmpdir and tmpdir ~= "" then
    function os.tmpname()
      local made = system_tmpname()
      os.remove(made)
      local name = tmpdir .. "/" .. made:match("[^/]+$")
      assert(io.open(name, "w")):close()
      return name
    end
  end
end

function test(name, fn)
  count = count + 1
  local ok, err = xpcall(fn, debug.traceback)
  if ok then
    io.write("  ok   ", name, "\n")
  else
    failures = failures + 1
    io.write("  FAIL ", name, "\n       ", tostring(err):gsub("\n", "\n       "), "\n")
  end
end

function eq(actual, expected, what)
  if actual ~= expected then
    error(("%s: expected %q, got %q"):format(what or "value", tostring(expected), tostring(actual)), 2)
  end
end

function raises(fn, pattern)
  local ok, err = pcall(fn)
  if ok then error("expected an error matching " .. pattern, 2) end
  if not tostring(err):find(pattern) then
    error(("error %q does not match %q"):format(tostring(err), pattern), 2)
  end
  return err
end

-- shell_quote(s): s as one word for /bin/sh.
function shell_quote(s) return "'" .. tostring(s):gsub("'", "'\\''") .. "'" end

-- slurp(path): the file's bytes; the file is removed.
function slurp(path)
  local f = assert(io.open(path, "rb"))
  local s = f:read("a")
  f:close()
  os.remove(path)
  return s
end

-- paysh_run(args...): runs the paysh under test ($PAYSH_TEST_BIN) with the
-- arguments (each quoted), no input; returns its status, stdout, stderr.
function paysh_run(...)
  local bin = assert(os.getenv("PAYSH_TEST_BIN"), "PAYSH_TEST_BIN is not set")
  local out, err = os.tmpname(), os.tmpname()
  local parts = { shell_quote(bin) }
  for _, a in ipairs { ... } do parts[#parts + 1] = shell_quote(a) end
  local _, how, code = os.execute(table.concat(parts, " ") .. " </dev/null >" .. shell_quote(out) .. " 2>" .. shell_quote(err))
  assert(how == "exit", "child ended by " .. tostring(how))
  return code, slurp(out), slurp(err)
end

function done()
  io.write(("%d cases, %d failed\n"):format(count, failures))
  os.exit(failures == 0 and 0 or 1)
end
