-- A small test harness for Lua-level tests: each test file runs its cases
-- with `test(name, fn)` and ends with `done()`, which exits non-zero when
-- any case failed. Runs under paysh exactly as it would under lua5.4.
local failures, count = 0, 0

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

function done()
  io.write(("%d cases, %d failed\n"):format(count, failures))
  os.exit(failures == 0 and 0 or 1)
end
