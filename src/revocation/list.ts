import { isObject, own } from '../encoding/json.js';
import { err, isJotError } from '../errors.js';
import { decodeUnverified } from '../jwt/decode.js';
import { memoryStore } from './memory.js';
import type {
  RevocableClaims,
  RevocationList,
  RevocationListOptions,
  RevocationStore,
  RevokeKeyOptions,
  RevokeSubjectOptions,
} from './types.js';
import { checkId, checkOptions, seconds } from './validate.js';

const DEFAULT_SUBJECT_RETENTION = 30 * 24 * 3600;
const DEFAULT_PURGE_INTERVAL = 60;
const DEFAULT_KEY_RETENTION = 365 * 24 * 3600;
/** Longest `kid` a list stores or looks up (longer header values are never a revoked key). */
const MAX_KID_LENGTH = 1024;

function systemClock(): number {
  return Date.now() / 1000;
}

function checkStore(store: unknown): RevocationStore {
  const methods = ['addJti', 'hasJti', 'setSubjectCutoff', 'getSubjectCutoff', 'purge', 'close'];
  if (!isObject(store) || methods.some((m) => typeof store[m] !== 'function')) {
    throw err('ERR_INVALID_OPTION', `"store" must implement RevocationStore (${methods.join(', ')})`);
  }
  return store as unknown as RevocationStore;
}

/** The claims of a token to revoke: `jti` and `exp` required, nothing verified. */
function revocableClaims(tokenOrClaims: unknown): { jti: string; exp: number } {
  const claims = typeof tokenOrClaims === 'string' ? decodeUnverified(tokenOrClaims).payload : tokenOrClaims;
  if (!isObject(claims)) throw err('ERR_INVALID_OPTION', 'revoke() takes a compact JWT or a claims object');
  const jti = own(claims, 'jti');
  const exp = own(claims, 'exp');
  if (jti === undefined) throw err('ERR_INVALID_OPTION', 'a token is revoked by its "jti" claim, which is missing');
  checkId(jti, 'jti');
  if (typeof exp !== 'number' || !Number.isFinite(exp)) {
    throw err('ERR_INVALID_OPTION', 'revoke() needs a numeric "exp" claim: a token without one cannot be revoked');
  }
  return { jti, exp };
}

/**
 * Creates a revocation list over a store (default: {@link memoryStore}).
 *
 * @example
 * ```ts
 * const revocation = createRevocationList({ store: sqliteStore({ path: 'revoked.db' }) });
 * await revocation.revoke(token); // by jti, until exp
 * await revocation.revokeSubject('user-42'); // every token of user-42 issued until now
 * if (await revocation.isRevoked(payload)) throw new Error('revoked');
 * ```
 */
export function createRevocationList(options: RevocationListOptions = {}): RevocationList {
  checkOptions(options);
  const store = options.store === undefined ? memoryStore() : checkStore(options.store);
  const failOpen = options.failOpen ?? false;
  if (typeof failOpen !== 'boolean') throw err('ERR_INVALID_OPTION', '"failOpen" must be a boolean');
  const clockTolerance = seconds(options.clockTolerance, 0, 'clockTolerance');
  const subjectRetention = seconds(options.subjectRetention, DEFAULT_SUBJECT_RETENTION, 'subjectRetention');
  const purgeInterval = seconds(options.purgeInterval, DEFAULT_PURGE_INTERVAL, 'purgeInterval');
  const clock = options.clock ?? systemClock;
  if (typeof clock !== 'function') throw err('ERR_INVALID_OPTION', '"clock" must be a function');
  const onFailOpen = options.onFailOpen;
  if (onFailOpen !== undefined && typeof onFailOpen !== 'function') {
    throw err('ERR_INVALID_OPTION', '"onFailOpen" must be a function');
  }
  const keyRetention = seconds(options.keyRetention, DEFAULT_KEY_RETENTION, 'keyRetention');
  // Keys are revocable on stores that implement the kid methods (every built-in store).
  const keys = typeof store.addKid === 'function' && typeof store.hasKid === 'function';
  const sync =
    typeof store.hasJtiSync === 'function' &&
    typeof store.getSubjectCutoffSync === 'function' &&
    (!keys || typeof store.hasKidSync === 'function');

  let timer: ReturnType<typeof setInterval> | undefined;
  if (purgeInterval > 0) {
    timer = setInterval(() => {
      // A failed background purge is retried at the next tick; lookups ignore expired entries anyway.
      store.purge(clock()).catch(() => {});
    }, purgeInterval * 1000);
    timer.unref();
  }

  /** Revoked by a subject cut-off? A token without a numeric `iat` is treated as issued before it. */
  function beforeCutoff(claims: Readonly<Record<string, unknown>>, cutoff: number | undefined): boolean {
    if (cutoff === undefined) return false;
    const iat = own(claims, 'iat');
    return !(typeof iat === 'number' && iat >= cutoff);
  }

  function unavailable(e: unknown): boolean {
    if (!failOpen || !isJotError(e, 'ERR_REVOCATION_STORE_UNAVAILABLE')) throw e;
    onFailOpen?.(e);
    return false;
  }

  function checkClaims(claims: unknown): asserts claims is Readonly<Record<string, unknown>> {
    if (!isObject(claims)) throw err('ERR_INVALID_OPTION', 'isRevoked() takes the verified claims object');
  }

  /** The header's `kid` when a revoked key could be named by it. */
  function kidOf(header: unknown): string | undefined {
    if (!keys || !isObject(header)) return undefined;
    const kid = own(header, 'kid');
    return typeof kid === 'string' && kid.length > 0 && kid.length <= MAX_KID_LENGTH ? kid : undefined;
  }

  function checkKid(kid: unknown): asserts kid is string {
    if (typeof kid !== 'string' || kid.length === 0 || kid.length > MAX_KID_LENGTH) {
      throw err('ERR_INVALID_OPTION', `"kid" must be a non-empty string of at most ${MAX_KID_LENGTH} characters`);
    }
  }

  return {
    sync,

    async revoke(tokenOrClaims: string | RevocableClaims): Promise<void> {
      const { jti, exp } = revocableClaims(tokenOrClaims);
      const now = clock();
      const expiresAt = exp + clockTolerance;
      // Past exp + tolerance the token is rejected as expired: nothing worth storing.
      if (expiresAt < now) return;
      await store.addJti(jti, expiresAt, now);
    },

    async revokeSubject(sub: string, opts: RevokeSubjectOptions = {}): Promise<void> {
      checkId(sub, 'sub');
      checkOptions(opts);
      const now = clock();
      const before = opts.issuedBefore;
      const cutoff = before === undefined ? now : before instanceof Date ? before.getTime() / 1000 : before;
      if (typeof cutoff !== 'number' || !Number.isFinite(cutoff)) {
        throw err('ERR_INVALID_OPTION', '"issuedBefore" must be a Date or Unix seconds');
      }
      // A token issued before the cut-off expires before cutoff + retention (lifetime <= retention).
      const expiresAt = cutoff + subjectRetention;
      if (expiresAt < now) return;
      await store.setSubjectCutoff(sub, cutoff, expiresAt, now);
    },

    async revokeKey(kid: string, opts: RevokeKeyOptions = {}): Promise<void> {
      checkKid(kid);
      checkOptions(opts);
      if (!keys) throw err('ERR_INVALID_OPTION', 'this revocation store cannot revoke keys (addKid, hasKid)');
      const now = clock();
      const until = opts.until;
      const expiresAt =
        until === undefined ? now + keyRetention : until instanceof Date ? until.getTime() / 1000 : until;
      if (typeof expiresAt !== 'number' || !Number.isFinite(expiresAt)) {
        throw err('ERR_INVALID_OPTION', '"until" must be a Date or Unix seconds');
      }
      if (expiresAt < now) return;
      await store.addKid!(kid, expiresAt, now);
    },

    async isKeyRevoked(kid: string): Promise<boolean> {
      checkKid(kid);
      if (!keys) return false;
      try {
        return await store.hasKid!(kid, clock());
      } catch (e) {
        return unavailable(e);
      }
    },

    isKeyRevokedSync(kid: string): boolean {
      if (!sync) throw err('ERR_INVALID_OPTION', 'this revocation store has no synchronous lookup: use isKeyRevoked()');
      checkKid(kid);
      if (!keys) return false;
      try {
        return store.hasKidSync!(kid, clock());
      } catch (e) {
        return unavailable(e);
      }
    },

    async isRevoked(
      claims: Readonly<Record<string, unknown>>,
      header?: Readonly<Record<string, unknown>>,
    ): Promise<boolean> {
      checkClaims(claims);
      try {
        const now = clock();
        const kid = kidOf(header);
        if (kid !== undefined && (await store.hasKid!(kid, now))) return true;
        const jti = own(claims, 'jti');
        if (typeof jti === 'string' && (await store.hasJti(jti, now))) return true;
        const sub = own(claims, 'sub');
        return typeof sub === 'string' && beforeCutoff(claims, await store.getSubjectCutoff(sub, now));
      } catch (e) {
        return unavailable(e);
      }
    },

    isRevokedSync(claims: Readonly<Record<string, unknown>>, header?: Readonly<Record<string, unknown>>): boolean {
      if (!sync) throw err('ERR_INVALID_OPTION', 'this revocation store has no synchronous lookup: use isRevoked()');
      checkClaims(claims);
      try {
        const now = clock();
        const kid = kidOf(header);
        if (kid !== undefined && store.hasKidSync!(kid, now)) return true;
        const jti = own(claims, 'jti');
        if (typeof jti === 'string' && store.hasJtiSync!(jti, now)) return true;
        const sub = own(claims, 'sub');
        return typeof sub === 'string' && beforeCutoff(claims, store.getSubjectCutoffSync!(sub, now));
      } catch (e) {
        return unavailable(e);
      }
    },

    async ready(): Promise<void> {
      await store.ready?.();
    },

    async purge(): Promise<void> {
      await store.purge(clock());
    },

    async close(): Promise<void> {
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
      await store.close();
    },
  };
}
