import { err } from '../errors.js';

/**
 * A one-time-use register: the atomic "insert if absent, with an expiry" that replay detection needs (DPoP proof
 * `jti`s, RFC 9449 section 11.1). Every built-in revocation store implements it in its own key space, apart from
 * revoked `jti`s, so one store (and one Redis or SQLite file shared by every instance) serves both.
 *
 * Contract: `insertIfAbsent(id, expiresAt, now)` resolves `true` when `id` was absent (or had expired before
 * `now`) and is now held until `expiresAt`, and `false` when an unexpired entry was already there. It is atomic
 * across every process sharing the store: of two concurrent calls with one `id`, exactly one gets `true`. An
 * unreachable backend throws `ERR_REVOCATION_STORE_UNAVAILABLE` (callers fail closed); a full memory store throws
 * `ERR_LIMIT_EXCEEDED`.
 */
export interface ReplayStore {
  /** Holds `id` until `expiresAt` if it is absent (or expired): `true`; `false` when it is already held. */
  insertIfAbsent(id: string, expiresAt: number, now: number): Promise<boolean>;
}

/** Longest id a replay store accepts (callers hash long values first). */
export const MAX_REPLAY_ID_LENGTH = 512;

/** Checks the arguments of `insertIfAbsent`; throws `ERR_INVALID_OPTION`. @internal */
export function checkReplayArgs(id: unknown, expiresAt: unknown, now: unknown): void {
  if (typeof id !== 'string' || id.length === 0 || id.length > MAX_REPLAY_ID_LENGTH) {
    throw err('ERR_INVALID_OPTION', `a replay id must be a non-empty string of at most ${MAX_REPLAY_ID_LENGTH}`);
  }
  if (
    typeof expiresAt !== 'number' ||
    !Number.isFinite(expiresAt) ||
    typeof now !== 'number' ||
    !Number.isFinite(now)
  ) {
    throw err('ERR_INVALID_OPTION', 'expiresAt and now must be finite Unix seconds');
  }
}

/**
 * Is `value` a {@link ReplayStore}? False for anything else, including a value whose members cannot be read.
 *
 * @example
 * ```ts
 * import { isReplayStore, memoryStore } from 'jotjs/revocation';
 * const replay = isReplayStore(store) ? store : memoryStore();
 * ```
 */
export function isReplayStore(value: unknown): value is ReplayStore {
  try {
    return (
      typeof value === 'object' &&
      value !== null &&
      typeof (value as Partial<ReplayStore>).insertIfAbsent === 'function'
    );
  } catch {
    return false; // a getter or Proxy trap that throws: not a usable store
  }
}

/** The in-memory one-time-use register of `memoryStore`: a `Map` from id to expiry, bounded by its owner. @internal */
export class OnceTable {
  readonly ids = new Map<string, number>();

  get size(): number {
    return this.ids.size;
  }

  /** Synchronous, hence atomic within the process. */
  insert(id: string, expiresAt: number, now: number): boolean {
    const current = this.ids.get(id);
    if (current !== undefined && current >= now) return false;
    this.ids.set(id, expiresAt);
    return true;
  }

  purge(now: number): void {
    for (const [id, expiresAt] of this.ids) if (expiresAt < now) this.ids.delete(id);
  }
}
