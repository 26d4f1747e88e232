-- Makes a Lumyri card the company's default card (the one invoices are charged to).
--
-- Usage: paysh scripts/examples/rotate_default_card.lua [NEW_CARD_ID]
--
-- Notes:
--   * With NEW_CARD_ID, that card becomes the default. Without it, the newest
--     card that is not the default and has not expired is chosen.
--   * The card keeps its expiry date: the update sends the card's current
--     expMonth/expYear with isDefault = true.
--   * Adding a card needs its number typed at the terminal, so this script
--     only works with cards already on file (lumyri.create_card adds one).
--   * Safe to re-run: when the card is already the default, nothing is sent.
--   * Prints the default card before and after.
local given = ...

local function describe(card)
  if not card then return "(none)" end
  return ("%s  %s  %02d/%d  %s"):format(card.id, card.info.cardNumber, card.info.expMonth, card.info.expYear,
    card.info.cardName)
end

local function expired(card)
  local now = os.date("!*t")
  return card.info.expYear < now.year or (card.info.expYear == now.year and card.info.expMonth < now.month)
end

local cards = lumyri.cards():all()
local current, target
for _, card in ipairs(cards) do
  if card.isDefault then current = card end
  if given and card.id == given then target = card end
end

if given and not target then
  io.stderr:write(("rotate_default_card: no card %s on file (%d cards)\n"):format(given, #cards))
  os.exit(3)
end
if not given then
  for _, card in ipairs(cards) do -- newest first
    if not card.isDefault and not expired(card) then target = card break end
  end
  if not target then
    io.stderr:write("rotate_default_card: no other unexpired card to make the default\n")
    os.exit(3)
  end
end

print("before: " .. describe(current))
if target.isDefault then
  print("after:  " .. describe(target) .. "  (already the default; nothing changed)")
  return
end
if expired(target) then
  io.stderr:write(("rotate_default_card: card %s expired %02d/%d; the API refuses it as the default\n")
    :format(target.id, target.info.expMonth, target.info.expYear))
  os.exit(3)
end

local updated = lumyri.update_card(target.id, {
  info = { expMonth = target.info.expMonth, expYear = target.info.expYear },
  isDefault = true,
})

if updated.dry_run then
  print("after:  " .. describe(target) .. "  (dry run: not sent)")
  return
end
local now_default
for _, card in ipairs(lumyri.cards():all()) do
  if card.isDefault then now_default = card end
end
print("after:  " .. describe(now_default))
if not now_default or now_default.id ~= target.id then
  io.stderr:write("rotate_default_card: the API still shows another default card\n")
  os.exit(1)
end
