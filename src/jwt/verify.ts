import { utf8Decode } from '../encoding/utf8.js';
import { DEFAULT_JSON_LIMITS, parseJsonObject } from '../encoding/json.js';
import { err, JotError, JwtClaimError } from '../errors.js';
import { candidatesMethod, resolveCandidatesSync, resolveKeys } from '../jws/candidates.js';
import type { KeyResolver } from '../jws/policy.js';
import { resolverFailure } from '../jws/policy.js';
import { type EncodedCompact, readEncodedCompact } from '../jws/reader.js';
import {
  verifiesSync,
  verifySignature,
  verifySignatureSync,
  verifyWithFirst,
  verifyWithFirstSync,
} from '../jws/signature.js';
import type { JoseHeader } from '../jws/header.js';
import { isKey, type Key } from '../key/key.js';
import { callerError, readOptions } from '../options.js';
import { type CacheEntry, VerifiedTokenCache } from './cache.js';
import { checkClaims, policyNow } from './claims.js';
import type { CreateVerifierOptions, JwtClaims, JwtVerifier, JwtVerifyResult, VerifyJwtOptions } from './types.js';
import { compileVerifyPolicy, fixedKey, type HeaderInfo, VERIFY_OPTIONS, type VerifyPolicy } from './verify-policy.js';

// The verification pipeline, in the order it runs: read the compact token (jws/reader), choose the key, check the
// signature (jws/signature, the only way to the backend), then `typ` and the claims of the authentic payload, then
// revocation. What is accepted is compiled once in verify-policy.ts.

const VERIFY_OPTION_NAMES: ReadonlySet<string> = new Set(VERIFY_OPTIONS);
const VERIFIER_OPTION_NAMES: ReadonlySet<string> = new Set([...VERIFY_OPTIONS, 'key', 'cache']);

/** A compact JWT read and checked up to key selection. */
type Token = EncodedCompact<HeaderInfo>;

/** Everything one successful verification produced. */
interface Verified {
  readonly text: string;
  readonly payload: JwtClaims;
  readonly info: HeaderInfo;
  readonly key: Key;
  readonly now: number;
}

const isThenable = (v: unknown): v is PromiseLike<unknown> =>
  typeof (v as PromiseLike<unknown> | null)?.then === 'function';

// 1. Read: length cap, three segments, the header (cached by precompiled verifiers), strict base64url.
function read(token: unknown, policy: VerifyPolicy): Token {
  return readEncodedCompact(token, policy.jws.maxTokenLength, policy.headerOf, 'ERR_JWT_INVALID');
}

// 2. The key: the fixed one (checked once per algorithm), or what the resolver offers (a jot key set may offer
// several for a token without kid); 3. the signature, through jws/signature.ts: the first candidate that verifies.

async function verifyingKey(policy: VerifyPolicy, t: Token, token: string): Promise<Key> {
  const candidates = await resolveKeys(policy.keyOrResolver, t.head.header, token);
  return verifyWithFirst(t.head.alg, candidates, policy.jws, t.signingInput, t.signature);
}

function verifyingKeySync(policy: VerifyPolicy, t: Token, token: string): Key {
  const kr = policy.keyOrResolver;
  if (typeof kr !== 'function') {
    const key = fixedKey(policy, t.head.alg);
    verifySignatureSync(t.head.alg, key, t.signingInput, t.signature);
    return key;
  }
  let resolved: unknown;
  try {
    resolved = resolveCandidatesSync(kr as KeyResolver, t.head.header, token);
  } catch (e) {
    throw resolverFailure(e);
  }
  if (!isKey(resolved) && isThenable(resolved)) {
    Promise.resolve(resolved).catch(() => {}); // never leave a rejection unhandled
    throw err('ERR_JOSE_NOT_SUPPORTED', 'verifySync needs a key resolver that returns a Key synchronously');
  }
  const candidates = candidatesMethod(kr) !== undefined ? (resolved as readonly unknown[]) : [resolved];
  return verifyWithFirstSync(t.head.alg, candidates, policy.jws, t.signingInput, t.signature);
}

// 4. The claims of a token whose signature verified: `typ`, then the checks.
function claimsOf(t: Token, key: Key, policy: VerifyPolicy): Verified {
  const text = utf8Decode(t.payload, 'ERR_JWT_INVALID', 'claims');
  // Strict JSON (duplicate names refused), an object; the bytes are checked instead of the text (faster).
  const payload = parseJsonObject(text, 'ERR_JWT_INVALID', 'claims', DEFAULT_JSON_LIMITS, t.payload) as JwtClaims;
  if (t.head.typ !== undefined) {
    throw new JwtClaimError('ERR_JWT_CLAIM_VALIDATION_FAILED', 'typ', t.head.typ, payload);
  }
  const now = policyNow(policy.claims);
  checkClaims(payload, policy.claims, now);
  return { text, payload, info: t.head, key, now };
}

// 5. Revocation, after every other check; fails closed. The header lets a list refuse a revoked `kid`.
function revocationAnswer(revoked: unknown): void {
  if (revoked === false) return;
  if (revoked === true) throw err('ERR_JWT_REVOKED', 'the token has been revoked');
  throw err('ERR_REVOCATION_STORE_UNAVAILABLE', 'the revocation check did not answer true or false');
}

function revocationError(e: unknown): JotError {
  return e instanceof JotError ? e : err('ERR_REVOCATION_STORE_UNAVAILABLE', 'the revocation check failed', e);
}

async function checkRevocation(policy: VerifyPolicy, payload: JwtClaims, header: JoseHeader): Promise<void> {
  const r = policy.revocation;
  if (r === undefined) return;
  let revoked: unknown;
  try {
    revoked = await r.isRevoked(payload, header);
  } catch (e) {
    throw revocationError(e);
  }
  revocationAnswer(revoked);
}

function checkRevocationSync(policy: VerifyPolicy, payload: JwtClaims, header: JoseHeader): void {
  const r = policy.revocation;
  if (r === undefined) return;
  if (typeof r.isRevokedSync !== 'function' || r.sync === false) {
    throw err('ERR_JOSE_NOT_SUPPORTED', 'this revocation list has no synchronous lookup: use verify()');
  }
  let revoked: unknown;
  try {
    revoked = r.isRevokedSync(payload, header);
  } catch (e) {
    throw revocationError(e);
  }
  revocationAnswer(revoked);
}

/** The async path: a resolver, a thread-pool signature check, a revocation list. Only those are awaited. */
async function runAsync(t: Token, token: unknown, policy: VerifyPolicy): Promise<Verified> {
  let key: Key;
  if (typeof policy.keyOrResolver === 'function') key = await verifyingKey(policy, t, token as string);
  else {
    key = fixedKey(policy, t.head.alg);
    await verifySignature(t.head.alg, key, t.signingInput, t.signature);
  }
  const v = claimsOf(t, key, policy);
  if (policy.revocation !== undefined) await checkRevocation(policy, v.payload, v.info.header);
  return v;
}

/**
 * The pipeline. With nothing to wait for (a fixed key, a MAC, which costs less than a thread-pool hop, no revocation
 * list), every step runs here and now: the async API then costs the caller one promise instead of one per step.
 */
function run(token: unknown, policy: VerifyPolicy): Verified | Promise<Verified> {
  const t = read(token, policy);
  if (
    typeof policy.keyOrResolver === 'function' ||
    policy.revocation !== undefined ||
    t.head.alg.family !== 'hmac' ||
    !verifiesSync()
  ) {
    return runAsync(t, token, policy);
  }
  const key = fixedKey(policy, t.head.alg);
  verifySignatureSync(t.head.alg, key, t.signingInput, t.signature);
  return claimsOf(t, key, policy);
}

function runSync(token: unknown, policy: VerifyPolicy): Verified {
  if (!verifiesSync()) throw err('ERR_JOSE_NOT_SUPPORTED', 'this runtime cannot verify synchronously (WebCrypto is asynchronous): use the async verify()');
  const t = read(token, policy);
  const key = verifyingKeySync(policy, t, token as string);
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
     * The cache's answer for `token`: a result, undefined (no entry, or verify afresh), or on the async path a promise
     * of either. A hit outlives neither the key nor the resolver's answer: with a resolver (a key set that rotates),
     * it counts only while the resolver still answers the very key that verified the token. A resolver failure (the
     * key was removed) drops the entry and is the answer; another key drops the entry and the token is verified
     * afresh. Claim times are re-checked, then revocation; any failure drops the entry.
     */
    function fromCache(c: VerifiedTokenCache, token: string, sync: boolean) {
      const now = policyNow(policy.claims);
      const e = c.get(token, now);
      if (e === undefined) return undefined;
      let answer: unknown = e.key;
      if (resolver !== undefined) {
        try {
          answer = offeredKey(resolver, e, token);
        } catch (x) {
          c.delete(token);
          throw resolverFailure(x);
        }
      }
      if (!isThenable(answer)) return hit(c, token, e, answer, now, sync);
      if (sync) {
        Promise.resolve(answer).catch(() => {}); // runSync refuses a promise: never a hit
        c.delete(token);
        return undefined;
      }
      return Promise.resolve(answer).then(
        (k) => hit(c, token, e, k, now, false),
        (x: unknown) => {
          c.delete(token);
          throw resolverFailure(x);
        },
      );
    }

    /**
     * What the resolver answers now for a cached token: its key (a plain resolver), or, for a jot key set, the cached
     * key while the set still offers it (undefined otherwise); a promise of either for an async resolver.
     */
    function offeredKey(r: KeyResolver, e: CacheEntry, token: string): unknown {
      if (candidatesMethod(r) === undefined) return r(e.info.header, token);
      const offered = resolveCandidatesSync(r, e.info.header, token) as readonly Key[] | PromiseLike<readonly Key[]>;
      if (!isThenable(offered)) return offered.includes(e.key) ? e.key : undefined;
      return Promise.resolve(offered).then((list) => (list.includes(e.key) ? e.key : undefined));
    }

    function hit(c: VerifiedTokenCache, token: string, e: CacheEntry, k: unknown, now: number, sync: boolean) {
      if (k !== e.key) {
        c.delete(token);
        return undefined;
      }
      const drop = (x: unknown): never => {
        c.delete(token);
        throw x;
      };
      const payload = JSON.parse(e.claimsText) as JwtClaims; // strictly parsed when first verified
      const found = result<T>({ payload, info: e.info, key: e.key });
      try {
        checkClaims(payload, policy.claims, now);
        if (sync) checkRevocationSync(policy, payload, e.info.header);
      } catch (x) {
        drop(x);
      }
      return sync ? found : checkRevocation(policy, payload, e.info.header).then(() => found, drop);
    }

    function remember(c: VerifiedTokenCache, token: string, v: Verified): void {
      c.set(token, v.text, v.info, v.key, v.payload.exp, policy.claims.tolerance, v.now);
    }

    return Object.freeze({
      async verify(token: string): Promise<JwtVerifyResult<T>> {
        if (cache !== undefined && typeof token === 'string') {
          const cached = await fromCache(cache, token, false);
          if (cached !== undefined) return cached;
        }
        const r = run(token, policy);
        const v = r instanceof Promise ? await r : r;
        if (cache !== undefined) remember(cache, token, v);
        return result<T>(v);
      },
      verifySync(token: string): JwtVerifyResult<T> {
        if (cache !== undefined && typeof token === 'string') {
          const cached = fromCache(cache, token, true) as JwtVerifyResult<T> | undefined;
          if (cached !== undefined) return cached;
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
