import type BetterSqlite3 from 'better-sqlite3';
import { err, JotError } from '../errors.js';
import { type LookupSync, type LookupTable, tableLookup } from './lookup.js';
import type { SqliteMirror } from './sqlite-mirror.js';
import { checkLookup, instant } from './validate.js';

/** The SQLite store's synchronous lookups: from this process's copy of the list while it holds it, else the file. */
export interface SqliteLookups {
  hasJtiSync(jti: string, now: number): boolean;
  getSubjectCutoffSync(sub: string, now: number): number | undefined;
  hasKidSync(kid: string, now: number): boolean;
  /** A token's `jti` and subject in one call ({@link LOOKUP_SYNC}): one freshness check of the copy. */
  lookup: LookupSync;
}

/** ERR_REVOCATION_STORE_UNAVAILABLE, caused by `cause`. @internal */
export function unavailable(cause: unknown): never {
  throw err('ERR_REVOCATION_STORE_UNAVAILABLE', 'the SQLite revocation store failed', cause);
}

function closedError(): JotError {
  return err('ERR_REVOCATION_STORE_UNAVAILABLE', 'the SQLite revocation store is closed');
}

/**
 * The lookups of the tables `<table>_jti`, `_sub` and `_kid` of `db`. Each first has the mirror refresh itself when
 * due (`mirror.active()`, which reads `PRAGMA data_version` at most once per `maxStaleness`), then answers from it,
 * or with one indexed query while the list is larger than the mirror may hold. Anything that fails (a refresh, a
 * query) is ERR_REVOCATION_STORE_UNAVAILABLE, and so is every lookup once `closed()`. @internal
 */
export function sqliteLookups(
  db: BetterSqlite3.Database,
  table: string,
  mirror: SqliteMirror,
  closed: () => boolean,
): SqliteLookups {
  const selectJti = db.prepare<[string, number], 1>(`SELECT 1 FROM ${table}_jti WHERE jti = ? AND expires_at >= ?`);
  selectJti.pluck();
  const selectSub = db.prepare<[string, number], number>(
    `SELECT cutoff FROM ${table}_sub WHERE sub = ? AND expires_at >= ?`,
  );
  selectSub.pluck();
  const selectKid = db.prepare<[string, number], 1>(`SELECT 1 FROM ${table}_kid WHERE kid = ? AND expires_at >= ?`);
  selectKid.pluck();

  // The file, for the one-call lookup while the list is not mirrored: a query needs its instant, so reads the clock.
  const file: LookupTable = {
    hasJtiAt: (jti, clock) => selectJti.get(jti, instant(clock(), 'now')) !== undefined,
    getSubjectAt: (sub, clock) => selectSub.get(sub, instant(clock(), 'now')),
  };
  const fresh = (): LookupTable => {
    if (closed()) throw closedError();
    return mirror.active() ? mirror : file;
  };

  return {
    hasJtiSync(jti, now) {
      checkLookup(jti, now, 'jti');
      if (closed()) throw closedError();
      try {
        return mirror.active() ? mirror.hasJti(jti, now) : selectJti.get(jti, now) !== undefined;
      } catch (e) {
        return unavailable(e);
      }
    },
    getSubjectCutoffSync(sub, now) {
      checkLookup(sub, now, 'sub');
      if (closed()) throw closedError();
      try {
        return mirror.active() ? mirror.getSubjectCutoff(sub, now) : selectSub.get(sub, now);
      } catch (e) {
        return unavailable(e);
      }
    },
    hasKidSync(kid, now) {
      checkLookup(kid, now, 'kid');
      if (closed()) throw closedError();
      try {
        return mirror.active() ? mirror.hasKid(kid, now) : selectKid.get(kid, now) !== undefined;
      } catch (e) {
        return unavailable(e);
      }
    },
    lookup(claims, clock) {
      try {
        return tableLookup(fresh, claims, clock);
      } catch (e) {
        if (e instanceof JotError) throw e;
        return unavailable(e);
      }
    },
  };
}
