import { backend } from '../crypto/backend.js';
import { err } from '../errors.js';
import { checkVerifyKey, type KeyResolver } from '../jws/policy.js';
import { isKey, type Key } from '../key/key.js';
import { candidatesMethod, resolveCandidates, resolveCandidatesSync } from '../keyset/candidates.js';
import { readOptions, callerError } from '../options.js';
import { type CacheEntry, VerifiedTokenCache } from './cache.js';
import { checkClaims, policyNow } from './claims.js';
import type { CreateVerifierOptions, JwtClaims, JwtVerifier, JwtVerifyResult, VerifyJwtOptions } from './types.js';
import {
  checkRevocation,
  checkRevocationSync,
  claimsText,
  compileVerifyPolicy,
  fixedKey,
  type HeaderInfo,
  parseClaims,
  resolverError,
  type SplitToken,
  splitToken,
  VERIFY_OPTIONS,
  type VerifyPolicy,
  verifySignature,
  verifySignatureSync,
} from './verify-core.js';

const VERIFY_OPTION_NAMES: ReadonlySet<string> = new Set(VERIFY_OPTIONS);
const VERIFIER_OPTION_NAMES: ReadonlySet<string> = new Set([...VERIFY_OPTIONS, 'key', 'cache']);

/** Everything one successful verification produced. */
interface Verified {
  readonly text: string;
  readonly payload: JwtClaims;
  readonly info: HeaderInfo;
  readonly key: Key;
  readonly now: number;
}

/** The keys a resolver offers for the token (a jot key set may offer several), each checked for the algorithm. */
async function keysAsync(policy: VerifyPolicy, t: SplitToken, token: string): Promise<readonly Key[]> {
  let resolved: readonly unknown[];
  try {
    resolved = await resolveCandidates(policy.keyOrResolver, t.info.header, token);
  } catch (e) {
    throw resolverError(e);
  }
  if (resolved.length === 0) throw err('ERR_JWKS_NO_MATCHING_KEY', 'no key for this token');
  return resolved.map((k) => checkVerifyKey(k, t.info.alg, policy.jws));
}

function keysSync(policy: VerifyPolicy, t: SplitToken, token: string): readonly Key[] {
  const kr = policy.keyOrResolver;
  if (typeof kr !== 'function') return [fixedKey(policy, t.info.alg)];
  let resolved: unknown;
  try {
    resolved = resolveCandidatesSync(kr as KeyResolver, t.info.header, token);
  } catch (e) {
    throw resolverError(e);
  }
  if (!isKey(resolved) && typeof (resolved as PromiseLike<unknown> | null)?.then === 'function') {
    Promise.resolve(resolved).catch(() => {}); // never leave a rejection unhandled
    throw err('ERR_JOSE_NOT_SUPPORTED', 'verifySync needs a key resolver that returns a Key synchronously');
  }
  const list = candidatesMethod(kr) !== undefined ? (resolved as readonly unknown[]) : [resolved];
  if (list.length === 0) throw err('ERR_JWKS_NO_MATCHING_KEY', 'no key for this token');
  return list.map((k) => checkVerifyKey(k, t.info.alg, policy.jws));
}

/** The first of `keys` whose signature check passes; when none does, the verification error. */
async function firstVerifying(t: SplitToken, keys: readonly Key[]): Promise<Key> {
  for (let i = 0; i < keys.length - 1; i++) {
    try {
      await verifySignature(t, keys[i]!);
      return keys[i]!;
    } catch {
      // the next candidate
    }
  }
  await verifySignature(t, keys[keys.length - 1]!);
  return keys[keys.length - 1]!;
}

function firstVerifyingSync(t: SplitToken, keys: readonly Key[]): Key {
  for (let i = 0; i < keys.length - 1; i++) {
    try {
      verifySignatureSync(t, keys[i]!);
      return keys[i]!;
    } catch {
      // the next candidate
    }
  }
  verifySignatureSync(t, keys[keys.length - 1]!);
  return keys[keys.length - 1]!;
}

/** The claims of a token whose signature verified: `typ`, then the claim checks. Revocation comes after. */
function claimsOf(t: SplitToken, key: Key, policy: VerifyPolicy): Verified {
  const text = claimsText(t);
  const payload = parseClaims(text, t.info, t.payload);
  const now = policyNow(policy.claims);
  checkClaims(payload, policy.claims, now);
  return { text, payload, info: t.info, key, now };
}

/** The async path: a resolver, a thread-pool signature check, a revocation list. Only those are awaited. */
async function runAsync(t: SplitToken, token: unknown, policy: VerifyPolicy): Promise<Verified> {
  let key: Key;
  if (typeof policy.keyOrResolver === 'function')
    key = await firstVerifying(t, await keysAsync(policy, t, token as string));
  else {
    key = fixedKey(policy, t.info.alg);
    await verifySignature(t, key);
  }
  const v = claimsOf(t, key, policy);
  if (policy.revocation !== undefined) await checkRevocation(policy, v.payload, v.info.header);
  return v;
}

/**
 * Format, algorithm policy, key, signature; then claims; then revocation. Never claims before the signature.
 * With nothing to wait for (a fixed key, a MAC, which costs less than a thread-pool hop, no revocation list), every
 * step runs here and now: the async API then costs the caller one promise instead of one per step.
 */
function run(token: unknown, policy: VerifyPolicy): Verified | Promise<Verified> {
  const t = splitToken(token, policy);
  if (
    typeof policy.keyOrResolver === 'function' ||
    policy.revocation !== undefined ||
    t.info.alg.family !== 'hmac' ||
    !backend().sync
  ) {
    return runAsync(t, token, policy);
  }
  const key = fixedKey(policy, t.info.alg);
  verifySignatureSync(t, key);
  return claimsOf(t, key, policy);
}

function runSync(token: unknown, policy: VerifyPolicy): Verified {
  if (!backend().sync) throw err('ERR_JOSE_NOT_SUPPORTED', 'this crypto backend cannot verify synchronously');
  const t = splitToken(token, policy);
  const key = firstVerifyingSync(t, keysSync(policy, t, token as string));
  const v = claimsOf(t, key, policy);
  checkRevocationSync(policy, v.payload, v.info.header);
  return v;
}

function result<T extends object>(v: { payload: JwtClaims; info: HeaderInfo; key: Key }): JwtVerifyResult<T> {
  return { payload: v.payload as T & JwtClaims, protectedHeader: v.info.header, key: v.key };
}

/**
 * Verify a signed JWT (compact JWS only) and validate its claims. Checks run in this order: size and structure,
 * header (`b64`, `crit`, `enc`, `none`, the algorithm allow-list, `cty`), key selection, signature, then (only for
 * an authentic token) `typ` and the claims, then revocation. Without `audience`, a token naming an audience is
 * refused unless `allowAnyAudience` is set. A nested token (`cty: "JWT"`) is refused with `ERR_JWT_INVALID`.
 *
 * @example
 * ```ts
 * import { verifyJwt } from 'jotjs';
 * const { payload } = await verifyJwt<{ scope: string }>(token, publicKey, {
 *   algorithms: ['ES256'], issuer: 'https://idp.example', audience: 'api', typ: 'at+jwt', requiredClaims: ['exp'],
 * });
 * ```
 */
export async function verifyJwt<T extends object = JwtClaims>(
  token: string,
  keyOrResolver: Key | KeyResolver | Uint8Array,
  options?: VerifyJwtOptions,
): Promise<JwtVerifyResult<T>> {
  try {
    const policy = compileVerifyPolicy(readOptions(options, VERIFY_OPTION_NAMES, 'verifyJwt'), keyOrResolver, false);
    const v = run(token, policy);
    return result<T>(v instanceof Promise ? await v : v);
  } catch (e) {
    throw callerError(e);
  }
}

/**
 * Compile verification options once and return a fast verifier: options checked, lists turned into sets, durations
 * into seconds, the key checked once per algorithm, header segments parsed once (a small bounded cache). With
 * `cache`, successful verifications are remembered per token (see {@link CreateVerifierOptions.cache}); claim times
 * and revocation are re-checked on every hit, and a key resolver is asked again (the hit counts only while it answers
 * the same key), so a cached token behaves exactly like a fresh one.
 *
 * @example
 * ```ts
 * import { createVerifier } from 'jotjs';
 * const verifier = createVerifier({ key: publicKey, strict: true, issuer: 'https://idp.example', audience: 'api' });
 * const { payload } = verifier.verifySync(token);
 * ```
 */
export function createVerifier<T extends object = JwtClaims>(options: CreateVerifierOptions): JwtVerifier<T> {
  try {
    const o = readOptions(options, VERIFIER_OPTION_NAMES, 'createVerifier');
    const key = o.key;
    const cacheOptions = o.cache;
    delete o.key;
    delete o.cache;
    const policy = compileVerifyPolicy(o, key, true);
    const cache = cacheOptions === undefined ? undefined : new VerifiedTokenCache(cacheOptions);

    const resolver = typeof policy.keyOrResolver === 'function' ? (policy.keyOrResolver as KeyResolver) : undefined;

    /**
     * A cached verification, re-validated at the current time (the key is checked by the caller first, revocation is
     * its next step).
     */
    function fromCache(c: VerifiedTokenCache, token: string, e: CacheEntry, now: number): JwtVerifyResult<T> {
      const payload = JSON.parse(e.claimsText) as JwtClaims; // strictly parsed when first verified
      try {
        checkClaims(payload, policy.claims, now);
      } catch (x) {
        c.delete(token);
        throw x;
      }
      return result<T>({ payload, info: e.info, key: e.key });
    }

    /**
     * A cache hit outlives neither the key nor the resolver's answer: with a resolver (a key set that rotates), the
     * entry counts only while the resolver still answers the very key that verified the token. A resolver failure
     * (the key was removed) drops the entry and is the answer; another key drops the entry and the token is verified
     * afresh. Returns the resolver's answer, a promise of it, or `e.key` for a fixed key.
     */
    function resolveForHit(c: VerifiedTokenCache, token: string, e: CacheEntry): unknown {
      if (resolver === undefined) return e.key;
      try {
        if (candidatesMethod(resolver) === undefined) return resolver(e.info.header, token);
        // A jot key set: the hit counts while the set still offers the key that verified the token.
        const offered = resolveCandidatesSync(resolver, e.info.header, token) as
          | readonly Key[]
          | PromiseLike<readonly Key[]>;
        return Array.isArray(offered)
          ? offered.includes(e.key)
            ? e.key
            : undefined
          : Promise.resolve(offered).then((list) => (list.includes(e.key) ? e.key : undefined));
      } catch (x) {
        c.delete(token);
        throw resolverError(x);
      }
    }

    function remember(c: VerifiedTokenCache, token: string, v: Verified): void {
      c.set(token, v.text, v.info, v.key, v.payload.exp, policy.claims.tolerance, v.now);
    }

    return Object.freeze({
      async verify(token: string): Promise<JwtVerifyResult<T>> {
        if (cache !== undefined && typeof token === 'string') {
          const now = policyNow(policy.claims);
          const e = cache.get(token, now);
          if (e !== undefined) {
            let k = resolveForHit(cache, token, e);
            if (k !== e.key && typeof (k as PromiseLike<unknown> | null)?.then === 'function') {
              try {
                k = await k;
              } catch (x) {
                cache.delete(token);
                throw resolverError(x);
              }
            }
            if (k === e.key) {
              const hit = fromCache(cache, token, e, now);
              try {
                await checkRevocation(policy, hit.payload, hit.protectedHeader);
              } catch (x) {
                cache.delete(token);
                throw x;
              }
              return hit;
            }
            cache.delete(token);
          }
        }
        const r = run(token, policy);
        const v = r instanceof Promise ? await r : r;
        if (cache !== undefined) remember(cache, token, v);
        return result<T>(v);
      },
      verifySync(token: string): JwtVerifyResult<T> {
        if (cache !== undefined && typeof token === 'string') {
          const now = policyNow(policy.claims);
          const e = cache.get(token, now);
          if (e !== undefined) {
            const k = resolveForHit(cache, token, e);
            if (k === e.key) {
              const hit = fromCache(cache, token, e, now);
              try {
                checkRevocationSync(policy, hit.payload, hit.protectedHeader);
              } catch (x) {
                cache.delete(token);
                throw x;
              }
              return hit;
            }
            // another key, or a promise (runSync refuses it): never a hit
            if (typeof (k as PromiseLike<unknown> | null)?.then === 'function') Promise.resolve(k).catch(() => {});
            cache.delete(token);
          }
        }
        const v = runSync(token, policy);
        if (cache !== undefined) remember(cache, token, v);
        return result<T>(v);
      },
    });
  } catch (e) {
    throw callerError(e);
  }
}
