/**
 * `jot revoke list`: the unexpired entries of a store, read with the store's documented layout
 * (SQLite tables `<prefix>_jti` and `<prefix>_sub`; Redis keys `{ns}:jti:<jti>` and hash `{ns}:sub`).
 * The library's RevocationStore has no listing operation, so this reads the layout directly, read-only.
 */
import { err } from '../errors.js';
import type { StoreSpec } from './store.js';

export interface Listing {
  jtis: { jti: string; expiresAt: number }[];
  subjects: { sub: string; cutoff: number; expiresAt: number }[];
  truncated: boolean;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

function unavailable(what: string, cause: unknown): never {
  const why = cause instanceof Error ? `: ${cause.message.split('\n')[0]}` : '';
  throw err('ERR_REVOCATION_STORE_UNAVAILABLE', `the ${what} revocation store cannot be read${why}`, cause);
}

export async function listStore(spec: StoreSpec, now: number, limit: number): Promise<Listing> {
  return spec.kind === 'sqlite'
    ? listSqlite(spec.path, spec.table ?? 'jot_revocation', now, limit)
    : listRedis(spec.url, spec.namespace ?? 'jot', now, limit);
}

async function listSqlite(path: string, table: string, now: number, limit: number): Promise<Listing> {
  if (!IDENTIFIER.test(table)) throw err('ERR_INVALID_OPTION', '--namespace must be an SQL identifier');
  let Database: new (
    p: string,
    o: object,
  ) => {
    prepare(sql: string): { all(...a: unknown[]): unknown[] };
    close(): void;
  };
  try {
    Database = ((await import('better-sqlite3')) as { default: typeof Database }).default;
  } catch (e) {
    throw err(
      'ERR_REVOCATION_STORE_UNAVAILABLE',
      'the SQLite store needs better-sqlite3@12 (npm install better-sqlite3)',
      e,
    );
  }
  let db: InstanceType<typeof Database> | undefined;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    const jtis = db
      .prepare(
        `SELECT jti, expires_at AS expiresAt FROM ${table}_jti WHERE expires_at >= ? ORDER BY expires_at, jti LIMIT ?`,
      )
      .all(now, limit + 1) as Listing['jtis'];
    const subjects = db
      .prepare(
        `SELECT sub, cutoff, expires_at AS expiresAt FROM ${table}_sub WHERE expires_at >= ? ORDER BY sub LIMIT ?`,
      )
      .all(now, limit + 1) as Listing['subjects'];
    const truncated = jtis.length > limit || subjects.length > limit;
    return { jtis: jtis.slice(0, limit), subjects: subjects.slice(0, limit), truncated };
  } catch (e) {
    return unavailable('SQLite', e);
  } finally {
    db?.close();
  }
}

function pairs(reply: unknown): [string, string][] {
  if (Array.isArray(reply)) {
    const out: [string, string][] = [];
    for (let i = 0; i + 1 < reply.length; i += 2) out.push([String(reply[i]), String(reply[i + 1])]);
    return out;
  }
  if (reply instanceof Map) return [...reply].map(([k, v]) => [String(k), String(v)]);
  if (typeof reply === 'object' && reply !== null) return Object.entries(reply).map(([k, v]) => [k, String(v)]);
  return [];
}

async function listRedis(url: string, ns: string, now: number, limit: number): Promise<Listing> {
  let createClient: (o: object) => {
    on(ev: string, fn: (e: unknown) => void): unknown;
    connect(): Promise<unknown>;
    sendCommand(args: string[]): Promise<unknown>;
    destroy(): void;
  };
  try {
    createClient = ((await import('redis')) as unknown as { createClient: typeof createClient }).createClient;
  } catch (e) {
    throw err('ERR_REVOCATION_STORE_UNAVAILABLE', 'the Redis store needs redis@5 (npm install redis)', e);
  }
  const client = createClient({ url, socket: { connectTimeout: 5000, reconnectStrategy: false } });
  client.on('error', () => {});
  try {
    await client.connect();
    const prefix = `{${ns}}:jti:`;
    const jtis: Listing['jtis'] = [];
    let cursor = '0';
    let truncated = false;
    do {
      const [next, keys] = (await client.sendCommand(['SCAN', cursor, 'MATCH', `${prefix}*`, 'COUNT', '1000'])) as [
        string,
        string[],
      ];
      cursor = String(next);
      if (keys.length > 0) {
        const values = (await client.sendCommand(['MGET', ...keys])) as (string | null)[];
        keys.forEach((k, i) => {
          const expiresAt = Number(values[i]);
          if (values[i] !== null && expiresAt >= now) jtis.push({ jti: k.slice(prefix.length), expiresAt });
        });
      }
      if (jtis.length > limit) {
        truncated = true;
        break;
      }
    } while (cursor !== '0');
    const subjects: Listing['subjects'] = [];
    for (const [sub, value] of pairs(await client.sendCommand(['HGETALL', `{${ns}}:sub`]))) {
      const sp = value.indexOf(' ');
      const cutoff = Number(value.slice(0, sp));
      const expiresAt = Number(value.slice(sp + 1));
      if (sp > 0 && expiresAt >= now) subjects.push({ sub, cutoff, expiresAt });
    }
    jtis.sort((a, b) => a.expiresAt - b.expiresAt || (a.jti < b.jti ? -1 : a.jti > b.jti ? 1 : 0));
    subjects.sort((a, b) => (a.sub < b.sub ? -1 : a.sub > b.sub ? 1 : 0));
    if (subjects.length > limit) truncated = true;
    return { jtis: jtis.slice(0, limit), subjects: subjects.slice(0, limit), truncated };
  } catch (e) {
    return unavailable('Redis', e);
  } finally {
    try {
      client.destroy();
    } catch {
      // never connected
    }
  }
}
