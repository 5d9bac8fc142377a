/**
 * `jot revoke list`: the unexpired entries of a store, through the store's own listing (`entries()` of
 * jotjs/revocation: pages of at most 1000, SCAN/HSCAN on Redis, short read queries on SQLite). At most `limit` + 1
 * entries of each kind are held, so a huge list costs bounded memory; the output shows the first `limit` read,
 * sorted. A Redis store is listed on a connection made here without retries, so an unreachable server fails at once.
 */
import { existsSync } from 'node:fs';
import { err, JotError } from '../errors.js';
import { type RevocationStore, redisStore, sqliteStore } from '../revocation/index.js';
import type { StoreSpec } from './store.js';

export interface Listing {
  jtis: { jti: string; expiresAt: number }[];
  subjects: { sub: string; cutoff: number; expiresAt: number }[];
  truncated: boolean;
}

interface RedisClient {
  on(event: string, fn: (e: unknown) => void): unknown;
  connect(): Promise<unknown>;
  destroy(): void;
}

function unavailable(what: string, cause: unknown): never {
  const inner = cause instanceof JotError && cause.cause !== undefined ? cause.cause : cause;
  const why = inner instanceof Error ? `: ${inner.message.split('\n')[0]}` : '';
  throw err('ERR_REVOCATION_STORE_UNAVAILABLE', `the ${what} revocation store cannot be read${why}`, inner);
}

const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Reads at most `limit` + 1 jtis and subjects (the one more only says the listing was truncated). */
async function read(store: Required<Pick<RevocationStore, 'entries'>>, now: number, limit: number): Promise<Listing> {
  const jtis: Listing['jtis'] = [];
  const subjects: Listing['subjects'] = [];
  for await (const e of store.entries(now, { kinds: ['jti'], pageSize: 1000 })) {
    if (e.kind === 'jti') jtis.push({ jti: e.jti, expiresAt: e.expiresAt });
    if (jtis.length > limit) break;
  }
  for await (const e of store.entries(now, { kinds: ['sub'], pageSize: 1000 })) {
    if (e.kind === 'sub') subjects.push({ sub: e.sub, cutoff: e.cutoff, expiresAt: e.expiresAt });
    if (subjects.length > limit) break;
  }
  const truncated = jtis.length > limit || subjects.length > limit;
  jtis.sort((a, b) => a.expiresAt - b.expiresAt || byString(a.jti, b.jti));
  subjects.sort((a, b) => byString(a.sub, b.sub));
  return { jtis: jtis.slice(0, limit), subjects: subjects.slice(0, limit), truncated };
}

export async function listStore(spec: StoreSpec, now: number, limit: number): Promise<Listing> {
  return spec.kind === 'sqlite' ? listSqlite(spec, now, limit) : listRedis(spec, now, limit);
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

async function listSqlite(spec: StoreSpec & { kind: 'sqlite' }, now: number, limit: number): Promise<Listing> {
  if (spec.table !== undefined && !IDENTIFIER.test(spec.table)) {
    throw err('ERR_INVALID_OPTION', '--namespace must be an SQL identifier');
  }
  // Listing never creates a store: a path with no file is an error, not an empty list.
  if (!existsSync(spec.path)) unavailable('SQLite', new Error(`no such file: ${spec.path}`));
  let store: ReturnType<typeof sqliteStore> | undefined;
  try {
    // mirrorLimit 0: no copy of the list in memory, only the pages being read.
    store = sqliteStore({
      path: spec.path,
      mirrorLimit: 0,
      ...(spec.table === undefined ? {} : { table: spec.table }),
    });
    return await read(store, now, limit);
  } catch (e) {
    if (e instanceof JotError && e.code === 'ERR_INVALID_OPTION') throw e;
    return unavailable('SQLite', e);
  } finally {
    await store?.close();
  }
}

async function listRedis(spec: StoreSpec & { kind: 'redis' }, now: number, limit: number): Promise<Listing> {
  let redis: { createClient(o: object): RedisClient };
  try {
    redis = (await import('redis')) as unknown as typeof redis;
  } catch (e) {
    throw err('ERR_REVOCATION_STORE_UNAVAILABLE', 'the Redis store needs redis@5 (npm install redis)', e);
  }
  const client = redis.createClient({ url: spec.url, socket: { connectTimeout: 5000, reconnectStrategy: false } });
  client.on('error', () => {});
  let store: ReturnType<typeof redisStore> | undefined;
  try {
    await client.connect();
    store = redisStore({ client }, spec.namespace === undefined ? {} : { namespace: spec.namespace });
    return await read(store, now, limit);
  } catch (e) {
    if (e instanceof JotError && e.code === 'ERR_INVALID_OPTION') throw e;
    return unavailable('Redis', e);
  } finally {
    await store?.close().catch(() => {});
    try {
      client.destroy();
    } catch {
      // never connected
    }
  }
}
