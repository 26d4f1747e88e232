-- The paysh binary against a server that misbehaves on purpose
-- (Tests/hostile/server.py, real HTTP on loopback): each case ends with exit
-- status 4, one line on stderr saying what was wrong, nothing on stdout, and
-- no credentials sent to the host a redirect names. The endless drip is
-- cut short with PAYSH_TIMEOUT.
dofile("support.lua")

local key = "sk_test_hostile_0123456789"
local dir = os.tmpname()
os.remove(dir)
assert(os.execute("mkdir -p " .. shell_quote(dir)))
local port_file, pid_file = dir .. "/port", dir .. "/pid"
assert(os.execute(("python3 ../hostile/server.py %s >/dev/null 2>&1 & echo $! > %s"):format(shell_quote(port_file), shell_quote(pid_file))))

local function lines(s)
  local list = {}
  for l in s:gmatch("[^\n]+") do list[#list + 1] = l end
  return list
end

local function read(path)
  local f = io.open(path, "rb")
  if not f then return nil end
  local text = f:read("a")
  f:close()
  return text
end

local port
for _ = 1, 300 do
  port = read(port_file)
  if port and port ~= "" then break end
  os.execute("sleep 0.05")
end
assert(port and port ~= "", "the hostile server did not start")
local main_host, other_host = "http://127.0.0.1:" .. port, "http://127.0.0.2:" .. port

-- paysh with Lumen pointed at the hostile server, and the variables in
-- `env` set; returns status, stdout, stderr.
local function hostile_with(env, ...)
  local bin = assert(os.getenv("PAYSH_TEST_BIN"), "PAYSH_TEST_BIN is not set")
  local out, err = dir .. "/out", dir .. "/err"
  local parts = { "env", "LUMEN_BASE_URL=" .. shell_quote(main_host), "LUMEN_API_KEY=" .. shell_quote(key) }
  for name, value in pairs(env) do parts[#parts + 1] = name .. "=" .. shell_quote(value) end
  parts[#parts + 1] = shell_quote(bin)
  for _, a in ipairs { ... } do parts[#parts + 1] = shell_quote(a) end
  local _, how, code = os.execute(table.concat(parts, " ") .. " </dev/null >" .. shell_quote(out) .. " 2>" .. shell_quote(err))
  assert(how == "exit", "paysh ended by a signal: " .. tostring(how) .. " " .. tostring(code))
  return code, read(out) or "", read(err) or ""
end

local function hostile(...) return hostile_with({}, ...) end

local function seen_by_other_host()
  local p = io.popen("curl -s " .. shell_quote(other_host .. "/_seen"))
  local text = p:read("a")
  p:close()
  return text
end

local function fails_clearly(expr, pattern)
  local code, out, err = hostile("-p", expr)
  eq(code, 4, "status of " .. expr .. ": " .. err)
  eq(out, "", "stdout of " .. expr)
  eq(#lines(err), 1, "one stderr line for " .. expr .. ": " .. err)
  assert(err:find(pattern), expr .. ": " .. err)
  assert(not err:find(key, 1, true), "the key leaked: " .. err)
  return err
end

test("a redirect of a read is not followed, and the other host sees nothing", function()
  local err = fails_clearly('lumen.payment("redirect")', "lumen%.payment: 302 the server answered with a redirect to http://127%.0%.0%.2:%d+/payments/redirect, which paysh does not follow")
  assert(not err:find("taken effect", 1, true), "a read takes no effect: " .. err)
  eq(seen_by_other_host(), "", "the other host was sent nothing")
end)

test("a redirect of a mutation is not followed, and the call is journaled as unknown", function()
  local err = fails_clearly('lumen.post("/payments/redirect", { amountCents = 100 })', "lumen%.post: 307 the server answered with a redirect to http://127%.0%.0%.2")
  assert(err:find("the call may or may not have taken effect (the journal keeps it as unknown: `paysh journal`)", 1, true), err)
  eq(seen_by_other_host(), "", "the body and the key did not follow the redirect")
  local code, out, err = paysh_run("journal", "--json")
  eq(code, 0, err)
  assert(out:find('"operation":"lumen.post"', 1, true), out)
  assert(out:find('"state":"unknown"', 1, true), "the journal must not call it done or failed: " .. out)
end)

test("a truncated body is a lost connection whose outcome is unknown", function()
  fails_clearly('lumen.payment("truncated")', "lumen%.payment: the connection was lost after the request was sent.*may or may not have taken effect")
end)

test("a gigantic body is refused at the cap", function()
  fails_clearly('lumen.payment("huge")', "lumen%.payment: the answer is larger than 16777216 bytes; refused")
end)

test("an HTML page, invalid UTF-8 and nesting beyond the limit are not valid JSON, each said so", function()
  fails_clearly('lumen.payment("html")', "200 the answer is not valid JSON %(expected a value, found '<'")
  fails_clearly('lumen.payment("badutf8")', "200 the answer is not valid JSON %(invalid UTF%-8")
  local err = fails_clearly('lumen.payment("deep")', "200 the answer is not valid JSON %(containers nested more than 1000 deep")
  assert(#err < 2000, "the excerpt of the body is short: " .. #err .. " bytes")
end)

test("an endless drip ends at PAYSH_TIMEOUT, every attempt of the read included", function()
  local started = os.time()
  local code, out, err = hostile_with({ PAYSH_TIMEOUT = "1.5" }, "-p", 'lumen.payment("drip")')
  local took = os.time() - started
  eq(code, 4, "status: " .. err)
  eq(out, "", "stdout")
  eq(#lines(err), 1, "one stderr line: " .. err)
  assert(err:find("lumen.payment", 1, true) and err:find("no whole answer came within 1.5 s, the limit for one exchange (PAYSH_TIMEOUT)", 1, true), err)
  assert(took < 20, "a byte a second did not hold the call for long: " .. took .. " s")
end)

test("a PAYSH_TIMEOUT that is not seconds is a configuration error", function()
  for _, bad in ipairs { "soon", "0", "86400", "1e2" } do
    local code, out, err = hostile_with({ PAYSH_TIMEOUT = bad }, "-p", 'lumen.payment("html")')
    eq(code, 2, bad .. ": " .. err)
    eq(out, "", "stdout")
    assert(err:find("PAYSH_TIMEOUT", 1, true) and err:find("expected seconds from 0.1 to 3600", 1, true), err)
  end
end)

os.execute("kill -9 " .. (read(pid_file) or ""):gsub("%s", "") .. " 2>/dev/null")
os.execute("rm -rf " .. shell_quote(dir))
done()
