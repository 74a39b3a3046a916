/**
 * One atomic check of several token buckets (KEYS), each allowing ARGV[i]
 * requests a minute with a burst of the same size. Time is Redis's own (TIME),
 * so API processes with skewed clocks still agree. A refused request takes no
 * token. Each bucket expires once it would have refilled completely: a missing
 * bucket is a full one.
 *
 * Returns { allowed (1|0), ms until every bucket has a token, then per bucket:
 * whole tokens left, ms until its next whole token }.
 */
export const RATE_LIMIT_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local levels, rates, bursts = {}, {}, {}
local allowed, wait = 1, 0
for i = 1, #KEYS do
  local burst = tonumber(ARGV[i])
  local rate = burst / 60000
  local state = redis.call('HMGET', KEYS[i], 'tokens', 'at')
  local level, at = tonumber(state[1]), tonumber(state[2])
  if level == nil or at == nil then level, at = burst, now end
  level = math.min(burst, level + math.max(0, now - at) * rate)
  levels[i], rates[i], bursts[i] = level, rate, burst
  if level < 1 then
    allowed = 0
    wait = math.max(wait, (1 - level) / rate)
  end
end
local out = { allowed, math.ceil(wait) }
for i = 1, #KEYS do
  if allowed == 1 then levels[i] = levels[i] - 1 end
  redis.call('HSET', KEYS[i], 'tokens', tostring(levels[i]), 'at', string.format('%.0f', now))
  redis.call('PEXPIRE', KEYS[i], math.ceil((bursts[i] - levels[i]) / rates[i]) + 1000)
  local whole = math.floor(levels[i])
  out[#out + 1] = math.max(0, whole)
  out[#out + 1] = math.ceil((1 - (levels[i] - whole)) / rates[i])
end
return out
`;
