import { own } from '../encoding/json.js';

/**
 * A built-in store's synchronous lookup of one token (its `jti`, then its subject's cut-off) in one call, under a
 * symbol no entry point exports: the public {@link RevocationStore} contract is unchanged, and a caller's store is
 * looked up method by method as before. The store's freshness check (a clock read for the Redis cache, the
 * `data_version` check of the SQLite copy) runs once for both lookups, and the clock is read only when an entry
 * exists. Returns true when the `jti` is revoked, else the subject's cut-off or undefined. @internal
 */
export const LOOKUP_SYNC: unique symbol = Symbol('jot revocation lookup');

/** What a store keeps under {@link LOOKUP_SYNC}. @internal */
export type LookupSync = (claims: Readonly<Record<string, unknown>>, clock: () => number) => true | number | undefined;

/**
 * Where {@link tableLookup} looks: a copy of the list (the Redis cache's table, the SQLite mirror) or the store
 * itself (the SQLite file past `mirrorLimit`), each lookup reading `clock` for the instant it compares with.
 * @internal
 */
export interface LookupTable {
  /** Is `jti` revoked at `clock()`? The clock may be read only when an entry exists. */
  hasJtiAt(jti: string, clock: () => number): boolean;
  /** The subject's cut-off at `clock()`, if any; the same lazy clock. */
  getSubjectAt(sub: string, clock: () => number): number | undefined;
}

/**
 * {@link LookupSync} over a table: `open` checks freshness (throws while the copy may be stale) and returns where to
 * look; it runs once, before the first lookup, and not at all for a token with neither a string `jti` nor a string
 * `sub`, exactly as the separate lookups do. @internal
 */
export function tableLookup(
  open: () => LookupTable,
  claims: Readonly<Record<string, unknown>>,
  clock: () => number,
): true | number | undefined {
  const jti = own(claims, 'jti');
  let table: LookupTable | undefined;
  if (typeof jti === 'string') {
    table = open();
    if (table.hasJtiAt(jti, clock)) return true;
  }
  const sub = own(claims, 'sub');
  if (typeof sub !== 'string') return undefined;
  return (table ?? open()).getSubjectAt(sub, clock);
}
