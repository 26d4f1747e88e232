-- What the sandbox holds at the end of the soak, read through its APIs with
-- the faults cleared: every payout carrying a soak reference and every
-- invoice of the sandbox company, as tab-separated lines.
--   paysh census.lua PAYOUTS_FILE INVOICES_FILE
local out = assert(io.open(arg[1], "w"))
local payouts = 0
for p in lumanu.payouts { page_size = 100 } do
  for _, f in ipairs(p.custom_fields or {}) do
    if f.name == "paysh_ref" and f.value:sub(1, 5) == "soak-" then
      out:write(p.id, "\t", f.value, "\t", tostring(p.amount), "\n")
      payouts = payouts + 1
    end
  end
end
out:close()
out = assert(io.open(arg[2], "w"))
local invoices = 0
for inv in lumyri.invoices { perPage = 100 } do
  out:write(inv.id, "\t", tostring(inv.status), "\t", tostring(inv.paymentId), "\n")
  invoices = invoices + 1
end
out:close()
print(("census payouts=%d invoices=%d"):format(payouts, invoices))
