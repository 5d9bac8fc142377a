import { isObject } from '../encoding/json.js';
import { JotError, err } from '../errors.js';
import { callerRead, snapshot } from '../options.js';
import { GroupCommit } from './batch.js';
import { checkEntriesArgs, type RevocationEntriesOptions, type RevocationEntry } from './entries.js';
import { LOOKUP_SYNC, type LookupSync, type LookupTable, tableLookup } from './lookup.js';
import { hashEntries, LiveCache, type Timing, timed, unavailable } from './redis-cache.js';
import { type Connection, connect, type RedisTarget } from './redis-conn.js';
import { redisEntries } from './redis-entries.js';
import { ADD_JTIS, INVALID_ENTRY, PURGE_SUBJECTS, parseCutoff, SET_SUBJECT } from './redis-scripts.js';
import { checkReplayArgs, type ReplayStore } from './replay.js';
import { redisInsertOnce } from './replay-redis.js';
import type { RevocationStore } from './types.js';
import {
  checkJtiEntry,
  checkKidEntry,
  checkLookup,
  checkSubjectEntry,
  instant,
  MAX_TIMER,
  seconds,
} from './validate.js';

export type { RedisTarget } from './redis-conn.js';

/** Options of {@link redisStore}. Durations are in seconds. */
export interface RedisStoreOptions {
  /** Key namespace and hash tag: keys `{ns}:jti:<jti>`, hash `{ns}:sub`, channel `{ns}:revocations`. Default `jot`. */
  namespace?: string;
  /**
   * How a write is made durable before `revoke()` resolves. `'auto'` (default): `WAITAOF 1 0` where the
   * server has it (Redis 7.2+), else the server must report `appendonly yes` and `appendfsync always`
   * (checked with CONFIG GET when allowed). `'waitaof'`: require WAITAOF. `'server'`: trust the server.
   */
  durability?: 'auto' | 'waitaof' | 'server';
  /** Longest wait for one command before the store counts as unavailable. Default 5. */
  commandTimeout?: number;
  /** Longest wait in `ready()` for the first connection and load. Default 10. */
  connectTimeout?: number;
  /** Interval of the PING that proves the subscription is alive. Default 1. */
  heartbeatInterval?: number;
  /** Lookups fail closed when nothing was heard from the subscription for this long. Default 3. */
  maxStaleness?: number;
  /**
   * Interval of a full reload while connected, a safety net for messages lost without a disconnect
   * (a Cluster bus partition). 0 disables it. Default 300.
   */
  resyncInterval?: number;
}

/** A {@link RevocationStore} on Redis, answering lookups from a local cache kept fresh by pub/sub. */
export interface RedisStore extends RevocationStore, ReplayStore {
  /** Synchronous {@link RevocationStore.hasJti}, from the local cache; throws while the cache may be stale. */
  hasJtiSync(jti: string, now: number): boolean;
  /** Synchronous {@link RevocationStore.getSubjectCutoff}, from the local cache; throws while it may be stale. */
  getSubjectCutoffSync(sub: string, now: number): number | undefined;
  /** Records a signing key's `kid` as revoked until `expiresAt` (for `revokeKey`). */
  addKid(kid: string, expiresAt: number, now: number): Promise<void>;
  /** Is the key `kid` revoked and unexpired at `now`? */
  hasKid(kid: string, now: number): Promise<boolean>;
  /** Synchronous {@link RevocationStore.hasKid}, from the local cache; throws while it may be stale. */
  hasKidSync(kid: string, now: number): boolean;
  /** Resolves once connected, subscribed and the local cache is loaded. */
  ready(): Promise<void>;
  /** The unexpired entries at `now`, read from Redis with SCAN/HSCAN, not from the cache (see {@link RevocationStore.entries}). */
  entries(now: number, options?: RevocationEntriesOptions): AsyncIterableIterator<RevocationEntry>;
  /** Entries in the local cache, expired ones not yet purged included. */
  readonly cacheSize: number;
}

interface PendingJti {
  jti: string;
  expiresAt: number;
  now: number;
}

const NAMESPACE = /^[A-Za-z0-9_.-]{1,64}$/;

/**
 * The batch script refuses a batch holding an entry it cannot store before writing anything (ADD_JTIS): that is
 * ERR_INVALID_OPTION, which makes the group commit retry each entry alone, so only the bad one fails.
 */
function refusedEntry(e: unknown): never {
  const cause = e instanceof JotError ? e.cause : e;
  if (String((cause as Error | undefined)?.message).includes(INVALID_ENTRY)) {
    throw err('ERR_INVALID_OPTION', 'Redis refused a revocation entry', cause);
  }
  throw e;
}
const SCRIPT_BATCH = 1000;

function checkTarget(input: unknown): RedisTarget {
  if (isObject(input)) {
    const target = snapshot(input, 'redisStore() target');
    const { url, rootNodes, client } = target;
    const n = Number(url !== undefined) + Number(rootNodes !== undefined) + Number(client !== undefined);
    if (n === 1 && (typeof url === 'string' || isObject(client))) return target as RedisTarget;
    if (n === 1 && Array.isArray(rootNodes)) {
      const nodes = callerRead(() => [...(rootNodes as unknown[])], 'rootNodes');
      if (nodes.length > 0 && nodes.every((u) => typeof u === 'string')) return { rootNodes: nodes } as RedisTarget;
    }
  }
  throw err('ERR_INVALID_OPTION', 'redisStore() needs one of { url }, { rootNodes } or { client }');
}

/**
 * A store on Redis (standalone or Cluster) through the official `redis` client v5, an optional peer
 * dependency. One key per `jti` with a TTL to its expiry; subject cut-offs in one hash. Every process
 * keeps a local copy, loaded on first use and after every reconnect (SCAN + HGETALL) and kept fresh by
 * pub/sub, so a lookup needs no round trip. Lookups fail closed while the subscription is down or
 * silent for `maxStaleness`; see the README section "Revocation" for the staleness bound.
 *
 * @example
 * ```ts
 * import { createRevocationList, redisStore } from 'jotjs/revocation';
 * const store = redisStore({ url: 'redis://127.0.0.1:6379' }, { namespace: 'myapp' });
 * const revocation = createRevocationList({ store });
 * await revocation.ready(); // connected and the local cache loaded
 * const revoked = revocation.isRevokedSync(payload); // no round trip
 * ```
 */
export function redisStore(input: RedisTarget, optionsInput: RedisStoreOptions = {}): RedisStore {
  const target = checkTarget(input);
  const options = snapshot(optionsInput, 'redisStore() options') as RedisStoreOptions;
  const ns = options.namespace ?? 'jot';
  if (typeof ns !== 'string' || !NAMESPACE.test(ns)) {
    throw err('ERR_INVALID_OPTION', '"namespace" must match [A-Za-z0-9_.-]');
  }
  const durability = options.durability ?? 'auto';
  if (durability !== 'auto' && durability !== 'waitaof' && durability !== 'server') {
    throw err('ERR_INVALID_OPTION', '"durability" must be "auto", "waitaof" or "server"');
  }
  const timing: Timing = {
    command: seconds(options.commandTimeout, 5, 'commandTimeout', MAX_TIMER) * 1000,
    connect: seconds(options.connectTimeout, 10, 'connectTimeout', MAX_TIMER) * 1000,
    heartbeat: seconds(options.heartbeatInterval, 1, 'heartbeatInterval', MAX_TIMER) * 1000,
    staleness: seconds(options.maxStaleness, 3, 'maxStaleness', MAX_TIMER) * 1000,
    resync: seconds(options.resyncInterval, 300, 'resyncInterval', MAX_TIMER) * 1000,
  };
  if (timing.staleness <= timing.heartbeat) {
    throw err('ERR_INVALID_OPTION', '"maxStaleness" must exceed "heartbeatInterval"');
  }
  const commandMs = timing.command;
  const keys = {
    jtiPrefix: `{${ns}}:jti:`,
    subKey: `{${ns}}:sub`,
    channel: `{${ns}}:revocations`,
    kidPrefix: `{${ns}}:kid:`,
  };
  const { jtiPrefix, subKey, channel } = keys;
  const conn: Connection = connect(target, { connectTimeoutMs: timing.connect });
  const cache = new LiveCache(conn, keys, timing);
  const table = cache.table;
  let closed = false;
  let waitAof: boolean | undefined = durability === 'server' ? false : undefined;
  let serverFsyncs = durability === 'server';
  const run = <T>(p: Promise<T>): Promise<T> => timed(p, commandMs);

  /** Resolves once the writes sent so far on `key`'s connection are on disk (see `durability`). */
  async function durable(key: string): Promise<void> {
    if (waitAof !== false) {
      try {
        const reply = await run(conn.exec(key, ['WAITAOF', '1', '0', String(Math.max(1, commandMs - 100))]));
        waitAof = true;
        if (!Array.isArray(reply) || !(Number(reply[0]) >= 1)) throw unavailable('WAITAOF: the write was not fsynced');
        return;
      } catch (e) {
        const cause = e instanceof JotError ? e.cause : e;
        if (waitAof !== undefined || !/unknown command/i.test(String((cause as Error)?.message))) throw e;
        if (durability === 'waitaof') throw err('ERR_REVOCATION_STORE_UNAVAILABLE', 'this Redis lacks WAITAOF', e);
        waitAof = false;
      }
    }
    if (serverFsyncs) return;
    const setting = async (name: string): Promise<string | undefined> => {
      const entries = hashEntries(await run(conn.exec(key, ['CONFIG', 'GET', name])).catch(() => undefined));
      return entries.length === 0 ? undefined : String(entries[0]![1]);
    };
    const [aof, fsync] = [await setting('appendonly'), await setting('appendfsync')];
    // CONFIG may be disabled (managed services): then the server's settings are trusted.
    if ((aof !== undefined && aof !== 'yes') || (fsync !== undefined && fsync !== 'always')) {
      throw unavailable('Redis is not durable: set appendonly yes and appendfsync always, or durability: "server"');
    }
    serverFsyncs = true;
  }

  const commits = new GroupCommit<PendingJti>(async (items) => {
    if (closed) throw unavailable('the Redis revocation store is closed');
    const calls: Promise<unknown>[] = [];
    for (let i = 0; i < items.length; i += SCRIPT_BATCH) {
      const batch = items.slice(i, i + SCRIPT_BATCH);
      const keys = batch.map((p) => jtiPrefix + p.jti);
      const args = batch.flatMap((p) => [
        String(p.expiresAt),
        String(Math.max(1, Math.ceil((p.expiresAt - p.now) * 1000))),
      ]);
      const message = JSON.stringify({ o: cache.origin, j: batch.map((p) => [p.jti, p.expiresAt]) });
      const cmd = ['EVAL', ADD_JTIS, String(keys.length), ...keys, ...args, channel, message];
      calls.push(run(conn.exec(keys[0]!, cmd)).catch(refusedEntry));
    }
    await Promise.all(calls);
    await durable(jtiPrefix);
  }, 10_000);

  const hasJtiSync = (jti: string, now: number): boolean => {
    checkLookup(jti, now, 'jti');
    cache.check();
    return table.hasJti(jti, now);
  };
  const getSubjectCutoffSync = (sub: string, now: number): number | undefined => {
    checkLookup(sub, now, 'sub');
    cache.check();
    return table.getSubject(sub, now);
  };
  const hasKidSync = (kid: string, now: number): boolean => {
    cache.check();
    return table.hasKid(kid, now);
  };
  /** The first call waits for the initial connection and load; later ones fail fast while down. */
  const loaded = async (): Promise<void> => {
    if (!cache.synced) await cache.ready();
  };

  const store: RedisStore = {
    get cacheSize() {
      return table.size;
    },
    ready: () => cache.ready(),
    hasJtiSync,
    getSubjectCutoffSync,
    hasKidSync,
    async addKid(kid, expiresAt, now) {
      checkKidEntry(kid, expiresAt, now);
      await loaded();
      if (closed) throw unavailable('the Redis revocation store is closed');
      table.addKid(kid, expiresAt); // cached first, as for a jti: erring towards "revoked"
      const key = keys.kidPrefix + kid;
      const message = JSON.stringify({ o: cache.origin, k: [[kid, expiresAt]] });
      const ttl = String(Math.max(1, Math.ceil((expiresAt - now) * 1000)));
      await run(conn.exec(key, ['EVAL', ADD_JTIS, '1', key, String(expiresAt), ttl, channel, message]));
      await durable(key);
    },
    async hasKid(kid, now) {
      await loaded();
      return hasKidSync(kid, now);
    },
    async addJti(jti, expiresAt, now) {
      checkJtiEntry(jti, expiresAt, now);
      await loaded();
      // Cached before the write: a write that fails or times out may still have reached Redis, and
      // this process skips its own messages. Erring towards "revoked" is the safe side.
      table.addJti(jti, expiresAt);
      return commits.add({ jti, expiresAt, now });
    },
    async hasJti(jti, now) {
      await loaded();
      return hasJtiSync(jti, now);
    },
    async getSubjectCutoff(sub, now) {
      await loaded();
      return getSubjectCutoffSync(sub, now);
    },
    async insertIfAbsent(id, expiresAt, now) {
      checkReplayArgs(id, expiresAt, now);
      await loaded();
      if (closed) throw unavailable('the Redis revocation store is closed');
      return redisInsertOnce(conn, run, `{${ns}}:once:`, id, expiresAt, now);
    },
    async setSubjectCutoff(sub, cutoff, expiresAt, now) {
      checkSubjectEntry(sub, cutoff, expiresAt, now);
      await loaded();
      if (closed) throw unavailable('the Redis revocation store is closed');
      const message = JSON.stringify({ o: cache.origin, s: [[sub, cutoff, expiresAt]] });
      const args = [sub, String(cutoff), String(expiresAt), channel, message];
      table.setSubject(sub, cutoff, expiresAt);
      await run(conn.exec(subKey, ['EVAL', SET_SUBJECT, '1', subKey, ...args]));
      await durable(subKey);
    },
    entries(now, options) {
      const args = checkEntriesArgs(now, options);
      if (closed) throw unavailable('the Redis revocation store is closed');
      return redisEntries(conn, keys, args, run, () => closed);
    },
    async purge(now) {
      instant(now, 'now');
      await loaded();
      table.purge(now);
      // jti keys expire by their TTL; subject cut-offs are fields of one hash, deleted here.
      let cursor = '0';
      do {
        const reply = (await run(conn.exec(subKey, ['HSCAN', subKey, cursor, 'COUNT', '1000']))) as [string, unknown];
        cursor = String(reply[0]);
        const expired = hashEntries(reply[1])
          .filter(([, v]) => (parseCutoff(v)?.expiresAt ?? Infinity) < now)
          .map(([field]) => field);
        if (expired.length > 0) {
          await run(conn.exec(subKey, ['EVAL', PURGE_SUBJECTS, '1', subKey, String(now), ...expired]));
        }
      } while (cursor !== '0');
    },
    async close() {
      if (closed) return;
      await commits.idle();
      closed = true;
      cache.close();
      await conn.close(channel, cache.onMessage);
    },
  };
  const fresh = (): LookupTable => {
    cache.check();
    return table;
  };
  const lookup: LookupSync = (claims, clock) => tableLookup(fresh, claims, clock);
  return Object.defineProperty(store, LOOKUP_SYNC, { value: lookup });
}
