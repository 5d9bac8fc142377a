import { randomUUID } from 'node:crypto';
import type BetterSqlite3 from 'better-sqlite3';
import { err } from '../errors.js';
import { checkLockTtl, checkSaveArgs, type KeyRingStore } from '../keyset/keyring-store.js';
import { intOption, readOptions } from '../options.js';
import { loadOptional } from '../revocation/optional.js';

/** Options of {@link sqliteKeyRingStore}. */
export interface SqliteKeyRingStoreOptions {
  /** The database file; created when missing. */
  path: string;
  /** Which ring in the file (default `default`): one file may hold several. */
  name?: string;
  /** Table name (default `jot_keyring`; also `<table>_lock`). */
  table?: string;
  /** Milliseconds to wait for another process's write lock (default 5000). */
  busyTimeout?: number;
}

type DatabaseConstructor = new (path: string, options?: BetterSqlite3.Options) => BetterSqlite3.Database;
const SQLITE_OPTIONS: ReadonlySet<string> = new Set(['path', 'name', 'table', 'busyTimeout']);
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
const unavailable = (cause: unknown) => err('ERR_KEYRING_STORE_UNAVAILABLE', 'the SQLite key ring store failed', cause);

/**
 * A key ring in an SQLite file through `better-sqlite3` 12 (optional peer dependency): several processes on one
 * host share it. Writes are a compare-and-set on the version inside one IMMEDIATE transaction; the rotation
 * lock is a row with an owner and an expiry.
 *
 * @example
 * ```ts
 * import { createKeyRing, sqliteKeyRingStore } from 'jotjs/keyring';
 * const store = sqliteKeyRingStore({ path: '/var/lib/idp/ring.db' });
 * const ring = createKeyRing({ alg: 'ES256', passphrase: 'a long passphrase from a secret store', store });
 * await ring.ready();
 * ```
 */
export function sqliteKeyRingStore(options: SqliteKeyRingStoreOptions): KeyRingStore {
  const o = readOptions(options, SQLITE_OPTIONS, 'sqliteKeyRingStore()');
  if (typeof o.path !== 'string' || o.path === '' || o.path.includes('\0')) {
    throw err('ERR_INVALID_OPTION', 'sqliteKeyRingStore() needs { path }');
  }
  const path = o.path;
  const busyTimeout = intOption(o.busyTimeout, 'busyTimeout', 5000, 0, 2_147_483_647);
  const table = o.table ?? 'jot_keyring';
  const name = o.name ?? 'default';
  if (typeof table !== 'string' || !IDENTIFIER.test(table))
    throw err('ERR_INVALID_OPTION', 'table must be an SQL identifier');
  if (typeof name !== 'string' || name === '') throw err('ERR_INVALID_OPTION', 'name must be a non-empty string');
  const Sqlite = loadOptional<DatabaseConstructor>('better-sqlite3', 'better-sqlite3@12');
  let db: BetterSqlite3.Database;
  try {
    db = new Sqlite(path, { timeout: busyTimeout });
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec(`
      CREATE TABLE IF NOT EXISTS ${table} (name TEXT PRIMARY KEY, version INTEGER NOT NULL, data TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS ${table}_lock (name TEXT PRIMARY KEY, owner TEXT NOT NULL, expires_at INTEGER NOT NULL);
    `);
  } catch (e) {
    throw unavailable(e);
  }
  const select = db.prepare<[string], { version: number; data: string }>(
    `SELECT version, data FROM ${table} WHERE name = ?`,
  );
  const selectVersion = db.prepare<[string], number>(`SELECT version FROM ${table} WHERE name = ?`).pluck();
  const upsert = db.prepare<[string, number, string]>(
    `INSERT INTO ${table} (name, version, data) VALUES (?, ?, ?)
     ON CONFLICT (name) DO UPDATE SET version = excluded.version, data = excluded.data`,
  );
  const cas = db.transaction((data: string, expected: number): boolean => {
    if ((selectVersion.get(name) ?? 0) !== expected) return false;
    upsert.run(name, expected + 1, data);
    return true;
  });
  const takeLock = db.prepare<[string, string, number, number]>(
    `INSERT INTO ${table}_lock (name, owner, expires_at) VALUES (?, ?, ?)
     ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
     WHERE ${table}_lock.expires_at < ?`,
  );
  const dropLock = db.prepare<[string, string]>(`DELETE FROM ${table}_lock WHERE name = ? AND owner = ?`);
  let closed = false;
  const run = <T>(fn: () => T): T => {
    if (closed) throw err('ERR_KEYRING_STORE_UNAVAILABLE', 'the SQLite key ring store is closed');
    try {
      return fn();
    } catch (e) {
      throw unavailable(e);
    }
  };
  return {
    persistent: true,
    async load() {
      return run(() => select.get(name));
    },
    async save(data, expected) {
      checkSaveArgs(data, expected);
      return run(() => cas.immediate(data, expected));
    },
    async lock(ttlMs) {
      const ttl = checkLockTtl(ttlMs);
      const owner = randomUUID();
      const now = Date.now();
      const taken = run(() => takeLock.run(name, owner, now + ttl, now).changes === 1);
      return taken ? async () => void run(() => dropLock.run(name, owner)) : undefined;
    },
    async close() {
      if (closed) return;
      closed = true;
      db.close();
    },
  };
}
