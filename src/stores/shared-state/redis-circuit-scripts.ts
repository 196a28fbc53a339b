import { luaFormatNumber, RedisScript } from './redis-script.ts';
import { idleGraceMs, windowSlices } from './shared-state.ts';

/*
 * The state machine of circuit-record.ts in Lua. A circuit is a hash: o = openedAt (absent while
 * closed), c = consecutive failures, p = probes, ps = probesSince, and e<i>, s<i>, f<i> = epoch,
 * successes and failures of window slice i. ARGV starts with now and the policy (consecutiveFailures,
 * failureRateThreshold, minimumRequests, windowMs, openMs, halfOpenProbes). A circuit left alone for
 * max(windowMs, openMs) plus a grace expires: it reads closed, with no counts, as a new one would.
 * A state goes back as { phase, openedAt or '', consecutive, windowSuccesses, windowFailures }.
 */
const prelude = `${luaFormatNumber}
local now = tonumber(ARGV[1])
local policy = {
  consecutive = tonumber(ARGV[2]), threshold = tonumber(ARGV[3]), minimum = tonumber(ARGV[4]),
  windowMs = tonumber(ARGV[5]), openMs = tonumber(ARGV[6]), probes = tonumber(ARGV[7]),
}
local slices = ${windowSlices}
local epoch = math.floor(now / (policy.windowMs / slices))
local idleMs = math.min(1e12, math.ceil(math.max(policy.windowMs, policy.openMs)) + ${idleGraceMs})
local function load(key)
  local fields = redis.call('HGETALL', key)
  local state = {}
  for index = 1, #fields, 2 do state[fields[index]] = tonumber(fields[index + 1]) end
  state.c = state.c or 0
  state.p = state.p or 0
  state.ps = state.ps or 0
  return state
end
local function save(key, state)
  redis.call('DEL', key)
  local fields = {}
  for field, value in pairs(state) do
    fields[#fields + 1] = field
    fields[#fields + 1] = fmt(value)
  end
  redis.call('HSET', key, unpack(fields))
  redis.call('PEXPIRE', key, idleMs)
end
local function phase(state)
  if state.o == nil then return 'closed' end
  if now - state.o >= policy.openMs then return 'half-open' end
  return 'open'
end
local function window(state)
  local successes, failures = 0, 0
  for slice = 0, slices - 1 do
    local sliceEpoch = state['e' .. slice]
    if sliceEpoch ~= nil and sliceEpoch > epoch - slices and sliceEpoch <= epoch then
      successes = successes + state['s' .. slice]
      failures = failures + state['f' .. slice]
    end
  end
  return successes, failures
end
local function view(state)
  local successes, failures = window(state)
  local openedAt = ''
  if state.o ~= nil then openedAt = fmt(state.o) end
  return { phase(state), openedAt, state.c, successes, failures }
end
`;

export const readCircuitScript = new RedisScript(`${prelude}
return view(load(KEYS[1]))
`);

/**
 * Returns 1 when admitted. Runs before every request, so it reads only the three fields it needs, and
 * writes (two fields) only when it takes a probe slot.
 */
export const admitCircuitScript = new RedisScript(`${prelude}
-- HMGET answers false for a missing field.
local stored = redis.call('HMGET', KEYS[1], 'o', 'p', 'ps')
if not stored[1] then return 1 end
if now - tonumber(stored[1]) < policy.openMs then return 0 end
local probes, since = 0, 0
if stored[2] then probes = tonumber(stored[2]) end
if stored[3] then since = tonumber(stored[3]) end
if probes > 0 and now - since >= policy.openMs then probes = 0 end
if probes >= policy.probes then return 0 end
if probes == 0 then since = now end
redis.call('HSET', KEYS[1], 'p', probes + 1, 'ps', fmt(since))
redis.call('PEXPIRE', KEYS[1], idleMs)
return 1
`);

/** KEYS: the circuit, the index of circuits. ARGV[8]: the outcome; ARGV[9]: the deployment's name. */
export const recordCircuitScript = new RedisScript(`${prelude}
local state = load(KEYS[1])
local current = phase(state)
local slice = epoch % slices
if state['e' .. slice] ~= epoch then
  state['e' .. slice], state['s' .. slice], state['f' .. slice] = epoch, 0, 0
end
local function open()
  state.o, state.p, state.ps = now, 0, 0
end
if ARGV[8] == 'success' then
  state['s' .. slice] = state['s' .. slice] + 1
  if current == 'half-open' then
    state = { c = 0, p = 0, ps = 0 }
  else
    state.c = 0
  end
else
  state['f' .. slice] = state['f' .. slice] + 1
  state.c = state.c + 1
  if current == 'half-open' then open() end
  if current == 'closed' then
    local successes, failures = window(state)
    local total = successes + failures
    if state.c >= policy.consecutive or (total >= policy.minimum and failures / total >= policy.threshold) then open() end
  end
end
save(KEYS[1], state)
redis.call('SADD', KEYS[2], ARGV[9])
if redis.call('PTTL', KEYS[2]) < idleMs then redis.call('PEXPIRE', KEYS[2], idleMs) end
return view(state)
`);

/**
 * KEYS: the index of circuits. ARGV[8]: the prefix of circuit keys. Returns name, then the state, for
 * each circuit; a circuit whose hash has expired is dropped from the index.
 */
export const listCircuitsScript = new RedisScript(`${prelude}
local reply = {}
for _, name in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local key = ARGV[8] .. name
  if redis.call('EXISTS', key) == 1 then
    reply[#reply + 1] = name
    for _, value in ipairs(view(load(key))) do reply[#reply + 1] = value end
  else
    redis.call('SREM', KEYS[1], name)
  end
end
return reply
`);
