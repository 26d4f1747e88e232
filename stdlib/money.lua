-- money: exact decimal amounts of one currency. An amount holds an
-- integer number of minor units (cents) and an ISO 4217 code; no
-- arithmetic ever goes through floating point. Amounts are immutable.
local M = {}

M.default_currency = "USD"

-- Decimal places (ISO 4217 exponent) of the currencies we know.
local EXPONENTS = {
  USD = 2, EUR = 2, GBP = 2, CAD = 2, AUD = 2, CHF = 2, CNY = 2, INR = 2, MXN = 2,
  BRL = 2, SEK = 2, NOK = 2, DKK = 2, PLN = 2, NZD = 2, SGD = 2, HKD = 2,
  JPY = 0, KRW = 0, CLP = 0, VND = 0, ISK = 0,
  BHD = 3, KWD = 3, OMR = 3, JOD = 3, TND = 3,
}

-- Symbols used by format(), and what a leading symbol means when parsing.
local SYMBOLS = { USD = "$", EUR = "€", GBP = "£", JPY = "¥" }
local SYMBOL_CURRENCY = { ["$"] = "USD", ["€"] = "EUR", ["£"] = "GBP", ["¥"] = "JPY" }

local MODES = { half_even = true, half_up = true, down = true, up = true, floor = true, ceiling = true }
local MODE_LIST = "half_even, half_up, down, up, floor, ceiling"

local MAX = math.maxinteger
local MAX_DIGITS = tostring(MAX)

-- Private state of each amount: store[amount] = { minor, currency }.
-- Keeping it out of the object makes every field assignment an error.
local store = setmetatable({}, { __mode = "k" })
local Money = { __name = "money" }
local methods = {}

-- Short description of a value for error messages.
local function describe(v)
  if type(v) == "string" then
    -- Quoted on one line (%q breaks lines after a backslash) and cut short:
    -- the text may be anything a caller had, of any length.
    local shown = v
    if #v > 40 then
      local cut = 40
      while cut > 1 and v:byte(cut + 1) and v:byte(cut + 1) & 0xC0 == 0x80 do cut = cut - 1 end
      shown = v:sub(1, cut)
    end
    return (string.format("%q", shown):gsub("\\\n", "\\n")) .. (#shown < #v and ("... (%d bytes)"):format(#v) or "")
  end
  if type(v) == "number" or v == nil then return tostring(v) end
  if store[v] then return "money " .. tostring(v) end
  return "a " .. type(v)
end

local is_json_number = require("paysh.values").is_json_number

-- Normalised code of a known currency, or nil and why not.
local function check_currency(c)
  if type(c) ~= "string" or not c:match("^%a%a%a$") then
    return nil, ('currency must be a 3-letter code like "USD", got %s'):format(describe(c))
  end
  local code = c:upper()
  if not EXPONENTS[code] then
    return nil, ('unknown currency "%s" (register it with money.currency("%s", 2))'):format(code, code)
  end
  return code
end

-- The currency argument, or the module default when it is nil.
local function currency_or_default(c)
  if c == nil then c = M.default_currency end
  return check_currency(c)
end

-- A new amount; minor must be in -maxinteger..maxinteger (so negating
-- never overflows).
local function make(minor, code)
  local obj = setmetatable({}, Money)
  store[obj] = { minor, code }
  return obj
end

-- Sum and difference of integers, or nil when the result leaves the range.
local function add_int(a, b)
  local r = a + b
  if (b > 0 and r < a) or (b < 0 and r > a) or r == math.mininteger then return nil end
  return r
end

local function to_int_checked(neg, digits)
  digits = digits:gsub("^0+", "")
  if digits == "" then return 0 end
  if #digits > #MAX_DIGITS or (#digits == #MAX_DIGITS and digits > MAX_DIGITS) then return nil end
  local v = math.tointeger(tonumber(digits))
  return neg and -v or v
end

-- Shortest decimal text that reads back as the same float, written out
-- without an exponent ("1e-05" -> "0.00001"); nil for NaN and infinities.
local function float_decimal(x)
  if x ~= x or x == math.huge or x == -math.huge then return nil end
  local s
  for digits = 14, 17 do
    s = string.format("%." .. digits .. "g", x)
    if tonumber(s) == x then break end
  end
  local sign, int, frac, exp = s:match("^(-?)(%d+)%.?(%d*)e([+-]%d+)$")
  if not sign then return s end
  local digits, point = int .. frac, #int + tonumber(exp)
  if point <= 0 then return sign .. "0." .. ("0"):rep(-point) .. digits end
  if point >= #digits then return sign .. digits .. ("0"):rep(point - #digits) end
  return sign .. digits:sub(1, point) .. "." .. digits:sub(point + 1)
end

-- Splits an amount text into its parts: sign, integer digits, fraction
-- digits and the currency it names (by code or symbol), or nil and why.
local function split_amount(text)
  local s = text:match("^%s*(.-)%s*$")
  local code
  local c, rest = s:match("^(%a%a%a)%s+(.+)$")
  if c then
    code, s = c:upper(), rest
  else
    rest, c = s:match("^(.-)%s+(%a%a%a)$")
    if rest then s, code = rest, c:upper() end
  end
  local sign
  sign, s = s:match("^([+-]?)(.*)$")
  for symbol, symbol_code in pairs(SYMBOL_CURRENCY) do
    if s:sub(1, #symbol) == symbol then
      if code and code ~= symbol_code then
        return nil, ("the symbol %s means %s but the text also says %s"):format(symbol, symbol_code, code)
      end
      code, s = symbol_code, s:sub(#symbol + 1)
      if sign == "" then sign, s = s:match("^([+-]?)(.*)$") end
      break
    end
  end
  local int, frac = s:match("^(%d[%d,]*)%.(%d+)$")
  if not int then int, frac = s:match("^(%d[%d,]*)$"), "" end
  if not int then return nil end
  if int:find(",", 1, true) then
    local head, groups = int:match("^(%d%d?%d?)(,.*)$")
    if not head or groups:gsub(",%d%d%d", "") ~= "" then return nil end
    int = int:gsub(",", "")
  end
  return sign == "-", int, frac, code
end

-- Amount from text; label names the call for error messages.
local function from_text(label, text, currency)
  local neg, int, frac, code = split_amount(text)
  if neg == nil then
    if int then return nil, label .. ": " .. int end
    return nil, ('%s: expected a decimal amount like "174.08", got %s'):format(label, describe(text))
  end
  if code then
    local ok, why = check_currency(code)
    if not ok then return nil, label .. ": " .. why end
  end
  if currency ~= nil then
    local arg, why = check_currency(currency)
    if not arg then return nil, label .. ": " .. why end
    if code and code ~= arg then
      return nil, ("%s: the text says %s but the currency argument is %s"):format(label, code, arg)
    end
    code = arg
  end
  if not code then
    local why
    code, why = currency_or_default(nil)
    if not code then return nil, label .. ": default_currency: " .. why end
  end
  local places = EXPONENTS[code]
  if #frac > places then
    local significant = frac:gsub("0+$", "")
    if #significant > places then
      return nil, ("%s: %s has %d decimal places, got %d"):format(label, code, places, #significant)
    end
    frac = frac:sub(1, places)
  end
  frac = frac .. ("0"):rep(places - #frac)
  local minor = to_int_checked(neg, int .. frac)
  if not minor then return nil, label .. ": amount is too large" end
  return make(minor, code)
end

-- The call as the user wrote it, for error messages: money("12.3.4").
local function call_label(name, x)
  if math.type(x) == "float" then return ("%s(%s)"):format(name, float_decimal(x) or tostring(x)) end
  if store[x] then return ("%s(%s)"):format(name, tostring(x)) end
  return ("%s(%s)"):format(name, describe(x))
end

-- Amount from anything money() accepts, or nil and a message.
local function coerce(name, x, currency)
  local label = call_label(name, x)
  local data = store[x]
  if data then
    if currency == nil then return x end
    local code, why = check_currency(currency)
    if not code then return nil, label .. ": " .. why end
    if code ~= data[2] then return nil, ("%s: cannot convert %s to %s"):format(label, data[2], code) end
    return x
  end
  if math.type(x) == "integer" then
    local code, why = currency_or_default(currency)
    if not code then return nil, label .. ": " .. why end
    local scale = math.tointeger(10 ^ EXPONENTS[code])
    if x > MAX // scale or x < -(MAX // scale) then return nil, label .. ": amount is too large" end
    return make(x * scale, code)
  end
  if math.type(x) == "float" then
    local text = float_decimal(x)
    if not text then return nil, label .. ": not a finite number" end
    return from_text(label, text, currency)
  end
  if is_json_number(x) then return from_text(label, tostring(x), currency) end
  if type(x) == "string" then return from_text(label, x, currency) end
  return nil, ('%s: expected a decimal amount like "174.08", got %s'):format(label, describe(x))
end

-- money.of(x [, currency]) -> amount (raises on bad input).
function M.of(x, currency)
  local m, err = coerce("money.of", x, currency)
  if not m then error(err, 2) end
  return m
end

-- money.parse(x [, currency]) -> amount, or nil and a message.
function M.parse(x, currency)
  return coerce("money.parse", x, currency)
end

-- money.is(v) -> true when v is an amount.
function M.is(v)
  return store[v] ~= nil
end

-- Amount from integer minor units (lower-case codes accepted).
local function from_minor(name, n, currency)
  local v = type(n) == "number" and math.tointeger(n)
  if not v or v == math.mininteger then
    return nil, ("%s: expected an integer number of minor units, got %s"):format(name, describe(n))
  end
  local code, why = currency_or_default(currency)
  if not code then return nil, name .. ": " .. why end
  return make(v, code)
end

function M.cents(n, currency)
  local m, err = from_minor("money.cents", n, currency)
  if not m then error(err, 2) end
  return m
end

function M.minor(n, currency)
  local m, err = from_minor("money.minor", n, currency)
  if not m then error(err, 2) end
  return m
end

-- money.currency(code, places) registers a currency; money.currency(code)
-- returns the decimal places of a known one (nil when unknown).
function M.currency(code, places)
  if type(code) ~= "string" or not code:match("^%a%a%a$") then
    error(('money.currency: expected a 3-letter code like "USD", got %s'):format(describe(code)), 2)
  end
  code = code:upper()
  if places == nil then return EXPONENTS[code] end
  if math.type(places) ~= "integer" or places < 0 or places > 9 then
    error(("money.currency: decimal places must be an integer from 0 to 9, got %s"):format(describe(places)), 2)
  end
  local known = EXPONENTS[code]
  if known and known ~= places then
    error(("money.currency: %s already has %d decimal places, cannot change it to %d"):format(code, known, places), 2)
  end
  EXPONENTS[code] = places
  return places
end

---------------------------------------------------------------------------
-- Exact scaling: minor units times a decimal factor, rounded.

-- A factor (integer, float, decimal string, json.number) as sign, digits
-- and scale: value = digits / 10^scale. Or nil and why.
local function parse_factor(x)
  local text
  if math.type(x) == "integer" then
    text = tostring(x)
  elseif math.type(x) == "float" then
    text = float_decimal(x)
    if not text then return nil, tostring(x) .. " is not a finite number" end
  elseif type(x) == "string" then
    text = x:match("^%s*(.-)%s*$")
  elseif is_json_number(x) then
    text = tostring(x)
  else
    return nil, ("expected a number or a decimal string like \"0.075\", got %s"):format(describe(x))
  end
  local body, exp = text:match("^(.-)[eE]([+-]?%d+)$")
  if body then exp = tonumber(exp) else body, exp = text, 0 end
  local sign, int, frac = body:match("^([+-]?)(%d*)%.?(%d*)$")
  if not sign or int .. frac == "" or body:sub(-1) == "." or math.abs(exp) > 1000 then
    return nil, ("expected a number or a decimal string like \"0.075\", got %s"):format(describe(x))
  end
  local digits, scale = int .. frac, #frac - exp
  if scale < 0 then digits, scale = digits .. ("0"):rep(-scale), 0 end
  digits = digits:gsub("^0+", "")
  while scale > 0 and digits:sub(-1) == "0" do digits, scale = digits:sub(1, -2), scale - 1 end
  if digits == "" then digits, scale = "0", 0 end
  return sign == "-", digits, scale
end

-- Product of two digit strings (schoolbook multiplication).
local function mul_digits(a, b)
  local la, lb = #a, #b
  local r = {}
  for i = 1, la + lb do r[i] = 0 end
  for i = la, 1, -1 do
    local da = a:byte(i) - 48
    if da ~= 0 then
      local carry = 0
      for j = lb, 1, -1 do
        local cur = r[i + j] + da * (b:byte(j) - 48) + carry
        r[i + j], carry = cur % 10, cur // 10
      end
      local k = i
      while carry > 0 do
        local cur = r[k] + carry
        r[k], carry = cur % 10, cur // 10
        k = k - 1
      end
    end
  end
  local text = table.concat(r):gsub("^0+", "")
  return text == "" and "0" or text
end

-- Quotient (digit string) and remainder of a digit string divided by a
-- positive integer below 10^17.
local function div_digits(a, d)
  local q, rem = {}, 0
  for i = 1, #a do
    rem = rem * 10 + (a:byte(i) - 48)
    q[i] = rem // d
    rem = rem % d
  end
  local text = table.concat(q):gsub("^0+", "")
  return text == "" and "0" or text, rem
end

-- Rounds a magnitude q (digit string, truncated) whose exact value had a
-- discarded rest: rest_zero says the rest is 0, half compares it with one
-- half (-1, 0, 1). negative is the sign of the exact result.
local function round(q, negative, rest_zero, half, mode)
  local bump = false
  if not rest_zero then
    if mode == "up" then bump = true
    elseif mode == "floor" then bump = negative
    elseif mode == "ceiling" then bump = not negative
    elseif mode == "half_up" then bump = half >= 0
    elseif mode == "half_even" then bump = half > 0 or (half == 0 and (q:byte(-1) - 48) % 2 == 1)
    end
  end
  local v = to_int_checked(false, q)
  if not v then return nil end
  if bump then
    if v == MAX then return nil end
    v = v + 1
  end
  return negative and -v or v
end

local function abs_digits(minor)
  return tostring(minor < 0 and -minor or minor)
end

-- minor * factor, rounded to an integer; nil and why on failure.
local function scale_mul(minor, factor, mode)
  local fneg, digits, scale = parse_factor(factor)
  if fneg == nil then return nil, digits end
  local product = mul_digits(abs_digits(minor), digits)
  local negative = product ~= "0" and ((minor < 0) ~= fneg)
  local q, rest_zero, half = product, true, -1
  if scale > 0 then
    if #product <= scale then product = ("0"):rep(scale + 1 - #product) .. product end
    q = product:sub(1, #product - scale)
    local rest = product:sub(#product - scale + 1)
    local one_half = "5" .. ("0"):rep(scale - 1)
    rest_zero = not rest:find("[1-9]")
    half = rest < one_half and -1 or (rest == one_half and 0 or 1)
  end
  local v = round(q, negative, rest_zero, half, mode)
  if not v then return nil, "result is too large" end
  return v
end

-- minor / divisor, rounded to an integer; nil and why on failure.
local function scale_div(minor, divisor, mode)
  local dneg, digits, scale = parse_factor(divisor)
  if dneg == nil then return nil, digits end
  if digits == "0" then return nil, "division by zero" end
  if #digits > 17 then return nil, "the divisor has more than 17 significant digits" end
  local d = math.tointeger(tonumber(digits))
  local q, rem = div_digits(abs_digits(minor) .. ("0"):rep(scale), d)
  local negative = minor ~= 0 and ((minor < 0) ~= dneg)
  local twice = 2 * rem
  local v = round(q, negative, rem == 0, twice < d and -1 or (twice == d and 0 or 1), mode)
  if not v then return nil, "result is too large" end
  return v
end

local function check_mode(name, mode)
  if mode == nil then return "half_even" end
  if not MODES[mode] then
    error(("%s: unknown rounding mode %s (use %s)"):format(name, describe(mode), MODE_LIST), 3)
  end
  return mode
end

---------------------------------------------------------------------------
-- Methods and operators.

-- The stored parts of an amount used as self; raises for anything else.
local function parts(name, self)
  local data = store[self]
  if not data then error(("%s: expected money as the first argument (use a:%s(...)), got %s"):format(name, name:match("[%w_]+$"), describe(self)), 3) end
  return data[1], data[2]
end

function methods.mul(self, factor, mode)
  local minor, code = parts("money:mul", self)
  mode = check_mode("money:mul", mode)
  if store[factor] then error("money:mul: cannot multiply money by money", 2) end
  local v, why = scale_mul(minor, factor, mode)
  if not v then error(("money:mul: cannot multiply %s by %s: %s"):format(tostring(self), describe(factor), why), 2) end
  return make(v, code)
end

function methods.div(self, divisor, mode)
  local minor, code = parts("money:div", self)
  mode = check_mode("money:div", mode)
  if store[divisor] then error("money:div: cannot divide money by money", 2) end
  local v, why = scale_div(minor, divisor, mode)
  if not v then error(("money:div: cannot divide %s by %s: %s"):format(tostring(self), describe(divisor), why), 2) end
  return make(v, code)
end

-- n amounts summing exactly to self; the first ones get the leftover units.
local MAX_PARTS = 1000000

function methods.split(self, n)
  local minor, code = parts("money:split", self)
  local count = type(n) == "number" and math.tointeger(n)
  if not count or count < 1 then
    error(("money:split: expected a positive whole number of parts, got %s"):format(describe(n)), 2)
  end
  -- A list of that many amounts is made at once: a count from a typo
  -- (math.maxinteger) would fill memory for minutes before failing.
  if count > MAX_PARTS then
    error(("money:split: expected at most %d parts, got %s"):format(MAX_PARTS, describe(n)), 2)
  end
  local magnitude, sign = minor < 0 and -minor or minor, minor < 0 and -1 or 1
  local base, extra = magnitude // count, magnitude % count
  local out = {}
  for i = 1, count do
    out[i] = make(sign * (base + (i <= extra and 1 or 0)), code)
  end
  return out
end

-- Shares proportional to ratios (non-negative whole numbers), summing
-- exactly to self: each share is rounded down, then the leftover units go
-- one each to the first shares with a non-zero ratio.
function methods.allocate(self, ratios)
  local minor, code = parts("money:allocate", self)
  if type(ratios) ~= "table" or rawget(ratios, 1) == nil then
    error(("money:allocate: expected a list of ratios like {1, 2, 1}, got %s"):format(describe(ratios)), 2)
  end
  local list, total = {}, 0
  for i = 1, #ratios do
    local r = ratios[i]
    local v = type(r) == "number" and math.tointeger(r)
    if not v or v < 0 then
      error(("money:allocate: ratio %d must be a non-negative whole number, got %s"):format(i, describe(r)), 2)
    end
    list[i] = v
    total = add_int(total, v)
    if not total or total >= 10 ^ 17 then error("money:allocate: the ratios add up to too much", 2) end
  end
  if total == 0 then error("money:allocate: the ratios add up to 0", 2) end
  local magnitude, sign = minor < 0 and -minor or minor, minor < 0 and -1 or 1
  local shares, given = {}, 0
  for i, r in ipairs(list) do
    local q = div_digits(mul_digits(tostring(magnitude), tostring(r)), total)
    shares[i] = math.tointeger(tonumber(q))
    given = given + shares[i]
  end
  local left = magnitude - given
  for i, r in ipairs(list) do
    if left == 0 then break end
    if r > 0 then shares[i], left = shares[i] + 1, left - 1 end
  end
  for i, v in ipairs(shares) do shares[i] = make(sign * v, code) end
  return shares
end

function methods.is_zero(self)
  local minor = parts("money:is_zero", self)
  return minor == 0
end

function methods.is_negative(self)
  local minor = parts("money:is_negative", self)
  return minor < 0
end

function methods.abs(self)
  local minor, code = parts("money:abs", self)
  if minor >= 0 then return self end
  return make(-minor, code)
end

function methods.cents(self)
  local minor = parts("money:cents", self)
  return minor
end

-- Same as a.minor, for callers that prefer a method.
function methods.minor_units(self)
  local minor = parts("money:minor_units", self)
  return minor
end

-- "174.08": sign, integer part (grouped with commas when asked), and
-- exactly the currency's number of decimal places.
local function decimal_text(minor, code, grouping)
  local places = EXPONENTS[code]
  local digits = abs_digits(minor)
  if #digits <= places then digits = ("0"):rep(places + 1 - #digits) .. digits end
  local int, frac = digits:sub(1, #digits - places), digits:sub(#digits - places + 1)
  if grouping then int = int:reverse():gsub("(%d%d%d)", "%1,"):reverse():gsub("^,", "") end
  return (minor < 0 and "-" or ""), places > 0 and (int .. "." .. frac) or int
end

function methods.decimal(self)
  local minor, code = parts("money:decimal", self)
  local sign, number = decimal_text(minor, code, false)
  return sign .. number
end

-- The decimal text, as JSON wants an exact amount: "174.08".
function methods.tojson(self)
  local minor, code = parts("money:tojson", self)
  local sign, number = decimal_text(minor, code, false)
  return sign .. number
end

-- "$1,234.50", "-€3.00", "¥500", "12.00 CHF"; opts.symbol = false leaves
-- out symbol and code, opts.grouping = false leaves out the commas.
function methods.format(self, opts)
  local minor, code = parts("money:format", self)
  if opts ~= nil and type(opts) ~= "table" then
    error(("money:format: options must be a table, got %s"):format(describe(opts)), 2)
  end
  opts = opts or {}
  for k in pairs(opts) do
    if k ~= "symbol" and k ~= "grouping" then
      error(("money:format: unknown option %s (options: symbol, grouping)"):format(require("paysh.values").shown(k)), 2)
    end
  end
  local sign, number = decimal_text(minor, code, opts.grouping ~= false)
  if opts.symbol == false then return sign .. number end
  local symbol = SYMBOLS[code]
  if symbol then return sign .. symbol .. number end
  return sign .. number .. " " .. code
end

-- Both operands as amounts of one currency, or an error naming the verb.
local function pair(verb, a, b)
  local x, y = store[a], store[b]
  if not x or not y then
    local other = x and b or a
    error(("money: cannot %s money and %s; wrap numbers with money(), e.g. money(5) or money(\"0.50\")"):format(verb, describe(other)), 3)
  end
  if x[2] ~= y[2] then error(("money: cannot %s %s and %s"):format(verb, x[2], y[2]), 3) end
  return x[1], y[1], x[2]
end

function Money.__add(a, b)
  local x, y, code = pair("add", a, b)
  local r = add_int(x, y)
  if not r then error(("money: %s + %s overflows"):format(tostring(a), tostring(b)), 2) end
  return make(r, code)
end

function Money.__sub(a, b)
  local x, y, code = pair("subtract", a, b)
  local r = add_int(x, -y)
  if not r then error(("money: %s - %s overflows"):format(tostring(a), tostring(b)), 2) end
  return make(r, code)
end

function Money.__unm(a)
  local data = store[a]
  return make(-data[1], data[2])
end

function Money.__mul(a, b)
  if store[a] and store[b] then error("money: cannot multiply money by money", 2) end
  local amount, factor = a, b
  if not store[a] then amount, factor = b, a end
  local data = store[amount]
  local v, why = scale_mul(data[1], factor, "half_even")
  if not v then error(("money: cannot multiply %s by %s: %s"):format(tostring(amount), describe(factor), why), 2) end
  return make(v, data[2])
end

function Money.__div(a, b)
  if not store[a] then error(("money: cannot divide %s by money"):format(describe(a)), 2) end
  if store[b] then error("money: cannot divide money by money (divide by a number, or compare a:cents())", 2) end
  local data = store[a]
  local v, why = scale_div(data[1], b, "half_even")
  if not v then error(("money: cannot divide %s by %s: %s"):format(tostring(a), describe(b), why), 2) end
  return make(v, data[2])
end

function Money.__eq(a, b)
  local x, y = store[a], store[b]
  return x ~= nil and y ~= nil and x[1] == y[1] and x[2] == y[2]
end

function Money.__lt(a, b)
  local x, y = pair("compare", a, b)
  return x < y
end

function Money.__le(a, b)
  local x, y = pair("compare", a, b)
  return x <= y
end

function Money.__tostring(a)
  local data = store[a]
  local sign, number = decimal_text(data[1], data[2], false)
  return sign .. number .. " " .. data[2]
end

function Money.__concat(a, b)
  local left = store[a] and tostring(a) or a
  local right = store[b] and tostring(b) or b
  return left .. right
end

-- json.encode writes an amount as its decimal text ("174.08"), not as {}.
Money.__tojson = methods.tojson

-- How inspect() shows an amount: an expression that makes it again.
function Money.__inspect(a)
  return ('money("%s")'):format(tostring(a))
end

function Money.__index(a, key)
  if key == "minor" then return store[a][1] end
  if key == "currency" then return store[a][2] end
  return methods[key]
end

function Money.__newindex(_, key)
  local shown = type(key) == "string" and #key <= 40 and key:match("^[%a_][%w_]*$") or describe(key)
  error(("money: amounts are immutable (cannot set %s)"):format(shown), 2)
end

---------------------------------------------------------------------------
-- Functions over lists of amounts.

-- money.sum(list [, currency]) -> total; an empty list gives zero.
function M.sum(list, currency)
  if type(list) ~= "table" or store[list] then
    error(("money.sum: expected a list of amounts, got %s"):format(describe(list)), 2)
  end
  local code
  if currency ~= nil then
    local why
    code, why = check_currency(currency)
    if not code then error("money.sum: " .. why, 2) end
  end
  local total = 0
  for i = 1, #list do
    local data = store[list[i]]
    if not data then error(("money.sum: item %d is %s, not money"):format(i, describe(list[i])), 2) end
    code = code or data[2]
    if data[2] ~= code then error(("money.sum: item %d is in %s, expected %s"):format(i, data[2], code), 2) end
    total = add_int(total, data[1])
    if not total then error("money.sum: the total overflows", 2) end
  end
  if not code then
    local why
    code, why = currency_or_default(nil)
    if not code then error("money.sum: default_currency: " .. why, 2) end
  end
  return make(total, code)
end

-- The largest (or smallest) of the amounts given as arguments or as one list.
local function extreme(name, pick, ...)
  local list = { ... }
  if select("#", ...) == 1 and type(list[1]) == "table" and not store[list[1]] then list = list[1] end
  if #list == 0 then error(name .. ": expected at least one amount", 3) end
  local best
  for i = 1, #list do
    local data = store[list[i]]
    if not data then error(("%s: item %d is %s, not money"):format(name, i, describe(list[i])), 3) end
    if best and data[2] ~= store[best][2] then
      error(("%s: cannot compare %s and %s"):format(name, store[best][2], data[2]), 3)
    end
    if not best or pick(data[1], store[best][1]) then best = list[i] end
  end
  return best
end

function M.max(...)
  local m = extreme("money.max", function(a, b) return a > b end, ...)
  return m
end

function M.min(...)
  local m = extreme("money.min", function(a, b) return a < b end, ...)
  return m
end

return setmetatable(M, {
  __call = function(_, x, currency)
    local m, err = coerce("money", x, currency)
    if not m then error(err, 2) end
    return m
  end,
})
