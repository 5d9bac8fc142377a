import { intOption, readOptions } from '../options.js';
import type { Key } from '../key/key.js';
import { ONE_DAY, parseDuration } from './duration.js';
import type { HeaderInfo } from './verify-policy.js';

/** Tokens longer than this are verified but never cached: bounds the cache's memory to `max` times this. */
export const CACHEABLE_TOKEN_LENGTH = 8192;

/** One verified token. The claims are kept as their verified JSON text and parsed afresh on every hit. @internal */
export interface CacheEntry {
  readonly claimsText: string;
  readonly info: HeaderInfo;
  readonly key: Key;
  /** Unix seconds after which the entry is dropped: the token's `exp` (plus tolerance) or the TTL, earlier first. */
  readonly until: number;
}

/**
 * The verified-token cache of one verifier (so never shared across policies or keys): a bounded LRU keyed by the
 * exact token string. A Map lookup on the whole string is an exact key (no digest collisions, no hashing cost).
 * @internal
 */
export class VerifiedTokenCache {
  readonly #entries = new Map<string, CacheEntry>();
  readonly max: number;
  readonly ttl: number;

  constructor(options: unknown) {
    const o = readOptions(options, new Set(['max', 'ttl']), 'cache');
    this.max = intOption(o.max, 'cache.max', 1000, 1, 1_000_000);
    this.ttl = o.ttl === undefined ? 600 : parseDuration(o.ttl, 'cache.ttl', 1, ONE_DAY);
  }

  /** The live entry for `token` at `now`, made most recently used; expired entries are dropped. */
  get(token: string, now: number): CacheEntry | undefined {
    const e = this.#entries.get(token);
    if (e === undefined) return undefined;
    this.#entries.delete(token);
    if (now >= e.until) return undefined;
    this.#entries.set(token, e);
    return e;
  }

  /** Remember a verified token, until `min(exp + tolerance, now + ttl)`. */
  set(token: string, claimsText: string, info: HeaderInfo, key: Key, exp: unknown, tolerance: number, now: number) {
    if (token.length > CACHEABLE_TOKEN_LENGTH) return;
    let until = now + this.ttl;
    if (typeof exp === 'number' && exp + tolerance < until) until = exp + tolerance;
    if (this.#entries.size >= this.max) this.#entries.delete(this.#entries.keys().next().value as string);
    this.#entries.set(token, { claimsText, info, key, until });
  }

  delete(token: string): void {
    this.#entries.delete(token);
  }

  get size(): number {
    return this.#entries.size;
  }
}
