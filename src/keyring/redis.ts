import { randomUUID } from 'node:crypto';
import { isObject } from '../encoding/json.js';
import { err, JotError } from '../errors.js';
import { checkLockTtl, checkSaveArgs, type KeyRingStore, type StoredKeyRing } from '../keyset/keyring-store.js';
import { callerError, callerRead, snapshot } from '../options.js';
import { type Connection, connect, type RedisTarget } from '../revocation/redis-conn.js';

/** Options of {@link redisKeyRingStore}. */
export interface RedisKeyRingStoreOptions {
  /** Key namespace and hash tag (default `jot`): hash `{ns}:keyring:<name>`, lock `...:lock`, channel `...:changes`. */
  namespace?: string;
  /** Which ring (default `default`). */
  name?: string;
  /** Longest wait for one command, ms (default 5000). */
  commandTimeoutMs?: number;
}

const NAME = /^[A-Za-z0-9_.-]{1,64}$/;

/** KEYS: ring hash. ARGV: expected version, data, channel. Compare-and-set, then publish the new version. */
const SAVE = `
local v = tonumber(redis.call('HGET', KEYS[1], 'v') or '0')
if v ~= tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'v', v + 1, 'd', ARGV[2])
redis.call('PUBLISH', ARGV[3], tostring(v + 1))
return 1
`;
/** KEYS: lock. ARGV: owner. Deletes the lock only when this owner still holds it. */
const UNLOCK = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

const unavailable = (cause: unknown) =>
  cause instanceof JotError ? cause : err('ERR_KEYRING_STORE_UNAVAILABLE', 'the Redis key ring store failed', cause);

/** The target read once: exactly one of `url`, `rootNodes` (strings) or `client` (an object). */
function checkTarget(input: unknown): RedisTarget {
  if (isObject(input)) {
    const target = snapshot(input, 'redisKeyRingStore() target');
    const { url, rootNodes, client } = target;
    const n = Number(url !== undefined) + Number(rootNodes !== undefined) + Number(client !== undefined);
    if (n === 1 && typeof url === 'string') return { url };
    if (n === 1 && isObject(client)) return { client } as RedisTarget;
    if (n === 1 && Array.isArray(rootNodes)) {
      const nodes = callerRead(() => [...(rootNodes as unknown[])], 'rootNodes');
      if (nodes.length > 0 && nodes.every((u) => typeof u === 'string')) return { rootNodes: nodes } as RedisTarget;
    }
  }
  throw err('ERR_INVALID_OPTION', 'redisKeyRingStore() needs one of { url }, { rootNodes } or { client }');
}

function timed<T>(p: Promise<T>, ms: number): Promise<T> {
  let t: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    t = setTimeout(() => reject(err('ERR_KEYRING_STORE_UNAVAILABLE', 'Redis did not answer in time')), ms);
  });
  return Promise.race([p, timeout])
    .catch((e: unknown) => {
      throw unavailable(e);
    })
    .finally(() => clearTimeout(t));
}

/**
 * A key ring on Redis (standalone or Cluster, node-redis v5 as an optional peer dependency) shared by several
 * issuer instances: the ring is one hash (version + sealed document) written by a compare-and-set script; the
 * rotation lock is a key with an expiry (SET NX PX), released only by its owner; every save is published so
 * that the other instances reload at once (they also poll on their maintenance timer). Arguments are checked
 * before any connection is made (`ERR_INVALID_OPTION`); the connection opens on first use.
 *
 * @example
 * ```ts
 * import { createKeyRing, redisKeyRingStore } from 'jotjs/keyring';
 * const store = redisKeyRingStore({ url: 'redis://127.0.0.1:6379' }, { namespace: 'idp', name: 'signing' });
 * const ring = createKeyRing({ alg: 'ES256', passphrase: 'a long passphrase from a secret store', store });
 * await ring.ready();
 * ```
 */
export function redisKeyRingStore(target: RedisTarget, options?: RedisKeyRingStoreOptions): KeyRingStore {
  try {
    return open(checkTarget(target), snapshot(options, 'redisKeyRingStore() options'));
  } catch (e) {
    throw callerError(e);
  }
}

const OPTION_NAMES = new Set(['namespace', 'name', 'commandTimeoutMs']);

function open(target: RedisTarget, options: RedisKeyRingStoreOptions): KeyRingStore {
  for (const n in options) if (!OPTION_NAMES.has(n)) throw err('ERR_INVALID_OPTION', `unknown option "${n}"`);
  const ns = options.namespace ?? 'jot';
  const name = options.name ?? 'default';
  if (typeof ns !== 'string' || !NAME.test(ns) || typeof name !== 'string' || !NAME.test(name)) {
    throw err('ERR_INVALID_OPTION', 'namespace and name must match [A-Za-z0-9_.-]');
  }
  const ms = options.commandTimeoutMs ?? 5000;
  if (!Number.isSafeInteger(ms) || ms <= 0)
    throw err('ERR_INVALID_OPTION', 'commandTimeoutMs must be a positive integer');
  const key = `{${ns}}:keyring:${name}`;
  const lockKey = `${key}:lock`;
  const channel = `${key}:changes`;
  const conn: Connection = connect(target, { connectTimeoutMs: ms });
  const watchers = new Set<() => void>();
  const onMessage = (): void => {
    for (const w of watchers) w();
  };
  let opened: Promise<void> | undefined;
  let closed = false;
  let waitAof = true;
  const ready = (): Promise<void> => {
    if (closed) return Promise.reject(err('ERR_KEYRING_STORE_UNAVAILABLE', 'the Redis key ring store is closed'));
    opened ??= timed(conn.open(channel, onMessage), ms).catch((e) => {
      opened = undefined;
      throw e;
    });
    return opened;
  };
  const exec = async (args: string[]): Promise<unknown> => {
    await ready();
    return timed(conn.exec(key, args), ms);
  };
  return {
    persistent: true,
    async load(): Promise<StoredKeyRing | undefined> {
      const reply = (await exec(['HMGET', key, 'v', 'd'])) as [unknown, unknown];
      if (reply[0] === null || reply[0] === undefined) return undefined;
      const version = Number(reply[0]);
      if (!Number.isSafeInteger(version) || typeof reply[1] !== 'string') {
        throw err('ERR_KEY_INVALID', 'malformed key ring in Redis');
      }
      return { version, data: reply[1] };
    },
    async save(data, expected) {
      checkSaveArgs(data, expected);
      if (Number(await exec(['EVAL', SAVE, '1', key, String(expected), data, channel])) !== 1) return false;
      // On disk before the ring relies on it (a revoked key must not come back after a Redis restart), where the
      // server has WAITAOF (Redis 7.2+) and an append-only file; otherwise the server's own settings decide.
      if (waitAof) {
        try {
          await exec(['WAITAOF', '1', '0', String(Math.max(1, ms - 100))]);
        } catch (e) {
          if (!/unknown command|appendonly/i.test(String((e as JotError).cause ?? e))) throw e;
          waitAof = false;
        }
      }
      return true;
    },
    async lock(ttlMs) {
      const ttl = checkLockTtl(ttlMs);
      const owner = randomUUID();
      const ok = await exec(['SET', lockKey, owner, 'NX', 'PX', String(ttl)]);
      if (ok !== 'OK') return undefined;
      return async () => {
        await exec(['EVAL', UNLOCK, '1', lockKey, owner]);
      };
    },
    watch(onChange) {
      if (typeof onChange !== 'function') throw err('ERR_INVALID_OPTION', 'watch() needs a function');
      watchers.add(onChange);
      ready().catch(() => {}); // subscribe now; failures surface on the next command
    },
    async close() {
      if (closed) return;
      closed = true;
      watchers.clear();
      await conn.close(channel, onMessage);
    },
  };
}
