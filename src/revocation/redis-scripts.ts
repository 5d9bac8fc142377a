/*
 * Lua run by the Redis store. Every key a script touches shares the `{namespace}` hash tag, so each
 * call is legal (one slot) and atomic on Redis Cluster too. Values are decimal Unix seconds.
 */

/** The error a script answers for an entry it cannot store, before it wrote anything. */
export const INVALID_ENTRY = 'jot: invalid revocation entry';

/**
 * KEYS: one key per jti. ARGV: expiresAt_i, ttlMs_i for each key, then the channel and the message.
 * Checks every entry first (a number, and a TTL of at most 15 decimal digits, which SET PX always accepts), so a bad
 * entry refuses the whole call before any write, never after some; then raises each key's expiry (never lowers it)
 * and publishes the batch in the same atomic step.
 */
export const ADD_JTIS = `
local n = #KEYS
for i = 1, n do
  local exp, ttl = tonumber(ARGV[2 * i - 1]), ARGV[2 * i]
  if exp == nil or exp ~= exp or exp == math.huge or exp == -math.huge
    or not string.match(ttl, '^[1-9]%d*$') or #ttl > 15 then
    return redis.error_reply('${INVALID_ENTRY} ' .. i)
  end
end
for i = 1, n do
  local exp, ttl = ARGV[2 * i - 1], ARGV[2 * i]
  if not redis.call('SET', KEYS[i], exp, 'PX', ttl, 'NX') then
    local cur = tonumber(redis.call('GET', KEYS[i]))
    if cur == nil or cur < tonumber(exp) then
      redis.call('SET', KEYS[i], exp, 'PX', ttl)
    end
  end
end
redis.call('PUBLISH', ARGV[2 * n + 1], ARGV[2 * n + 2])
return n
`;

/**
 * KEYS: the subject hash. ARGV: sub, cutoff, expiresAt, channel, message.
 * Stores "cutoff expiresAt", each the larger of the old and new value, and publishes.
 */
export const SET_SUBJECT = `
local c, e = ARGV[2], ARGV[3]
local cur = redis.call('HGET', KEYS[1], ARGV[1])
if cur then
  local sp = string.find(cur, ' ', 1, true)
  if sp then
    local oc, oe = string.sub(cur, 1, sp - 1), string.sub(cur, sp + 1)
    if (tonumber(oc) or -1/0) > tonumber(c) then c = oc end
    if (tonumber(oe) or -1/0) > tonumber(e) then e = oe end
  end
end
redis.call('HSET', KEYS[1], ARGV[1], c .. ' ' .. e)
redis.call('PUBLISH', ARGV[4], ARGV[5])
return c .. ' ' .. e
`;

/** KEYS: the subject hash. ARGV: now, then fields. Deletes the fields whose expiry is before now. */
export const PURGE_SUBJECTS = `
local now, n = tonumber(ARGV[1]), 0
for i = 2, #ARGV do
  local v = redis.call('HGET', KEYS[1], ARGV[i])
  if v then
    local sp = string.find(v, ' ', 1, true)
    local e = sp and tonumber(string.sub(v, sp + 1))
    if e and e < now then
      redis.call('HDEL', KEYS[1], ARGV[i])
      n = n + 1
    end
  end
end
return n
`;

/** Parses a subject hash value "cutoff expiresAt". */
export function parseCutoff(value: unknown): { cutoff: number; expiresAt: number } | undefined {
  if (typeof value !== 'string') return undefined;
  const sp = value.indexOf(' ');
  const cutoff = Number(value.slice(0, sp));
  const expiresAt = Number(value.slice(sp + 1));
  return sp > 0 && Number.isFinite(cutoff) && Number.isFinite(expiresAt) ? { cutoff, expiresAt } : undefined;
}
