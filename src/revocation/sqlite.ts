import type BetterSqlite3 from 'better-sqlite3';
import { err } from '../errors.js';
import { snapshot } from '../options.js';
import { GroupCommit } from './batch.js';
import { LOOKUP_SYNC } from './lookup.js';
import { checkEntriesArgs, type RevocationEntriesOptions, type RevocationEntry } from './entries.js';
import { loadOptional } from './optional.js';
import { checkReplayArgs, type ReplayStore } from './replay.js';
import { sqliteOnce } from './replay-sqlite.js';
import { sqliteLister } from './sqlite-entries.js';
import { type SqliteLookups, sqliteLookups, unavailable } from './sqlite-lookup.js';
import { createChangeLog, logPurgeSql, SqliteMirror } from './sqlite-mirror.js';
import type { RevocationStore } from './types.js';
import { checkJtiEntry, checkKidEntry, checkSubjectEntry, instant, positiveInt, seconds } from './validate.js';

/** Options of {@link sqliteStore}. */
export interface SqliteStoreOptions {
  /** The database file; created when missing. Every process on the host that shares it sees one list. */
  path: string;
  /** Milliseconds to wait for another process's write lock before failing (busy_timeout). Default 5000. */
  busyTimeout?: number;
  /** Table name prefix: tables `<prefix>_jti` and `<prefix>_sub`. Default `jot_revocation`. */
  table?: string;
  /**
   * Most entries (revoked jtis, subjects and keys, expired ones until purged) held in this process's copy of the
   * list, which answers lookups without a query. A larger list is not copied: lookups read the file. `0`: never
   * copy. Default 100 000 (about 15 MB).
   */
  mirrorLimit?: number;
  /**
   * Seconds a lookup may answer from the copy without checking the file for other processes' commits (one
   * `PRAGMA data_version` read): a revocation committed anywhere is seen by every lookup that starts this much
   * later. `0`: check before every lookup. Default 0.05.
   */
  maxStaleness?: number;
}

/** A {@link RevocationStore} in an SQLite file, with synchronous lookups. */
export interface SqliteStore extends RevocationStore, ReplayStore {
  /** Synchronous {@link RevocationStore.hasJti}: one indexed read of the file. */
  hasJtiSync(jti: string, now: number): boolean;
  /** Synchronous {@link RevocationStore.getSubjectCutoff}: one indexed read of the file. */
  getSubjectCutoffSync(sub: string, now: number): number | undefined;
  /** Records a signing key's `kid` as revoked until `expiresAt` (for `revokeKey`). */
  addKid(kid: string, expiresAt: number, now: number): Promise<void>;
  /** Is the key `kid` revoked and unexpired at `now`? */
  hasKid(kid: string, now: number): Promise<boolean>;
  /** Synchronous {@link RevocationStore.hasKid}: one indexed read of the file. */
  hasKidSync(kid: string, now: number): boolean;
  /** The unexpired entries at `now`, read from the file a page at a time (see {@link RevocationStore.entries}). */
  entries(now: number, options?: RevocationEntriesOptions): AsyncIterableIterator<RevocationEntry>;
}

type Database = BetterSqlite3.Database;
type DatabaseConstructor = new (path: string, options?: BetterSqlite3.Options) => Database;

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

function openDatabase(path: string, busyTimeout: number, table: string): Database {
  const Sqlite = loadOptional<DatabaseConstructor>('better-sqlite3', 'better-sqlite3@12');
  let db: Database | undefined;
  try {
    db = new Sqlite(path, { timeout: busyTimeout });
    // Must precede the first table of a new file; lets purge() hand freed pages back to the OS.
    db.pragma('auto_vacuum = INCREMENTAL');
    db.pragma('journal_mode = WAL');
    // FULL: every commit fsyncs the WAL, so a revoke() that resolved survives a crash or power loss.
    db.pragma('synchronous = FULL');
    db.pragma('journal_size_limit = 4194304');
    db.exec(`
      CREATE TABLE IF NOT EXISTS ${table}_jti (jti TEXT PRIMARY KEY, expires_at REAL NOT NULL) WITHOUT ROWID;
      CREATE INDEX IF NOT EXISTS ${table}_jti_expiry ON ${table}_jti (expires_at);
      CREATE TABLE IF NOT EXISTS ${table}_sub (
        sub TEXT PRIMARY KEY, cutoff REAL NOT NULL, expires_at REAL NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX IF NOT EXISTS ${table}_sub_expiry ON ${table}_sub (expires_at);
    `);
    return db;
  } catch (e) {
    db?.close();
    return unavailable(e);
  }
}

/**
 * A store in an SQLite file through `better-sqlite3` 12 (an optional peer dependency): WAL mode,
 * `synchronous = FULL`, so a revocation is durable once `revoke()` resolves; several processes on
 * one host may share the file (writers wait up to `busyTimeout` for the lock). Revocations made in
 * the same event-loop turn are committed together in one transaction. Lookups are synchronous and
 * answered from this process's copy of the list (up to `mirrorLimit` entries; a larger list is read
 * from the file, one indexed query per lookup). Every write of a store, in any process, is also
 * logged in its transaction (table `<prefix>_log`); a lookup first reads `PRAGMA data_version` when
 * `maxStaleness` (default 50 ms) has passed since it last did and applies the new log rows, so a
 * revocation committed by another process is seen by every lookup that starts `maxStaleness`
 * later; this process's own revocations are seen once `revoke()` resolves. The copy is reloaded in
 * full every 5 minutes (rows written to the tables around a store are seen then). Expired rows are
 * deleted by the list's purge
 * (indexed by expiry) and their pages returned by `incremental_vacuum`.
 *
 * @example
 * ```ts
 * import { createRevocationList, sqliteStore } from 'jotjs/revocation';
 * const revocation = createRevocationList({ store: sqliteStore({ path: '/var/lib/myapp/revocations.db' }) });
 * await revocation.revokeSubject('user-42'); // log out everywhere, durable once resolved
 * ```
 */
export function sqliteStore(input: SqliteStoreOptions): SqliteStore {
  const options = snapshot(input ?? null, 'sqliteStore() options') as Partial<SqliteStoreOptions>;
  if (typeof options.path !== 'string' || options.path === '') {
    throw err('ERR_INVALID_OPTION', 'sqliteStore() needs { path }');
  }
  const busyTimeout = positiveInt(options.busyTimeout, 5000, 'busyTimeout', 2 ** 31 - 1);
  const table = options.table ?? 'jot_revocation';
  if (typeof table !== 'string' || !IDENTIFIER.test(table)) {
    throw err('ERR_INVALID_OPTION', '"table" must be an SQL identifier (letters, digits, underscore)');
  }
  const mirrorLimit = options.mirrorLimit === 0 ? 0 : positiveInt(options.mirrorLimit, 100_000, 'mirrorLimit', 1e8);
  const maxStaleness = seconds(options.maxStaleness, 0.05, 'maxStaleness', 60);
  const db = openDatabase(options.path, busyTimeout, table);
  const insertJti = db.prepare<[string, number]>(
    `INSERT INTO ${table}_jti (jti, expires_at) VALUES (?, ?)
     ON CONFLICT (jti) DO UPDATE SET expires_at = max(expires_at, excluded.expires_at)`,
  );
  const upsertSub = db.prepare<[string, number, number]>(
    `INSERT INTO ${table}_sub (sub, cutoff, expires_at) VALUES (?, ?, ?)
     ON CONFLICT (sub) DO UPDATE SET cutoff = max(cutoff, excluded.cutoff),
       expires_at = max(expires_at, excluded.expires_at)`,
  );
  // Revoked signing keys: their own table, created on first open by this version.
  try {
    db.exec(`CREATE TABLE IF NOT EXISTS ${table}_kid (kid TEXT PRIMARY KEY, expires_at REAL NOT NULL) WITHOUT ROWID`);
  } catch (e) {
    db.close();
    unavailable(e);
  }
  const upsertKid = db.prepare<[string, number]>(
    `INSERT INTO ${table}_kid (kid, expires_at) VALUES (?, ?)
     ON CONFLICT (kid) DO UPDATE SET expires_at = max(expires_at, excluded.expires_at)`,
  );
  const deleteKid = db.prepare<[number]>(`DELETE FROM ${table}_kid WHERE expires_at < ?`);
  const deleteJti = db.prepare<[number]>(`DELETE FROM ${table}_jti WHERE expires_at < ?`);
  const deleteSub = db.prepare<[number]>(`DELETE FROM ${table}_sub WHERE expires_at < ?`);
  let once: ReturnType<typeof sqliteOnce>;
  let mirror: SqliteMirror;
  let purgeLog: BetterSqlite3.Statement<[number]>;
  let log: ReturnType<typeof createChangeLog>;
  let list: ReturnType<typeof sqliteLister>;
  let lookups: SqliteLookups;
  let closed = false;
  try {
    list = sqliteLister(db, table);
    once = sqliteOnce(db, table);
    log = createChangeLog(db, table);
    purgeLog = db.prepare<[number]>(logPurgeSql(table));
    mirror = new SqliteMirror(db, table, mirrorLimit, maxStaleness * 1000);
    lookups = sqliteLookups(db, table, mirror, () => closed);
  } catch (e) {
    db.close();
    unavailable(e);
  }

  // BEGIN IMMEDIATE takes the write lock up front, so a busy writer is waited for (busy_timeout)
  // instead of failing at commit with a lock upgrade error.
  const insertMany = db.transaction((items: readonly { jti: string; expiresAt: number }[]) => {
    for (const { jti, expiresAt } of items) {
      insertJti.run(jti, expiresAt);
      log.run('j', jti, null, expiresAt);
    }
  });
  const setSubject = db.transaction((sub: string, cutoff: number, expiresAt: number) => {
    upsertSub.run(sub, cutoff, expiresAt);
    log.run('s', sub, cutoff, expiresAt);
  });
  const setKid = db.transaction((kid: string, expiresAt: number) => {
    upsertKid.run(kid, expiresAt);
    log.run('k', kid, null, expiresAt);
  });
  const purgeAll = db.transaction(
    (now: number) =>
      deleteJti.run(now).changes + deleteSub.run(now).changes + once.purge(now) + purgeLog.run(now).changes,
  );
  const commits = new GroupCommit<{ jti: string; expiresAt: number }>((items) => {
    try {
      insertMany.immediate(items);
    } catch (e) {
      unavailable(e);
    }
    for (const { jti, expiresAt } of items) mirror.addJti(jti, expiresAt);
  }, 10_000);

  function read<T>(fn: () => T): T {
    if (closed) throw err('ERR_REVOCATION_STORE_UNAVAILABLE', 'the SQLite revocation store is closed');
    try {
      return fn();
    } catch (e) {
      return unavailable(e);
    }
  }

  const { hasJtiSync, getSubjectCutoffSync, hasKidSync } = lookups;

  const store: SqliteStore = {
    hasJtiSync,
    getSubjectCutoffSync,
    hasKidSync,
    async addKid(kid, expiresAt, now) {
      checkKidEntry(kid, expiresAt, now);
      if (closed) throw err('ERR_REVOCATION_STORE_UNAVAILABLE', 'the SQLite store is closed');
      // One row, written at once (a key revocation is rare and urgent): durable when this resolves.
      read(() => setKid.immediate(kid, expiresAt));
      mirror.addKid(kid, expiresAt);
    },
    async hasKid(kid, now) {
      return hasKidSync(kid, now);
    },
    async addJti(jti, expiresAt, now) {
      checkJtiEntry(jti, expiresAt, now);
      if (closed) throw err('ERR_REVOCATION_STORE_UNAVAILABLE', 'the SQLite store is closed');
      return commits.add({ jti, expiresAt });
    },
    async hasJti(jti, now) {
      return hasJtiSync(jti, now);
    },
    async setSubjectCutoff(sub, cutoff, expiresAt, now) {
      checkSubjectEntry(sub, cutoff, expiresAt, now);
      read(() => setSubject.immediate(sub, cutoff, expiresAt));
      mirror.setSubject(sub, cutoff, expiresAt);
    },
    async getSubjectCutoff(sub, now) {
      return getSubjectCutoffSync(sub, now);
    },
    async insertIfAbsent(id, expiresAt, now) {
      checkReplayArgs(id, expiresAt, now);
      return read(() => once.insert(id, expiresAt, now));
    },
    async purge(now) {
      instant(now, 'now');
      read(() => {
        if (purgeAll.immediate(now) + deleteKid.run(now).changes > 0) db.pragma('incremental_vacuum');
      });
      mirror.purge(now);
    },
    entries(now, options) {
      const args = checkEntriesArgs(now, options);
      read(() => {});
      return list(args, read);
    },
    async close() {
      if (closed) return;
      await commits.idle();
      closed = true;
      db.close();
    },
  };
  return Object.defineProperty(store, LOOKUP_SYNC, { value: lookups.lookup });
}
