import { isObject, own } from '../encoding/json.js';
import { err, isJotError } from '../errors.js';
import { decodeUnverified } from '../jwt/decode.js';
import { LOOKUP_SYNC, type LookupSync } from './lookup.js';
import { memoryStore } from './memory.js';
import { checkStore } from './store-guard.js';
import type {
  RevocableClaims,
  RevocationList,
  RevocationListOptions,
  RevokeKeyOptions,
  RevokeSubjectOptions,
} from './types.js';
import { callerRead, snapshot } from '../options.js';
import { checkId, instant, MAX_TIME, MAX_TIMER, seconds } from './validate.js';

const DEFAULT_SUBJECT_RETENTION = 30 * 24 * 3600;
const DEFAULT_PURGE_INTERVAL = 60;
const DEFAULT_KEY_RETENTION = 365 * 24 * 3600;
/** Longest `kid` a list stores or looks up (longer header values are never a revoked key). */
const MAX_KID_LENGTH = 1024;

function systemClock(): number {
  return Date.now() / 1000;
}

/** Resolves once `Date.now()` has reached `t` (whole seconds): under a second after a default cut-off. */
async function untilSystemClock(t: number): Promise<void> {
  for (let left = t * 1000 - Date.now(); left > 0; left = t * 1000 - Date.now()) {
    await new Promise((resolve) => setTimeout(resolve, left));
  }
}

/**
 * The claims of a compact signed JWT (decoded, not verified) or a claims object, for `revoke` and `isRevoked`
 * alike. An encrypted token is refused: its claims are only known after decryption.
 */
function tokenClaims(tokenOrClaims: unknown, fn: string): Readonly<Record<string, unknown>> {
  if (typeof tokenOrClaims === 'string') {
    const decoded = decodeUnverified(tokenOrClaims);
    if (decoded.encrypted)
      throw err('ERR_INVALID_OPTION', `${fn}() needs the claims of an encrypted token: decrypt it`);
    return decoded.payload;
  }
  if (!isObject(tokenOrClaims)) throw err('ERR_INVALID_OPTION', `${fn}() takes a compact JWT or a claims object`);
  return tokenOrClaims;
}

/** The claims of a token to revoke: `jti` and `exp` required, nothing verified. */
function revocableClaims(tokenOrClaims: unknown): { jti: string; exp: number } {
  const claims = tokenClaims(tokenOrClaims, 'revoke');
  const jti = own(claims, 'jti');
  const exp = own(claims, 'exp');
  if (jti === undefined) throw err('ERR_INVALID_OPTION', 'a token is revoked by its "jti" claim, which is missing');
  checkId(jti, 'jti');
  if (typeof exp !== 'number' || !Number.isFinite(exp)) {
    throw err('ERR_INVALID_OPTION', 'revoke() needs a numeric "exp" claim: a token without one cannot be revoked');
  }
  return { jti, exp: instant(exp, 'exp') };
}

/**
 * Creates a revocation list over a store (default: {@link memoryStore}).
 *
 * @example
 * ```ts
 * import { createRevocationList, sqliteStore } from 'jotjs/revocation';
 * const revocation = createRevocationList({ store: sqliteStore({ path: 'revoked.db' }) });
 * await revocation.revoke(token); // by jti, until exp
 * await revocation.revokeSubject('user-42'); // every token of user-42 issued until now
 * if (await revocation.isRevoked(payload)) throw new Error('revoked');
 * ```
 */
export function createRevocationList(input: RevocationListOptions = {}): RevocationList {
  const options = snapshot(input, 'createRevocationList() options') as RevocationListOptions;
  const store = options.store === undefined ? memoryStore() : checkStore(options.store);
  const failOpen = options.failOpen ?? false;
  if (typeof failOpen !== 'boolean') throw err('ERR_INVALID_OPTION', '"failOpen" must be a boolean');
  const clockTolerance = seconds(options.clockTolerance, 0, 'clockTolerance');
  const subjectRetention = seconds(options.subjectRetention, DEFAULT_SUBJECT_RETENTION, 'subjectRetention');
  const purgeInterval = seconds(options.purgeInterval, DEFAULT_PURGE_INTERVAL, 'purgeInterval', MAX_TIMER);
  const clockOption = options.clock ?? systemClock;
  if (typeof clockOption !== 'function') throw err('ERR_INVALID_OPTION', '"clock" must be a function');
  /**
   * The caller's clock, bounded like every other instant (a NaN "now" would make lookups forget entries); the system
   * clock is read as is (Date.now() is always such an instant).
   */
  const clock =
    clockOption === systemClock
      ? systemClock
      : (): number => {
          let now: unknown;
          try {
            now = clockOption();
          } catch (e) {
            throw err('ERR_INVALID_OPTION', '"clock" failed', e);
          }
          return instant(now, 'clock()');
        };
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

  // With the system clock (it cannot fail), a built-in store answers a token without a `kid` in one call.
  const lookupSync =
    sync && clockOption === systemClock
      ? ((store as unknown as Record<symbol, LookupSync | undefined>)[LOOKUP_SYNC] ?? undefined)
      : undefined;

  let timer: ReturnType<typeof setInterval> | undefined;
  if (purgeInterval > 0) {
    timer = setInterval(() => {
      // A failed background purge is retried at the next tick; lookups ignore expired entries anyway.
      try {
        store.purge(clock()).catch(() => {});
      } catch {
        // a clock or store that throws: lookups still refuse expired entries
      }
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

  /** The header's `kid` when a revoked key could be named by it. */
  function kidOf(header: unknown): string | undefined {
    if (!keys || !isObject(header)) return undefined;
    const kid = own(header, 'kid');
    return typeof kid === 'string' && kid.length > 0 && kid.length <= MAX_KID_LENGTH ? kid : undefined;
  }

  /** The synchronous lookups one by one: the key, the `jti`, the subject's cut-off. */
  function revokedSyncAt(claims: Readonly<Record<string, unknown>>, kid: string | undefined, now: number): boolean {
    if (kid !== undefined && store.hasKidSync!(kid, now)) return true;
    const jti = own(claims, 'jti');
    if (typeof jti === 'string' && store.hasJtiSync!(jti, now)) return true;
    const sub = own(claims, 'sub');
    return typeof sub === 'string' && beforeCutoff(claims, store.getSubjectCutoffSync!(sub, now));
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
      const expiresAt = Math.min(exp + clockTolerance, MAX_TIME);
      // Past exp + tolerance the token is rejected as expired: nothing worth storing.
      if (expiresAt < now) return;
      await store.addJti(jti, expiresAt, now);
    },

    async revokeSubject(sub: string, input: RevokeSubjectOptions = {}): Promise<void> {
      checkId(sub, 'sub');
      const opts = snapshot(input, 'revokeSubject() options') as RevokeSubjectOptions;
      const now = clock();
      const before = opts.issuedBefore;
      const cutoff =
        before === undefined
          ? Math.floor(now) + 1
          : callerRead(() => (before instanceof Date ? before.getTime() / 1000 : before), 'issuedBefore');
      if (typeof cutoff !== 'number' || !Number.isFinite(cutoff)) {
        throw err('ERR_INVALID_OPTION', '"issuedBefore" must be a Date or Unix seconds');
      }
      instant(cutoff, 'issuedBefore');
      // A token issued before the cut-off expires before cutoff + retention (lifetime <= retention).
      const expiresAt = Math.min(cutoff + subjectRetention, MAX_TIME);
      if (expiresAt < now) return;
      await store.setSubjectCutoff(sub, cutoff, expiresAt, now);
      // `iat` is in whole seconds: the cut-off is the next whole second, so every token issued before this call (or
      // during it) has iat < cutoff, and the call returns once the clock has reached the cut-off, so every token
      // issued after it has iat >= cutoff and passes. The wait is under a second; a custom clock is not waited for.
      if (before === undefined && clockOption === systemClock) await untilSystemClock(cutoff);
    },

    async revokeKey(kid: string, input: RevokeKeyOptions = {}): Promise<void> {
      checkKid(kid);
      const opts = snapshot(input, 'revokeKey() options') as RevokeKeyOptions;
      if (!keys) throw err('ERR_INVALID_OPTION', 'this revocation store cannot revoke keys (addKid, hasKid)');
      const now = clock();
      const until = opts.until;
      const expiresAt =
        until === undefined
          ? Math.min(now + keyRetention, MAX_TIME)
          : callerRead(() => (until instanceof Date ? until.getTime() / 1000 : until), 'until');
      if (typeof expiresAt !== 'number' || !Number.isFinite(expiresAt)) {
        throw err('ERR_INVALID_OPTION', '"until" must be a Date or Unix seconds');
      }
      instant(expiresAt, 'until');
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
      if (!sync)
        throw err('ERR_JOSE_NOT_SUPPORTED', 'this revocation store has no synchronous lookup: use isKeyRevoked()');
      checkKid(kid);
      if (!keys) return false;
      try {
        return store.hasKidSync!(kid, clock());
      } catch (e) {
        return unavailable(e);
      }
    },

    async isRevoked(
      tokenOrClaims: string | Readonly<Record<string, unknown>>,
      header?: Readonly<Record<string, unknown>>,
    ): Promise<boolean> {
      const claims = tokenClaims(tokenOrClaims, 'isRevoked');
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

    isRevokedSync(
      tokenOrClaims: string | Readonly<Record<string, unknown>>,
      header?: Readonly<Record<string, unknown>>,
    ): boolean {
      if (!sync)
        throw err('ERR_JOSE_NOT_SUPPORTED', 'this revocation store has no synchronous lookup: use isRevoked()');
      const claims = tokenClaims(tokenOrClaims, 'isRevoked');
      try {
        if (lookupSync !== undefined) {
          const kid = kidOf(header);
          if (kid === undefined) {
            const found = lookupSync(claims, systemClock);
            return found === true || beforeCutoff(claims, found);
          }
          return revokedSyncAt(claims, kid, systemClock());
        }
        const now = clock();
        return revokedSyncAt(claims, kidOf(header), now);
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
