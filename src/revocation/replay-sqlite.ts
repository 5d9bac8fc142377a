import type BetterSqlite3 from 'better-sqlite3';

/**
 * The SQLite store's one-time-use register (see `ReplayStore`): table `<prefix>_once`, one row per id. The upsert
 * replaces a row only when it has expired, in one statement, so concurrent processes sharing the file (serialized
 * by SQLite's write lock) never both see "absent". @internal
 */
export function sqliteOnce(
  db: BetterSqlite3.Database,
  table: string,
): { insert(id: string, expiresAt: number, now: number): boolean; purge(now: number): number } {
  db.exec(`
    CREATE TABLE IF NOT EXISTS ${table}_once (id TEXT PRIMARY KEY, expires_at REAL NOT NULL) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS ${table}_once_expiry ON ${table}_once (expires_at);
  `);
  const upsert = db.prepare<[string, number, number]>(
    `INSERT INTO ${table}_once (id, expires_at) VALUES (?, ?)
     ON CONFLICT (id) DO UPDATE SET expires_at = excluded.expires_at WHERE expires_at < ?`,
  );
  const remove = db.prepare<[number]>(`DELETE FROM ${table}_once WHERE expires_at < ?`);
  return {
    insert: (id, expiresAt, now) => upsert.run(id, expiresAt, now).changes === 1,
    purge: (now) => remove.run(now).changes,
  };
}
