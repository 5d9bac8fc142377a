import { isObject } from '../encoding/json.js';
import { err, JotError } from '../errors.js';
import { callerRead } from '../options.js';
import { LOOKUP_SYNC } from './lookup.js';
import type { RevocationStore } from './types.js';

// A caller's revocation store as createRevocationList uses it: its methods read once, bound and guarded.

const STORE_METHODS = ['addJti', 'hasJti', 'setSubjectCutoff', 'getSubjectCutoff', 'purge', 'close'] as const;
const OPTIONAL_METHODS = [
  'hasJtiSync',
  'getSubjectCutoffSync',
  'ready',
  'addKid',
  'hasKid',
  'hasKidSync',
  'insertIfAbsent',
] as const;

/**
 * The caller's store, its methods read once and bound: a getter or Proxy trap that throws is ERR_INVALID_OPTION,
 * and so is a method that throws or rejects with anything but a JotError (never a reason to fail open).
 */
export function checkStore(store: unknown): RevocationStore {
  const fail = () => err('ERR_INVALID_OPTION', `"store" must implement RevocationStore (${STORE_METHODS.join(', ')})`);
  if (!isObject(store)) throw fail();
  const out = Object.create(null) as Record<PropertyKey, unknown>;
  callerRead(() => {
    for (const m of [...STORE_METHODS, ...OPTIONAL_METHODS]) {
      const f = (store as Record<string, unknown>)[m];
      if (typeof f === 'function') {
        out[m] = SYNC_LOOKUPS.has(m)
          ? guardSyncLookup(store, f as (a: unknown, b: unknown) => unknown)
          : guardStoreMethod(store, f as (...a: unknown[]) => unknown);
      } else if (f !== undefined || (STORE_METHODS as readonly string[]).includes(m)) throw fail();
    }
    // A built-in store's one-call lookup (lookup.ts), guarded like the others; absent from a caller's own store.
    const lookup = (store as Record<symbol, unknown>)[LOOKUP_SYNC];
    if (typeof lookup === 'function') out[LOOKUP_SYNC] = guardSyncLookup(store, lookup as never);
  }, '"store"');
  return out as unknown as RevocationStore;
}

/**
 * A store method that throws anything but a JotError is a broken store, not an unreachable one: a JotError that
 * never fails open (only ERR_REVOCATION_STORE_UNAVAILABLE does), with the original as its cause.
 */
function storeFailure(e: unknown): JotError {
  return e instanceof JotError ? e : err('ERR_INVALID_OPTION', 'the revocation store failed', e);
}

/** The synchronous lookups: called on every verification, with two arguments. */
const SYNC_LOOKUPS: ReadonlySet<string> = new Set(['hasJtiSync', 'getSubjectCutoffSync', 'hasKidSync']);

/**
 * {@link guardStoreMethod} for a synchronous lookup, without a rest array per call: what it returns is used as is
 * (a promise from a broken store is truthy, hence "revoked", or not a number, hence before any cut-off).
 */
function guardSyncLookup(store: object, f: (a: unknown, b: unknown) => unknown): (a: unknown, b: unknown) => unknown {
  return (a, b) => {
    try {
      return f.call(store, a, b);
    } catch (e) {
      throw storeFailure(e);
    }
  };
}

function guardStoreMethod(store: object, f: (...a: unknown[]) => unknown): (...a: unknown[]) => unknown {
  return (...args: unknown[]) => {
    let r: unknown;
    try {
      r = f.apply(store, args);
    } catch (e) {
      throw storeFailure(e);
    }
    if (typeof (r as PromiseLike<unknown> | null)?.then === 'function') {
      return Promise.resolve(r).catch((e: unknown) => {
        throw storeFailure(e);
      });
    }
    return r;
  };
}
