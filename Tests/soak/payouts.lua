-- The soak's payout rows, shared by the long-lived workload and the batches
-- the soak kills: the same name and count give the same keys, payees and
-- amounts on every run, so that a batch taken up again sees the same items.
-- A few payees per batch keep each payee's list short (a payout's
-- reference is looked up among its payee's payouts).
return function(name, count)
  local rows = {}
  for i = 1, count do
    rows[i] = { key = "k" .. i, email = ("%s-%d@example.com"):format(name, i % 5), cents = 100 + (i * 37) % 5000 }
  end
  return rows
end
