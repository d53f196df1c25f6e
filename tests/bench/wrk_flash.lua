-- wrk: flash-sale buys by buyers taken in turn from a token file, one tap each.
-- Arguments: SALE_ID TOKEN_FILE NONCE.
local tokens = {}
local sale, nonce
local n = 0
function init(args)
  sale, nonce = args[1], args[3]
  for line in io.lines(args[2]) do table.insert(tokens, line) end
end
function request()
  n = n + 1
  local token = tokens[((id * 7919 + n) % #tokens) + 1]
  local body = string.format(
    '{"idempotency_key": "%s-%d-%d", "quantity": 1, ' ..
    '"consignee": {"name": "压测", "phone": "13900000000", "address": "沁水县龙港镇"}}',
    nonce, id, n)
  return wrk.format("POST", "/api/v1/promotions/flash-sales/" .. sale .. "/buy",
    {["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json"}, body)
end
