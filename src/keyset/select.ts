import { ECDH_CURVES, findKeyManagementAlgorithm } from '../alg/jwe.js';
import { findJwsAlgorithm } from '../alg/jws.js';
import { isObject, own } from '../encoding/json.js';
import { err, JotError } from '../errors.js';
import { importKeySync } from '../key/import.js';
import type { JWK } from '../key/jwk.js';
import type { Key, KeyOperation } from '../key/key.js';
import { callerRead } from '../options.js';

/**
 * Longest `kid` looked up (longer header values are refused with `ERR_LIMIT_EXCEEDED` before any lookup).
 *
 * @example
 * ```ts
 * import { MAX_KID_LENGTH } from 'jotjs';
 * const plausibleKid = (kid: string) => kid.length <= MAX_KID_LENGTH; // 1024
 * ```
 */
export const MAX_KID_LENGTH = 1024;

/** Members that make a JWK private (RFC 7518 section 6): never accepted in a published set. */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k', 'priv'] as const;

/** Why a key of a set was left out. */
export interface SkippedKey {
  /** Position in the set's `keys` array. */
  index: number;
  /** The key's `kid` when it is a string. */
  kid?: string;
  /** Why: a private key in a public set, a key type or algorithm jot does not support, or a malformed key. */
  reason: 'private' | 'unsupported' | 'invalid';
}

/** A key set's usable keys, indexed for selection. @internal */
export interface KeyIndex {
  readonly keys: readonly Key[];
  readonly skipped: readonly SkippedKey[];
}

interface Need {
  kty: readonly string[];
  curves?: readonly string[];
  use: 'sig' | 'enc';
  ops: KeyOperation[];
}

/** Algorithm-side needs: key type(s), curves, usage. */
function requirement(alg: string): Need {
  const jws = findJwsAlgorithm(alg);
  if (jws !== undefined) {
    return { kty: [jws.kty], ...(jws.curves.length > 0 ? { curves: jws.curves } : {}), use: 'sig', ops: ['verify'] };
  }
  const km = findKeyManagementAlgorithm(alg);
  if (km !== undefined) {
    const ecdh = km.family === 'ecdh-es' || km.family === 'ecdh-es-kw';
    return {
      kty: ecdh ? ['EC', 'OKP'] : [km.kty],
      ...(ecdh ? { curves: ECDH_CURVES } : {}),
      use: 'enc',
      ops: ecdh ? ['deriveKey', 'deriveBits'] : ['decrypt', 'unwrapKey'],
    };
  }
  throw err('ERR_JWKS_NO_MATCHING_KEY', 'no key in the set serves this algorithm');
}

/** The `keys` array of a JWKS document (object or JSON text), bounded by `maxKeys`. @internal */
export function keysOf(doc: unknown, maxKeys: number): unknown[] {
  if (!isObject(doc)) throw err('ERR_JWKS_INVALID', 'a JWKS must be an object');
  // Read once, as a copy: a getter or Proxy trap of the caller's object throws ERR_INVALID_OPTION, never later.
  const list = callerRead(() => {
    const l = own(doc, 'keys');
    return Array.isArray(l) ? [...l] : l;
  }, '"keys"');
  if (!Array.isArray(list)) throw err('ERR_JWKS_INVALID', 'a JWKS needs a "keys" array');
  if (list.length > maxKeys) throw err('ERR_LIMIT_EXCEEDED', 'the key set has too many keys');
  return list;
}

/**
 * Import a local set: malformed keys and private keys (unless allowed) fail the set; unknown key types,
 * curves and algorithms are skipped. @internal
 */
export function indexLocal(list: readonly unknown[], allowPrivate: boolean): KeyIndex {
  const keys: Key[] = [];
  const skipped: SkippedKey[] = [];
  list.forEach((jwk, index) => {
    if (!isObject(jwk)) throw err('ERR_JWKS_INVALID', 'each key must be an object');
    let key: Key;
    try {
      key = importKeySync(jwk as JWK);
    } catch (e) {
      if (e instanceof JotError && e.code === 'ERR_JOSE_NOT_SUPPORTED') {
        skipped.push(skip(jwk, index, 'unsupported'));
        return;
      }
      throw e;
    }
    if (key.isPrivate && key.kty !== 'oct' && !allowPrivate) {
      throw err('ERR_JWKS_INVALID', 'a verification key set must not hold private keys');
    }
    keys.push(key);
  });
  return Object.freeze({ keys: Object.freeze(keys), skipped: Object.freeze(skipped) });
}

function skip(jwk: Record<string, unknown>, index: number, reason: SkippedKey['reason']): SkippedKey {
  const kid = own(jwk, 'kid');
  return typeof kid === 'string' && kid.length <= MAX_KID_LENGTH ? { index, kid, reason } : { index, reason };
}

/**
 * Import a published (remote) set: it is public by definition, so any key carrying a private member (`d`, `p`,
 * `q`, ..., or an `oct` key's `k`) is skipped and reported, never used; so are keys of unknown type or malformed
 * keys. A set left without a usable key is `ERR_JWKS_INVALID`. @internal
 */
export function indexPublic(list: readonly unknown[]): KeyIndex {
  const keys: Key[] = [];
  const skipped: SkippedKey[] = [];
  list.forEach((jwk, index) => {
    if (!isObject(jwk)) {
      skipped.push({ index, reason: 'invalid' });
      return;
    }
    if (PRIVATE_MEMBERS.some((m) => Object.hasOwn(jwk, m))) {
      skipped.push(skip(jwk, index, 'private'));
      return;
    }
    try {
      const key = importKeySync(jwk as JWK);
      if (key.isPrivate) skipped.push(skip(jwk, index, 'private'));
      else keys.push(key);
    } catch (e) {
      const reason = e instanceof JotError && e.code === 'ERR_JOSE_NOT_SUPPORTED' ? 'unsupported' : 'invalid';
      skipped.push(skip(jwk, index, reason));
    }
  });
  if (keys.length === 0) throw err('ERR_JWKS_INVALID', 'the key set holds no usable public key');
  return Object.freeze({ keys: Object.freeze(keys), skipped: Object.freeze(skipped) });
}

/** The header's `kid`, checked: a string within MAX_KID_LENGTH, or undefined. @internal */
export function headerKid(header: unknown): string | undefined {
  if (!isObject(header)) throw err('ERR_JWS_INVALID', 'the header must be an object');
  const kid = own(header, 'kid');
  if (kid === undefined) return undefined;
  if (typeof kid !== 'string') throw err('ERR_JWS_INVALID', '"kid" must be a string');
  if (kid.length > MAX_KID_LENGTH) throw err('ERR_LIMIT_EXCEEDED', '"kid" is too long');
  return kid;
}

/**
 * The keys of `index` that fit `header`, in the set's order: exact `kid` (when the header names one), a key type
 * and curve compatible with `alg`, the JWK's own `alg`, `use` and `key_ops`. The header `alg` never selects the
 * key family. None: `ERR_JWKS_NO_MATCHING_KEY`. With a `kid`, several keys are a malformed set and without one,
 * more than `max`: `ERR_JWKS_MULTIPLE_MATCHING_KEYS`. @internal
 */
export function matchKeys(index: KeyIndex, header: Record<string, unknown>, max: number): Key[] {
  const kid = headerKid(header);
  const alg = own(header, 'alg');
  if (typeof alg !== 'string') throw err('ERR_JWS_INVALID', '"alg" must be a string');
  const need = requirement(alg);
  const found: Key[] = [];
  for (const key of index.keys) {
    if (kid !== undefined && key.kid !== kid) continue;
    if (!need.kty.includes(key.kty)) continue;
    if (need.curves !== undefined && !need.curves.includes(key.crv ?? '')) continue;
    if (key.alg !== undefined && key.alg !== alg) continue;
    if (key.use !== undefined && key.use !== need.use) continue;
    if (key.keyOps !== undefined && !need.ops.some((op) => key.keyOps!.includes(op))) continue;
    found.push(key);
  }
  if (found.length === 0) throw err('ERR_JWKS_NO_MATCHING_KEY', 'no key in the set matches the token');
  if (found.length > (kid === undefined ? max : 1)) {
    throw err('ERR_JWKS_MULTIPLE_MATCHING_KEYS', 'several keys in the set match the token');
  }
  return found;
}

/** One key for a plain resolver call: several candidates are ambiguous there. @internal */
export function single(found: readonly Key[]): Key {
  if (found.length > 1) throw err('ERR_JWKS_MULTIPLE_MATCHING_KEYS', 'several keys in the set match the token');
  return found[0]!;
}
