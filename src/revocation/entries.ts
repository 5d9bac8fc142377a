import { err } from '../errors.js';
import { callerRead, snapshot } from '../options.js';
import type { RevocationTable } from './table.js';
import { instant, positiveInt } from './validate.js';

/** What a store holds: revoked token ids, subject cut-offs, revoked signing keys. */
export type RevocationEntryKind = 'jti' | 'sub' | 'kid';

/** One unexpired entry of a store, as {@link RevocationStore.entries} yields it. */
export type RevocationEntry =
  | { readonly kind: 'jti'; readonly jti: string; readonly expiresAt: number }
  | { readonly kind: 'sub'; readonly sub: string; readonly cutoff: number; readonly expiresAt: number }
  | { readonly kind: 'kid'; readonly kid: string; readonly expiresAt: number };

/** Options of {@link RevocationStore.entries}. */
export interface RevocationEntriesOptions {
  /** Which kinds of entry, listed in this order. Default `['jti', 'sub', 'kid']`. */
  kinds?: readonly RevocationEntryKind[];
  /**
   * Entries read from the backend per step (one SQL query, one Redis SCAN/HSCAN with this COUNT), from 1 to 1000:
   * what a listing holds in memory at once, and how long it occupies a Redis server per command. Default 500.
   */
  pageSize?: number;
}

const KINDS: readonly RevocationEntryKind[] = ['jti', 'sub', 'kid'];
export const MAX_PAGE = 1000;

/** The checked arguments of `entries()`. @internal */
export interface EntriesArgs {
  now: number;
  kinds: readonly RevocationEntryKind[];
  pageSize: number;
}

/** Checks `entries()`'s arguments where it is called (not at the first `next()`). Throws `ERR_INVALID_OPTION`. */
export function checkEntriesArgs(now: unknown, input: unknown): EntriesArgs {
  instant(now, 'now');
  const options = snapshot(input, 'entries() options');
  for (const name in options) {
    if (name !== 'kinds' && name !== 'pageSize') throw err('ERR_INVALID_OPTION', `unknown option "${name}"`);
  }
  const pageSize = positiveInt(options.pageSize, 500, 'pageSize', MAX_PAGE);
  let kinds = KINDS;
  if (options.kinds !== undefined) {
    const raw = options.kinds;
    const list = callerRead(() => (Array.isArray(raw) && raw.length <= KINDS.length ? [...raw] : undefined), 'kinds');
    if (
      list === undefined ||
      list.length === 0 ||
      !list.every((k) => KINDS.includes(k as RevocationEntryKind)) ||
      new Set(list).size !== list.length
    ) {
      throw err('ERR_INVALID_OPTION', '"kinds" must list some of "jti", "sub" and "kid", each once');
    }
    kinds = list as RevocationEntryKind[];
  }
  return { now: now as number, kinds, pageSize };
}

/** The entries of an in-memory table, walked live (a `Map` iterator tolerates writes meanwhile). @internal */
export async function* walkTable(
  table: RevocationTable,
  { now, kinds }: EntriesArgs,
  open: () => void,
): AsyncGenerator<RevocationEntry> {
  for (const kind of kinds) {
    if (kind === 'sub') {
      for (const [sub, e] of table.subjects) {
        open();
        if (e.expiresAt >= now) yield { kind, sub, cutoff: e.cutoff, expiresAt: e.expiresAt };
      }
      continue;
    }
    for (const [id, expiresAt] of kind === 'jti' ? table.jtis : table.kids) {
      open();
      if (expiresAt >= now) yield kind === 'jti' ? { kind, jti: id, expiresAt } : { kind, kid: id, expiresAt };
    }
  }
}
