-- Fuzzing the bindings' argument checks (docs/reliability.md, "Fuzzing").
--
-- Every function paysh adds -- found by walking the module tables, and the
-- methods and metamethods of the objects they return (cursors, money values,
-- json.number boxes, tasks, error objects) -- is called with random
-- arguments of every Lua type, under pcall, in a child paysh, so that a crash
-- or an abort shows as the child's exit status. The rules each call must keep:
--
--   * it returns, within SLOW seconds;
--   * or it raises a clear error, which is one of
--       - a paysh.error object whose `operation` is the function called, whose
--         `kind` is one of the documented kinds and whose `message` is one
--         non-empty line; a `validation` error's message names the argument
--         ("argument #N" or a field) and says what was expected
--         ("expected ...", "unknown field ...", "at most ...");
--       - a string of one line naming the function (its qualified name
--         `json.decode`, `cursor:take`, `money:split`, the module `money(`,
--         or Lua's own "bad argument #N to 'decode'") and saying what is
--         wrong (EXPECTED below lists the words that do);
--   * and nothing is left broken: the child ends with status 0 after the last call.
--
-- The seed is printed; PAYSH_FUZZ_SEED replays a run, PAYSH_FUZZ_SECONDS
-- lengthens it (scripts/fuzz), PAYSH_FUZZ_CALLS bounds the calls instead.
dofile("support.lua")

local SLOW = 10 -- seconds a single call may take (a debug build, requests to the sandbox)

-- The words that say what is wrong, in paysh's and Lua's messages.
local EXPECTED = {
  "expected", "must", "cannot", "unknown", "not ", "no ", "invalid", "only", "too ", "at most", "at least",
  "needs", "neither", "decimal places", "a quote in the middle", "overflow", "call it with a colon", "immutable", "already", "refus", "outside", "missing",
}

-- Metamethods Lua calls with two operands.
local BINARY = {
  __add = true, __sub = true, __mul = true, __div = true, __mod = true, __pow = true, __idiv = true, __band = true,
  __bor = true, __bxor = true, __shl = true, __shr = true, __concat = true, __eq = true, __lt = true, __le = true,
}

local KINDS = {
  validation = true, client_error = true, unauthorized = true, not_sent = true, rejected = true,
  outcome_unknown = true, invalid_response = true,
}

--------------------------------------------------------------------------------
-- The child: the fuzz body.

local function child(seed, seconds, max_calls, report_path)
  local report = assert(io.open(report_path, "w"))
  local function note(line) report:write(line, "\n") report:flush() end
  math.randomseed(seed)
  local tmpdir = os.getenv("TMPDIR") or "/tmp"

  -- Walk the modules. The names are the built-in globals (README, "Built-in
  -- modules"); their functions are found, not listed, and so are the sections
  -- of paysh.reference(), so that a new binding module is walked too.
  local module_names = { "json", "lumanu", "lumen", "lumyri", "paysh", "sandbox", "help", "inspect", "pp", "money", "csv" }
  local reference = paysh.reference()
  local seen_module = {}
  for _, name in ipairs(module_names) do seen_module[name] = true end
  for name in reference:gmatch("\n## `([%w_]+)`") do
    if not seen_module[name] then module_names[#module_names + 1] = name; seen_module[name] = true end
  end

  -- Field names each binding documents, for tables that get past the first checks.
  local fields_of = {}
  for section in (reference .. "\n### "):gmatch("\n### (.-)\n### ") do
    local name = section:match("^([%w_.]+)")
    local names = {}
    for field in section:gmatch("`([%a_][%w_]*)`") do names[#names + 1] = field end
    fields_of[name] = names
  end

  local targets = {}      -- { name = ..., fn = ..., names = {...}, self = value or nil }
  -- self: the object a method or metamethod belongs to (or a function making
  -- one); metamethod: its name, for the place Lua would give the object.
  local function add(name, fn, names, self, metamethod)
    targets[#targets + 1] = { name = name, fn = fn, names = names, self = self, metamethod = metamethod }
  end
  for _, module_name in ipairs(module_names) do
    local m = _G[module_name]
    if type(m) == "function" then
      add(module_name, m, { module_name })
    elseif type(m) == "table" then
      local keys = {}
      for k, v in pairs(m) do if type(v) == "function" then keys[#keys + 1] = k end end
      table.sort(keys)
      for _, k in ipairs(keys) do
        add(module_name .. "." .. k, m[k], { module_name .. "." .. k, module_name .. ":" .. k, "'" .. k .. "'", module_name })
      end
      local mt = getmetatable(m)
      if type(mt) == "table" and type(rawget(mt, "__call")) == "function" then
        add(module_name .. "()", function(...) return m(...) end, { module_name })
      end
    end
  end
  local module_functions = #targets

  -- Sample objects, and their methods and metamethods.
  local makers = {
    cursor = function() return lumyri.invoices() end,
    money = function() return money("174.08") end,
    ["json.number"] = function() return json.number("12.30") end,
    task = function() local t = paysh.spawn(function() return 1 end) paysh.wait(t) return t end,
    ["paysh.error"] = function() return select(2, pcall(lumyri.invoice)) end,
  }
  local samples = {}
  for kind, make in pairs(makers) do samples[kind] = make() end
  local kinds = {}
  for kind in pairs(samples) do kinds[#kinds + 1] = kind end
  table.sort(kinds)
  for _, kind in ipairs(kinds) do
    local object = samples[kind]
    local mt = getmetatable(object)
    if type(mt) == "table" then
      local keys = {}
      for k, v in pairs(mt) do if type(v) == "function" then keys[#keys + 1] = k end end
      table.sort(keys)
      for _, k in ipairs(keys) do
        -- __gc gets an object of its own each time: it frees what it is given.
        add(kind .. "." .. k, mt[k], { kind, k:gsub("^__", ""), "'" .. k:gsub("^__", "") .. "'" },
            k == "__gc" and makers[kind] or object, k)
      end
      -- Methods: a table of them in the metatable, or behind an __index function's upvalues.
      local method_tables = {}
      if type(rawget(mt, "__methods")) == "table" then method_tables[#method_tables + 1] = mt.__methods end
      if type(rawget(mt, "__index")) == "table" then method_tables[#method_tables + 1] = mt.__index end
      if type(rawget(mt, "__index")) == "function" then
        for i = 1, 20 do
          local name, value = debug.getupvalue(mt.__index, i)
          if not name then break end
          if name == "methods" and type(value) == "table" then method_tables[#method_tables + 1] = value end
        end
      end
      for _, methods in ipairs(method_tables) do
        local names = {}
        for k, v in pairs(methods) do if type(v) == "function" then names[#names + 1] = k end end
        table.sort(names)
        for _, k in ipairs(names) do add(kind .. ":" .. k, methods[k], { kind .. ":" .. k, kind }, object) end
      end
    end
  end
  note(("functions %d %d"):format(#targets, module_functions))

  ------------------------------------------------------------------------------
  -- Random values of every type.

  local function rint(n) return math.random(n) end
  local function pick(list) return list[math.random(#list)] end

  local binary = {}
  for i = 0, 255 do binary[#binary + 1] = string.char(i) end
  binary = table.concat(binary)
  local huge = ("x"):rep(1000000)

  local strings = {
    "", " ", "   ", "x", "/", "//", "/payments/orders", "/api/rest/payouts", "/../../etc/passwd", "/_sandbox/reset",
    "4e872310-58fb-40bf-9494-68731fb3d6b4", "pay_123", "pm_123", "cust_456", "ada@example.com", "not an email",
    "Processing", "processing", "Succeeded", "Paid", "Card", "paypal", "Approved", "lumyri", "lumanu", "succeeded",
    "2024-01-31", "2024-01-31T12:00:00Z", "2024-13-45", "1h", "1d", "yesterday", "99.50", "100", "-1", "0", "0.001",
    "1e5", "12.", ".5", "nan", "inf", "USD", "EUR", "usd", "JPY", "{}", "[1,2]", '{"a":1}', "null", "true",
    "a\0b", "\n", "line\nbreak", "\xff\xfe", "\xc0\x80", "\xed\xa0\x80", "é€😀", "\u{FEFF}", binary, huge,
    ("é"):rep(300), "latency=1ms", "503:0.0", "pretty", "json", "table", "csv", "lua",
  }
  local integers = {
    0, 1, -1, 2, 3, 5, 12, 42, 100, 1000, 1001, 86400, 86401, 600, 601, 2031,
    math.maxinteger, math.mininteger, math.maxinteger - 1, math.mininteger + 1, 1 << 31, -(1 << 31), 1 << 53,
  }
  local floats = {
    0.0, -0.0, 0.5, 1.5, 12.5, 99.5, 1e308, -1e308, math.huge, -math.huge, 0 / 0, math.pi, 2.0 ^ 53, 2.0 ^ 63,
    1e-300, 5e-324, 1.0, 3.0, 86400.5,
  }

  local functions = {
    function() end,
    function(...) return ... end,
    function() return {} end,
    function() return 1, 2, 3 end,
    function() error("a fuzz function's own error") end,
    function() error({ "an error that is a table" }) end,
    coroutine.yield,
    tostring,
    type,
    lumen.payment,
  }

  local function random_string()
    local r = rint(10)
    if r <= 6 then return pick(strings) end
    local n = r == 10 and rint(300) or rint(12) - 1
    local out = {}
    for i = 1, n do out[i] = string.char(math.random(0, 255)) end
    return table.concat(out)
  end

  local value -- forward

  local function random_table(depth, names)
    local r = rint(16)
    if r == 1 then return {} end
    if r == 2 then
      local t = {}
      for i = 1, rint(5) do t[i] = value(depth + 1, names) end
      return t
    end
    if r == 3 then -- a cycle
      local t = { a = 1 }
      t.self = t
      t[1] = t
      return t
    end
    if r == 4 then -- deep
      local t = {}
      local inner = t
      for _ = 1, rint(300) do inner.x = {}; inner = inner.x end
      return t
    end
    if r == 5 then -- metatables that raise, lie or hide
      local trap = function() error("a metamethod's trap") end
      return setmetatable({ a = 1 }, pick {
        { __index = trap, __newindex = trap, __len = trap, __pairs = trap, __tostring = trap, __eq = trap },
        { __name = "money", __tostring = trap },
        { __name = "money", __tostring = function() return "12.50 USD" end },
        { __tojson = trap },
        { __tojson = function() return {} end },
        { __metatable = "locked" },
        { __jsonkeys = { "a", "b" } },
        { __gc = trap },
      })
    end
    if r == 6 then -- keys of other types
      return pick { { [true] = 1 }, { [1.5] = 1 }, { [{}] = 1 }, { [1] = 1, [3] = 3 }, { [0] = 1 }, { [-1] = 1 }, { [2 ^ 63] = 1 }, { a = 1, [1] = 2 } }
    end
    if r == 7 then -- big
      local t = {}
      for i = 1, rint(5000) do t[i] = i end
      return t
    end
    if r == 8 then return pick { json.array(), json.object(), json.array { 1, 2 }, json.decode('{"a":[1,{"b":null}]}') } end
    if r == 9 then return pick { samples.money, money("-0.01"), money("0"), money("1000000000.00"), money("5", "EUR") } end
    if r == 10 then return { strict = pick { false, true, "no", 0 }, [random_string()] = value(depth + 1, names) } end
    -- A record: the fields this function documents, with random values.
    local t = {}
    for _ = 1, rint(6) do
      local key = names and #names > 0 and rint(4) > 1 and pick(names) or random_string()
      t[key] = value(depth + 1, names)
    end
    return t
  end

  function value(depth, names)
    depth = depth or 0
    local r = rint(depth > 2 and 12 or 20)
    if r == 1 then return nil end
    if r == 2 then return rint(2) == 1 end
    if r <= 4 then return pick(integers) end
    if r == 5 then return math.random(math.mininteger, math.maxinteger) end
    if r == 6 then return pick(floats) end
    if r <= 10 then return random_string() end
    if r == 11 then return pick(functions) end
    if r == 12 then
      return pick { json.null, io.stdout, io.stderr, samples.cursor, samples["json.number"], samples.task, samples["paysh.error"],
                    coroutine.create(function() end), coroutine.running() }
    end
    return random_table(depth, names)
  end

  -- Brief, single-line, digit-free descriptions for the report (digits are
  -- masked so that nothing in it looks like a card number to scan-secrets).
  local function show(v)
    local t = type(v)
    local text
    if t == "string" then
      text = ("%q"):format(#v > 24 and v:sub(1, 24) .. "..." or v):gsub("\\\n", "\\n") .. (#v > 24 and ("(len %d)"):format(#v) or "")
    elseif t == "number" then
      text = math.type(v) .. ":" .. tostring(v)
    elseif t == "table" then
      text = "table"
    else
      text = t
    end
    return (text:gsub("%d", "#"):gsub("[%c\128-\255]", "?"))
  end

  ------------------------------------------------------------------------------
  -- Calls that must not do what they would: each guard may change the
  -- arguments so that a valid call stays quick and inside the test world.

  local function shallow_copy(t)
    local c = {}
    for k, v in next, t do c[k] = v end
    return c
  end
  local guards = {
    -- A valid duration really sleeps: keep the checks, not the wait.
    -- The amount is read as the binding reads it: a number, a decimal text,
    -- or any table whose metatable is named "money" (by its text's first word).
    ["paysh.sleep"] = function(a)
      local v, n = a[1], tonumber(a[1])
      local mt = type(v) == "table" and debug.getmetatable(v)
      if type(mt) == "table" and rawget(mt, "__name") == "money" then
        local ok, text = pcall(tostring, v)
        n = ok and tonumber(tostring(text):match("^%S+")) or 1
      end
      if n and n > 0 and n <= 86400 then a[1] = 0 end
    end,
    -- A batch waits `settle` seconds (5 by default) when it is taken up again.
    ["paysh.batch"] = function(a)
      if type(a[1]) == "table" and getmetatable(a[1]) == nil then
        local s = rawget(a[1], "settle")
        if s == nil or (tonumber(s) and tonumber(s) > 0 and tonumber(s) <= 600) then
          a[1] = shallow_copy(a[1])
          a[1].settle = 0
        end
      end
    end,
    -- Many invoices make every later list call slower; the bound is still checked.
    ["sandbox.issue_invoices"] = function(a)
      if math.type(a[1]) == "integer" and a[1] > 3 and a[1] <= 1000 then a[1] = 3 end
    end,
    -- Files: any path given is replaced by one in the test's own temporary folder.
    ["csv.read"] = function(a)
      if type(a[1]) == "string" then a[1] = pick { tmpdir .. "/fuzz.csv", tmpdir .. "/missing/x.csv", tmpdir, tmpdir .. "/\xff.csv" } end
    end,
    ["csv.write"] = function(a)
      if type(a[1]) == "string" then a[1] = pick { tmpdir .. "/fuzz.csv", tmpdir .. "/missing/x.csv", tmpdir } end
    end,
  }
  -- Calls that must be followed by something: a fault plan set at random is
  -- cleared (latency would slow every later call), a task's failure is
  -- collected (a task nobody waits for fails the chunk that started it).
  local after = {
    ["sandbox.faults"] = function() sandbox.faults() end,
    ["paysh.spawn"] = function(ok, result) if ok then pcall(paysh.wait, result) end end,
  }
  -- Left out, with why (none of the modules' functions is):
  --   paysh.output and paysh.repl, reachable only through require, are not
  --   walked: they are the -o renderer and the interactive shell's helpers,
  --   called by paysh with values it made, and check no arguments of their own.
  local skipped = {}

  ------------------------------------------------------------------------------
  -- The loop.

  local function clear(target, err)
    local names = target.names
    if type(err) == "table" and getmetatable(err) and getmetatable(err).__name == "paysh.error" then
      local text = tostring(err)
      if not KINDS[err.kind] then return "an error of unknown kind " .. tostring(err.kind) end
      if type(err.message) ~= "string" or err.message == "" then return "an error with no message" end
      if text:find("\n") then return "a message of more than one line: " .. show(text) end
      if type(err.operation) ~= "string" or err.operation == "" then return "an error naming no operation" end
      local named = false
      for _, n in ipairs(names) do if err.operation == n or err.operation:find(n, 1, true) then named = true end end
      if not named then return ("the error names %s, not the function called"):format(err.operation) end
      if err.kind == "validation" then
        -- The binding's own checks say "argument #1 (payout): field ...";
        -- the client core's, which come after them, name the field: "payee_email: ...".
        local m = err.message
        if not (m:find("^argument #%d") or m:find("^[%w_.%[%]]+: ")) then
          return "a validation message that names no argument: " .. m
        end
        local says = false
        for _, word in ipairs(EXPECTED) do if m:find(word, 1, true) then says = true end end
        if not says then return "a validation message that does not say what was expected: " .. m end
      end
      return nil
    end
    if type(err) ~= "string" then return "an error that is a " .. type(err) .. ", not a message" end
    if err == "" then return "an empty error message" end
    if err:find("\n") then return "a message of more than one line: " .. err:sub(1, 200) end
    if #err > 2000 then return ("a message of %d bytes"):format(#err) end
    -- An operator's metamethod may answer as Lua itself does for the operator
    -- ("attempt to concatenate a table value"): that is what `a .. b` says.
    if target.metamethod and BINARY[target.metamethod] and err:find("attempt to %a+ a") then return nil end
    local named = false
    for _, n in ipairs(names) do if err:find(n, 1, true) then named = true end end
    if not named then return "a message that does not name the function: " .. err end
    local says = false
    for _, word in ipairs(EXPECTED) do if err:find(word, 1, true) then says = true end end
    if not says then return "a message that does not say what is wrong: " .. err end
    return nil
  end

  -- Errors that are the fuzz functions' own (passed as arguments and called), not the binding's.
  local function own(err)
    if type(err) == "table" and getmetatable(err) == nil and err[1] == "an error that is a table" then return true end
    if type(err) == "string" and (err:find("a fuzz function's own error", 1, true) or err:find("a metamethod's trap", 1, true)
        or err:find("attempt to yield", 1, true)) then
      return true
    end
    return false
  end

  local deadline = os.time() + seconds
  local calls, refused, returned, failures = 0, 0, 0, 0
  local per_target = {}
  -- PAYSH_FUZZ_ONLY (a Lua pattern) narrows the run to the functions it matches.
  local only = os.getenv("PAYSH_FUZZ_ONLY")
  if only then
    local kept = {}
    for _, target in ipairs(targets) do if target.name:find(only) then kept[#kept + 1] = target end end
    targets = kept
  end
  while calls < max_calls and os.time() < deadline and #targets > 0 do
    local target = pick(targets)
    if not skipped[target.name] then
      local args, n = {}, rint(8) == 1 and rint(8) or rint(4) - 1
      local names = fields_of[target.name]
      for i = 1, n do args[i] = value(0, names) end
      local self = type(target.self) == "function" and target.self() or target.self
      if target.metamethod and BINARY[target.metamethod] then
        -- Lua calls a binary metamethod with the object on one side or both.
        n = 2
        local side = rint(3)
        if side ~= 2 then args[1] = self end
        if side ~= 1 then args[2] = self end
      elseif target.metamethod then
        -- ... and any other with the object first (__index, __call, __len, __tostring, __gc).
        table.insert(args, 1, self)
        n = n + 1
      elseif self and rint(10) <= 7 then
        table.insert(args, 1, self)
        n = n + 1
      end
      if guards[target.name] then guards[target.name](args) end
      local shown = {}
      for i = 1, n do shown[i] = show(args[i]) end
      calls = calls + 1
      note(("call %d %s(%s)"):format(calls, target.name, table.concat(shown, ", ")))
      local started = os.clock()
      local wall = os.time()
      local ok, err = pcall(target.fn, table.unpack(args, 1, n))
      if after[target.name] then after[target.name](ok, err) end
      if os.time() - wall > SLOW then
        failures = failures + 1
        note(("failure %s took %d s"):format(target.name, os.time() - wall))
      end
      per_target[target.name] = (per_target[target.name] or 0) + 1
      if ok then
        returned = returned + 1
      elseif not own(err) then
        refused = refused + 1
        local problem = clear(target, err)
        if problem then
          failures = failures + 1
          note(("failure %s: %s; the call: %s(%s)"):format(target.name, ("%q"):format(problem:sub(1, 300)):gsub("\\\n", "\\n"):gsub("%d", "#"),
            target.name, table.concat(shown, ", ")))
        end
      end
      if calls % 500 == 0 then collectgarbage() end
      local _ = started
    end
  end
  local uncalled = {}
  for _, target in ipairs(targets) do if not per_target[target.name] then uncalled[#uncalled + 1] = target.name end end
  note(("done %d calls %d returned %d refused %d failures %d uncalled %s"):format(calls, returned, refused, failures, #uncalled, table.concat(uncalled, " ")))
  report:close()
end

if arg[1] == "--child" then
  child(tonumber(arg[2]), tonumber(arg[3]), tonumber(arg[4]), arg[5])
  os.exit(0)
end

--------------------------------------------------------------------------------
-- The parent: run the child, read its report.

local seed = tonumber(os.getenv("PAYSH_FUZZ_SEED") or "") or (os.time() * 1000 + math.random(999)) % 2147483647
local seconds = tonumber(os.getenv("PAYSH_FUZZ_SECONDS") or "") or 15
local max_calls = tonumber(os.getenv("PAYSH_FUZZ_CALLS") or "") or math.maxinteger
io.write(("  binding fuzz: seed %d, %d s (PAYSH_FUZZ_SEED=%d replays it)\n"):format(seed, seconds, seed))

-- What the fuzzer found, each fixed where it was made.
test("a value with a newline is quoted on one line in a validation error", function()
  local ok, err = pcall(lumanu.create_payout, { payee_email = "a\nb@example.com", amount = 1, description = "x" })
  assert(not ok)
  local text = tostring(err)
  assert(not text:find("\n"), text)
  assert(text:find('got "a\\nb@example.com"', 1, true), text)
end)

test("money's messages quote any string on one line, cut short", function()
  for _, bad in ipairs { "a\nb", ("x"):rep(100000), "\0\r\n" .. ("é"):rep(50) } do
    local ok, err = pcall(money, bad)
    assert(not ok)
    assert(not err:find("\n"), err)
    assert(#err < 200, #err)
  end
  local ok, err = pcall(function() money(1)["a\nb"] = 1 end)
  assert(not ok and not err:find("\n"), err)
end)

test("sandbox.advance refuses to move the clock past what the sandbox can count", function()
  raises(function() sandbox.advance(math.maxinteger) end, "sandbox.advance: argument #1 %(seconds%): expected at most 3153600000 seconds")
  local before = sandbox.advance(1)
  assert(before.advancedBySeconds >= 1, "a second")
  eq(lumanu.payouts():first() ~= false, true, "the sandbox still answers")
end)

test("option names of any bytes are shown on one line", function()
  for _, call in ipairs {
    function() inspect(1, { ["a\nb"] = 1 }) end,
    function() csv.parse("a", { [("x"):rep(1000) .. "\n"] = 1 }) end,
    function() money(1):format({ ["\n"] = 1 }) end,
  } do
    local ok, err = pcall(call)
    assert(not ok)
    assert(not err:find("\n"), err)
    assert(#err < 300, #err)
  end
end)

test("json.number shows a text it refuses on one line, cut short", function()
  local err = raises(function() json.number("1\n2") end, [[json.number: "1\n2" is not a JSON number]])
  err = raises(function() json.number(("9"):rep(100) .. "x") end, "is not a JSON number")
  assert(#err < 100, err)
end)

test("the sandbox's refusals read as one line", function()
  local ok, err = pcall(sandbox.verify_vendor, "a\nb")
  assert(not ok)
  assert(not tostring(err):find("\n"), tostring(err))
end)

test("an id, a path or a query too long for a URL is refused before sending", function()
  raises(function() sandbox.advance_payout(("x"):rep(1000000)) end, "of at most 1000 bytes, got 1000000 bytes")
  raises(function() lumyri.get("/" .. ("x"):rep(100000)) end, "of at most 8000 bytes")
  raises(function() lumyri.get("/x", { a = ("x"):rep(100000) }) end, "of at most 8000 bytes")
end)

test("an unknown field of any bytes is named on one line, and quickly", function()
  local err = raises(function() lumanu.payouts { ["a\nb"] = 1 } end, 'unknown field "a\\nb"')
  assert(not tostring(err):find("\n"), tostring(err))
  local started = os.time()
  raises(function() lumanu.payouts { [("x"):rep(1000000)] = 1 } end, "unknown field")
  pcall(help, ("x"):rep(1000000))
  assert(os.time() - started < 5, "a megabyte-long name took " .. (os.time() - started) .. " s")
end)

test("money:split refuses a count of parts it could never make", function()
  raises(function() money(1):split(math.maxinteger) end, "money:split: expected at most 1000000 parts")
  eq(#money("1.00"):split(1000), 1000, "a thousand parts")
end)

test("every binding survives random arguments of every type", function()
  local bin = assert(os.getenv("PAYSH_TEST_BIN"), "PAYSH_TEST_BIN is not set")
  local report, err = os.tmpname(), os.tmpname()
  local command = ("timeout -s KILL %d %s binding_fuzz_test.lua --child %d %d %d %s </dev/null >/dev/null 2>%s"):format(
    seconds + 120, shell_quote(bin), seed, seconds, max_calls, shell_quote(report), shell_quote(err))
  local started = os.time()
  local _, how, code = os.execute(command)
  local elapsed = os.time() - started
  local text, stderr = slurp(report), slurp(err)
  local last = "none"
  for line in text:gmatch("[^\n]+") do if line:find("^call ") then last = line end end
  local functions, module_functions = text:match("functions (%d+) (%d+)")
  local calls, returned, refused, failures, uncalled = text:match("done (%d+) calls (%d+) returned (%d+) refused (%d+) failures (%d+) uncalled")
  local previous = "none"
  for line in text:gmatch("[^\n]+") do
    if line:find("^failure ") then io.write("       ", line, "\n       after ", previous:sub(1, 300), "\n") end
    if line:find("^call ") then previous = line end
  end
  -- timeout(1) passes on the child's status, and 128 + N when a signal N ended it.
  if how ~= "exit" then error(("the child was killed by signal %s; the last call: %s"):format(tostring(code), last)) end
  if code == 137 and elapsed >= seconds + 100 then error(("the child hung (killed after %d s); the last call: %s"):format(elapsed, last)) end
  if code > 128 then
    error(("the child was ended by signal %d (a crash); the last call: %s\n%s"):format(code - 128, last, stderr:sub(1, 3000)))
  end
  if code ~= 0 or not calls then
    error(("the child ended with status %d; the last call: %s\n%s"):format(code, last, stderr:sub(-2000)))
  end
  io.write(("  binding fuzz: %d functions (%d in modules), %d calls in %d s (%d/s): %d returned, %d refused, %d failures; seed %d\n"):format(
    functions, module_functions, calls, elapsed, calls // math.max(elapsed, 1), returned, refused, failures, seed))
  assert(tonumber(module_functions) >= 50, "only " .. module_functions .. " functions found in the modules")
  assert(tonumber(functions) >= 70, "only " .. functions .. " functions found")
  assert(tonumber(calls) >= 200, "only " .. calls .. " calls made")
  eq(tonumber(failures), 0, ("failures (seed %d)"):format(seed))
end)

done()
