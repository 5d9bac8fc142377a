import type { RevocationEntriesOptions, RevocationEntry } from './entries.js';

/**
 * What a revocation list asks of its storage. Times are Unix seconds (fractional allowed) taken
 * from the list's clock and passed in, so a store never reads a clock of its own.
 *
 * Contract:
 * - `addJti` and `setSubjectCutoff` resolve only once the write is durable for that store; they
 *   never lower what is stored (a later expiry or cut-off wins).
 * - an entry whose `expiresAt` is earlier than `now` may be forgotten at any time.
 * - an unreachable backend makes a method throw a `JotError` with code
 *   `ERR_REVOCATION_STORE_UNAVAILABLE`; the list turns that into fail-closed or fail-open.
 * - the `*Sync` variants, where present, answer without I/O to a remote server.
 */
export interface RevocationStore {
  /** Records `jti` as revoked until `expiresAt`. */
  addJti(jti: string, expiresAt: number, now: number): Promise<void>;
  /** Is `jti` revoked and unexpired at `now`? */
  hasJti(jti: string, now: number): Promise<boolean>;
  /** Synchronous {@link RevocationStore.hasJti}, for stores that can answer without waiting. */
  hasJtiSync?(jti: string, now: number): boolean;
  /** Raises `sub`'s cut-off to at least `cutoff`, kept until `expiresAt`. */
  setSubjectCutoff(sub: string, cutoff: number, expiresAt: number, now: number): Promise<void>;
  /** The subject's unexpired cut-off, if any. */
  getSubjectCutoff(sub: string, now: number): Promise<number | undefined>;
  /** Synchronous {@link RevocationStore.getSubjectCutoff}, for stores that can answer without waiting. */
  getSubjectCutoffSync?(sub: string, now: number): number | undefined;
  /** Records a signing key's `kid` as revoked until `expiresAt` (stores without it cannot revoke keys). */
  addKid?(kid: string, expiresAt: number, now: number): Promise<void>;
  /** Is the key `kid` revoked and unexpired at `now`? */
  hasKid?(kid: string, now: number): Promise<boolean>;
  /** Synchronous {@link RevocationStore.hasKid}, for stores that can answer without waiting. */
  hasKidSync?(kid: string, now: number): boolean;
  /** Forgets entries that expired before `now`. */
  purge(now: number): Promise<void>;
  /**
   * Lists the entries unexpired at `now`, kind by kind (`options.kinds`), reading the backend a page at a time: at
   * most `pageSize` entries (default 500, at most 1000) are held at once, whatever the size of the list. Built-in
   * stores: memory (walks its maps), SQLite (one short read query per page, keyed on the last id, so no read
   * transaction stays open between pages and no write lock is taken), Redis (SCAN on every master and HSCAN of the
   * subject hash, never KEYS or HGETALL, so no command blocks the server; it never loads this process's cache).
   * An entry present throughout the listing is yielded at least once (on Redis possibly twice, as SCAN may return
   * a key again); one written or expiring meanwhile may or may not be. Arguments are checked when called
   * (`ERR_INVALID_OPTION`); a backend failure is `ERR_REVOCATION_STORE_UNAVAILABLE`. Stop early with `break`.
   */
  entries?(now: number, options?: RevocationEntriesOptions): AsyncIterableIterator<RevocationEntry>;
  /** Resolves once the store can answer (a remote store has loaded its cache). */
  ready?(): Promise<void>;
  /** Flushes pending writes and releases connections and timers. */
  close(): Promise<void>;
}

/** The claims `revoke()` accepts: a `jti` and the token's `exp` are required. */
export interface RevocableClaims {
  /** The token's identifier: the revocation key. */
  jti: string;
  /** The token's expiry (Unix seconds): the entry is kept until then, plus the list's `clockTolerance`. */
  exp: number;
  /** The token's subject (not used by `revoke()`, accepted so that verified claims can be passed as they are). */
  sub?: string;
  /** The token's issue time (not used by `revoke()`). */
  iat?: number;
  /** Other claims, ignored. */
  [claim: string]: unknown;
}

/** Options of {@link RevocationList.revokeSubject}. */
export interface RevokeSubjectOptions {
  /**
   * Tokens of the subject issued (`iat`) strictly before this instant are revoked. Default: the next whole second
   * after now, and the call resolves once that second has begun (under a second later), so that every token issued
   * before the call is refused and every token issued after it passes, although `iat` has whole seconds. With a
   * custom `clock` the call does not wait.
   */
  issuedBefore?: number | Date;
}

/** Options of {@link RevocationList.revokeKey}. */
export interface RevokeKeyOptions {
  /** Until when the key stays revoked (Date or Unix seconds). Default: now plus the list's `keyRetention`. */
  until?: number | Date;
}

/** A revocation list: consult it on every verification, including verified-cache hits. */
export interface RevocationList {
  /**
   * Revokes one token by its `jti`, until its `exp` plus `clockTolerance`. Accepts the compact token
   * (decoded without verification: the caller is trusted) or its claims. Never keyed on the token
   * string, so re-encoded twins of a token are revoked too. Resolves once the store made it durable.
   */
  revoke(tokenOrClaims: string | RevocableClaims): Promise<void>;
  /** Revokes every token of `sub` issued before `issuedBefore` ("log out everywhere"). */
  revokeSubject(sub: string, options?: RevokeSubjectOptions): Promise<void>;
  /**
   * Revokes a signing key by its `kid` (a leaked key): every token whose protected header names it is refused by
   * verifiers consulting this list, whatever its claims, until `until`. Resolves once durable.
   */
  revokeKey(kid: string, options?: RevokeKeyOptions): Promise<void>;
  /** Is the signing key `kid` revoked? */
  isKeyRevoked(kid: string): Promise<boolean>;
  /** Synchronous {@link RevocationList.isKeyRevoked}. */
  isKeyRevokedSync(kid: string): boolean;
  /**
   * Is this token revoked? Takes the verified claims object or, like `revoke`, a compact signed JWT (decoded,
   * not verified: verify it too). With the token's protected `header`, a revoked `kid` counts too. Fails closed
   * unless the list was created with `failOpen`.
   */
  isRevoked(
    tokenOrClaims: string | Readonly<Record<string, unknown>>,
    header?: Readonly<Record<string, unknown>>,
  ): Promise<boolean>;
  /** Synchronous {@link RevocationList.isRevoked}, for stores with a synchronous lookup (see `sync`). */
  isRevokedSync(
    tokenOrClaims: string | Readonly<Record<string, unknown>>,
    header?: Readonly<Record<string, unknown>>,
  ): boolean;
  /** `true` when `isRevokedSync` is available (all built-in stores). */
  readonly sync: boolean;
  /** Resolves once the store can answer (a Redis store has connected and loaded its cache). */
  ready(): Promise<void>;
  /** Forgets expired entries now (also done every `purgeInterval` seconds). */
  purge(): Promise<void>;
  /** Stops the purge timer and closes the store. */
  close(): Promise<void>;
}

/** Options of {@link createRevocationList}. */
export interface RevocationListOptions {
  /** Where revocations live. Default: a fresh `memoryStore()`. */
  store?: RevocationStore;
  /**
   * `false` (default): when the store is unreachable, `isRevoked` throws
   * `ERR_REVOCATION_STORE_UNAVAILABLE` and verification fails. `true`: it answers "not revoked",
   * which keeps serving during an outage at the cost of honouring revocations. Writes never fail open.
   */
  failOpen?: boolean;
  /**
   * Seconds a revoked `jti` is kept past its `exp`. Set it to at least the largest `clockTolerance`
   * of the verifiers that consult this list, or a token could outlive its revocation. Default 0.
   */
  clockTolerance?: number;
  /**
   * Seconds a subject's cut-off is kept after the cut-off instant. Tokens issued before the cut-off
   * stay revoked only while it is kept, so set it to at least your longest token lifetime plus
   * tolerance. Default 30 days (2 592 000).
   */
  subjectRetention?: number;
  /**
   * Seconds a key revoked by `revokeKey` stays revoked by default. Keep it longer than the longest token
   * lifetime plus the longest key set cache of your verifiers. Default one year (31 536 000).
   */
  keyRetention?: number;
  /** Seconds between background purges (an unref'd timer). 0 disables them. Default 60. */
  purgeInterval?: number;
  /** The current time in Unix seconds. Default: `Date.now() / 1000`. For tests. */
  clock?: () => number;
  /** Called with the error whenever `failOpen` answered "not revoked" because the store failed. */
  onFailOpen?: (error: unknown) => void;
}
