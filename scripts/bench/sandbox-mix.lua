-- wrk script for scripts/bench/sandbox: a read-heavy mix over the three
-- services, each request with its own service's credentials. wrk passes
-- the Lumanu token and workspace as script arguments.
local lumanu_token, workspace
local requests = {}
local n = 0

function init(args)
  lumanu_token, workspace = args[1], args[2]
  local function add(path, token, weight)
    for _ = 1, weight do
      requests[#requests + 1] = wrk.format("GET", path, { Authorization = "Bearer " .. token, Accept = "application/json" })
    end
  end
  add("/lumyri/payments/orders/4e872310-58fb-40bf-9494-68731fb3d6b4", "lumyri_sandbox_token", 3)
  add("/lumyri/payments/orders?page=1&perPage=10", "lumyri_sandbox_token", 2)
  add("/lumyri/payments/cards", "lumyri_sandbox_token", 1)
  add("/lumen/v1/payments/pay_123", "sk_sandbox_merchant_acme", 2)
  add("/lumanu/api/rest/payouts?workspace_id=" .. workspace .. "&limit=10", lumanu_token, 2)
end

function request()
  n = n % #requests + 1
  return requests[n]
end

local bad = 0
function response(status)
  if status ~= 200 then bad = bad + 1 end
end

function done(summary, latency)
  io.write(string.format("WRK %d %.3f %.3f %.3f %d\n", summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, summary.errors.status + summary.errors.connect + summary.errors.read))
end
