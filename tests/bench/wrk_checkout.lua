-- wrk: checkouts of one SKU by buyers taken in turn from a token file.
-- Arguments: SKU_ID TOKEN_FILE NONCE (the nonce keeps idempotency keys unique per run).
local tokens = {}
local sku, nonce
local n = 0
function init(args)
  sku, nonce = args[1], args[3]
  for line in io.lines(args[2]) do table.insert(tokens, line) end
end
function request()
  n = n + 1
  local token = tokens[((id * 7919 + n) % #tokens) + 1]
  local body = string.format(
    '{"idempotency_key": "%s-%d-%d", "items": [{"sku_id": %s, "quantity": 1}], ' ..
    '"consignee": {"name": "压测", "phone": "13900000000", "address": "沁水县龙港镇"}}',
    nonce, id, n, sku)
  return wrk.format("POST", "/api/v1/orders/checkouts",
    {["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json"}, body)
end
