import { own } from '../encoding/json.js';
import type { RevocationTable } from './table.js';

/**
 * A built-in store's synchronous lookup of one token (its `jti`, then its subject's cut-off) in one call, under a
 * symbol no entry point exports: the public {@link RevocationStore} contract is unchanged, and a caller's store is
 * looked up method by method as before. The store's freshness check (a clock read for the Redis cache) runs once
 * for both lookups, and the clock is read only when an entry exists. Returns true when the `jti` is revoked, else
 * the subject's cut-off or undefined. @internal
 */
export const LOOKUP_SYNC: unique symbol = Symbol('jot revocation lookup');

/** What a store keeps under {@link LOOKUP_SYNC}. @internal */
export type LookupSync = (claims: Readonly<Record<string, unknown>>, clock: () => number) => true | number | undefined;

/**
 * {@link LookupSync} over a table: `check` (throws while the table may be stale) runs before the first lookup, and
 * not at all for a token with neither a string `jti` nor a string `sub`, exactly as the separate lookups do.
 * @internal
 */
export function tableLookup(
  table: RevocationTable,
  check: () => void,
  claims: Readonly<Record<string, unknown>>,
  clock: () => number,
): true | number | undefined {
  const jti = own(claims, 'jti');
  const checked = typeof jti === 'string';
  if (checked) {
    check();
    if (table.hasJtiAt(jti, clock)) return true;
  }
  const sub = own(claims, 'sub');
  if (typeof sub !== 'string') return undefined;
  if (!checked) check();
  return table.getSubjectAt(sub, clock);
}
