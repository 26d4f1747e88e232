-- Write a JSON list of Lumyri-style invoices, deterministically.
-- usage: lua5.4 json-generate.lua OUT [COUNT]
-- The shape follows the Invoice example of the Lumyri payments API notes:
-- ids, company and bill-to ids, a nullable payment id, billing period dates,
-- status, method, usage detail lines, amounts as strings, metadata (null or
-- an object), and timestamps. Ids, amounts, dates and statuses vary.
local out_path, count = arg[1], tonumber(arg[2] or "50000")
assert(out_path, "usage: json-generate.lua OUT [COUNT]")

-- A small linear congruential generator: the same bytes on every machine and Lua build.
local state = 20230201
local function rand(n)
  state = (state * 1103515245 + 12345) % 2147483648
  return (state // 65536) % n
end

local hex = "0123456789abcdef"
local function hexes(n)
  local t = {}
  for i = 1, n do
    local k = rand(16) + 1
    t[i] = hex:sub(k, k)
  end
  return table.concat(t)
end
local function uuid()
  return hexes(8) .. "-" .. hexes(4) .. "-4" .. hexes(3) .. "-" .. hexes(4) .. "-" .. hexes(12)
end

local services = {
  { "route", "Direction API" }, { "search", "Address Autofill" }, { "reverse", "Permanent Geocoding" },
  { "tile", "Tilesets" }, { "trip", "Direction API" }, { "matrix", "Matrix API" }, { "static", "Static Images" },
}
local statuses = { "Processing", "Succeeded", "Succeeded", "Succeeded", "Failed" }
local methods = { "Card", "Card", "Card", "paypal" }
local regions = { "us-east", "eu-west", "ap-south" }
local currencies = { "USD", "USD", "USD", "EUR", "GBP" }

local function date(day_index)
  local year = 2023 + day_index // 336
  local month = (day_index // 28) % 12 + 1
  local day = day_index % 28 + 1
  return string.format("%04d-%02d-%02d", year, month, day)
end

local function quote(s) return '"' .. s .. '"' end

local function detail(currency)
  local service = services[rand(#services) + 1]
  local requests = rand(4) == 0 and 0 or rand(50000)
  local cents = requests * 8
  local amount = cents == 0 and "0" or string.format("%d.%02d", cents // 100, cents % 100)
  return string.format('{"path":%s,"title":%s,"amount":%s,"currency":%s,"totalRequest":%s}',
    quote(service[1]), quote(service[2]), amount, quote(currency), quote(tostring(requests))), cents
end

local function invoice(i)
  local currency = currencies[rand(#currencies) + 1]
  local lines, sub = {}, 0
  for k = 1, 3 + rand(3) do
    local text, cents = detail(currency)
    lines[k] = text
    sub = sub + cents
  end
  local tax = sub * (rand(3) * 5) // 100
  local function money(c) return quote(string.format("%d.%02d", c // 100, c % 100)) end
  local start = rand(700)
  local metadata = "null"
  if rand(3) == 0 then
    metadata = string.format('{"orderRef":%s,"region":%s,"attempt":%d}',
      quote("ord_" .. hexes(10)), quote(regions[rand(#regions) + 1]), rand(4) + 1)
  end
  local stamp = date(start) .. string.format("T%02d:%02d:%02d.000Z", rand(24), rand(60), rand(60))
  return string.format(
    '{"id":%s,"companyId":%s,"billToId":%s,"paymentId":%s,"startAt":%s,"endAt":%s,"status":%s,"method":%s,' ..
    '"details":[%s],"subTotal":%s,"tax":%s,"total":%s,"metadata":%s,"createdAt":%s,"updatedAt":%s}',
    quote(uuid()), quote(uuid()), quote(uuid()), rand(4) == 0 and "null" or quote(uuid()),
    quote(date(start) .. "T00:00:00.000Z"), quote(date(start + 27) .. "T00:00:00.000Z"),
    quote(statuses[rand(#statuses) + 1]), quote(methods[rand(#methods) + 1]),
    table.concat(lines, ","), money(sub), money(tax), money(sub + tax), metadata, quote(stamp), quote(stamp))
end

local f = assert(io.open(out_path, "wb"))
f:write("[\n")
for i = 1, count do
  f:write(invoice(i), i < count and ",\n" or "\n")
end
f:write("]\n")
f:close()
