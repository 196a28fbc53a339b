import { idleGraceMs } from './shared-state.ts';
import { luaFormatNumber, RedisScript } from './redis-script.ts';

/*
 * The arithmetic of token-bucket.ts in Lua, step for step, so Redis and the other backings agree to the
 * last bit. A bucket is a hash { t = tokens, u = updatedAt }. KEYS are the buckets of the charges (a key
 * may repeat); ARGV is now, then capacity, refillPerSecond and amount for each charge.
 * A bucket expires once it would be full again (plus a grace for clock skew): a full bucket and a
 * missing one are the same. A bucket that never refills is a quota and does not expire.
 */
const loadAndRefill = `${luaFormatNumber}
local now = tonumber(ARGV[1])
-- Redis passes numbers to commands with 14 digits: a longer TTL would not read as an integer.
local maxTtlMs = 1e12
local tokens, updated = {}, {}
local function charge(index)
  local base = index * 3 - 1
  return tonumber(ARGV[base]), tonumber(ARGV[base + 1]), tonumber(ARGV[base + 2])
end
local function refill(key, capacity, rate)
  if tokens[key] == nil then
    local stored = redis.call('HMGET', key, 't', 'u')
    if stored[1] then
      tokens[key], updated[key] = tonumber(stored[1]), tonumber(stored[2])
    else
      tokens[key], updated[key] = capacity, now
    end
  end
  local elapsed = now - updated[key]
  if elapsed > 0 then
    tokens[key] = math.min(capacity, tokens[key] + (elapsed / 1000) * rate)
    updated[key] = now
  else
    tokens[key] = math.min(capacity, tokens[key])
  end
end
local function save(key, capacity, rate)
  redis.call('HSET', key, 't', fmt(tokens[key]), 'u', fmt(updated[key]))
  if rate > 0 then
    redis.call('PEXPIRE', key, math.min(maxTtlMs, math.ceil(math.max(0, capacity - tokens[key]) / rate * 1000) + ${idleGraceMs}))
  else
    redis.call('PERSIST', key)
  end
end
`;

/** Returns { 1 or 0, retryAfterSeconds, remaining... } with the numbers formatted by fmt. */
export const consumeScript = new RedisScript(`${loadAndRefill}
local count = #KEYS
local remaining = {}
for index = 1, count do
  local capacity, rate = charge(index)
  refill(KEYS[index], capacity, rate)
  remaining[index] = tokens[KEYS[index]]
end
for index = 1, count do
  local _, _, amount = charge(index)
  tokens[KEYS[index]] = tokens[KEYS[index]] - amount
end
local allowed, wait = true, 0
for index = 1, count do
  local left = tokens[KEYS[index]]
  if left < 0 then
    allowed = false
    local capacity, rate, amount = charge(index)
    if rate <= 0 or amount > capacity then wait = math.huge else wait = math.max(wait, -left / rate) end
  end
end
local reply = { 0, fmt(wait) }
if allowed then
  reply[1] = 1
  for index = 1, count do
    local capacity, rate = charge(index)
    remaining[index] = tokens[KEYS[index]]
    save(KEYS[index], capacity, rate)
  end
end
for index = 1, count do reply[index + 2] = fmt(remaining[index]) end
return reply
`);

export const adjustScript = new RedisScript(`${loadAndRefill}
for index = 1, #KEYS do
  local capacity, rate, amount = charge(index)
  refill(KEYS[index], capacity, rate)
  tokens[KEYS[index]] = math.min(capacity, tokens[KEYS[index]] + amount)
end
for index = 1, #KEYS do
  local capacity, rate = charge(index)
  save(KEYS[index], capacity, rate)
end
return 1
`);
