import type BetterSqlite3 from 'better-sqlite3';
import type { EntriesArgs, RevocationEntry } from './entries.js';

type Row = [string, number, number?];

/**
 * The listing of an SQLite store: per kind, pages of `pageSize` rows in primary-key order, each page one SELECT
 * keyed on the last id of the previous page (`id > ?`, on the primary key index). better-sqlite3 runs each in its
 * own implicit read transaction, finished before the page is yielded: a listing never holds a transaction (nor, in
 * WAL mode, blocks a writer or a checkpoint) while the caller works, and takes no write lock. Ids are never empty,
 * so the first page starts after ''.
 */
export function sqliteLister(
  db: BetterSqlite3.Database,
  table: string,
): (args: EntriesArgs, read: <T>(fn: () => T) => T) => AsyncGenerator<RevocationEntry> {
  const page = (sql: string) => db.prepare<[string, number, number], Row>(sql).raw(true);
  const statements = {
    jti: page(`SELECT jti, expires_at FROM ${table}_jti WHERE jti > ? AND expires_at >= ? ORDER BY jti LIMIT ?`),
    sub: page(
      `SELECT sub, expires_at, cutoff FROM ${table}_sub WHERE sub > ? AND expires_at >= ? ORDER BY sub LIMIT ?`,
    ),
    kid: page(`SELECT kid, expires_at FROM ${table}_kid WHERE kid > ? AND expires_at >= ? ORDER BY kid LIMIT ?`),
  };
  return async function* entries({ now, kinds, pageSize }, read) {
    for (const kind of kinds) {
      let after = '';
      for (;;) {
        const rows = read(() => statements[kind].all(after, now, pageSize));
        for (const [id, expiresAt, cutoff] of rows) {
          if (kind === 'sub') yield { kind, sub: id, cutoff: cutoff!, expiresAt };
          else yield kind === 'jti' ? { kind, jti: id, expiresAt } : { kind, kid: id, expiresAt };
        }
        if (rows.length < pageSize) break;
        after = rows[rows.length - 1]![0];
      }
    }
  };
}
