import { ECDH_CURVES, findKeyManagementAlgorithm } from '../alg/jwe.js';
import { findJwsAlgorithm } from '../alg/jws.js';
import { isObject, own, parseJsonObject } from '../encoding/json.js';
import { err, JotError } from '../errors.js';
import { importKeySync } from '../key/import.js';
import type { Key, KeyOperation } from '../key/key.js';
import type { JWK } from '../key/jwk.js';
import { callerRead, intOption, readOptions } from '../options.js';

/** A JSON Web Key Set (RFC 7517 section 5). */
export interface JWKS {
  /** The keys of the set. */
  keys: JWK[];
}

/** Picks the key for a token from its header (untrusted input: only `alg` and `kid` are read). */
export type JwkSetResolver = (header: Record<string, unknown>, token?: unknown) => Key;

/** Options of {@link createLocalJwkSet}. */
export interface LocalJwkSetOptions {
  /** Most keys accepted in the set (default 100). Guards against oversized sets. */
  maxKeys?: number;
  /** Allow private keys in the set (default false: a verification set holds public keys only). */
  allowPrivate?: boolean;
}

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

interface Entry {
  key: Key;
  kid: string | undefined;
}

/** Algorithm-side needs: key type(s), curves, usage. */
function requirement(alg: string): {
  kty: readonly string[];
  curves?: readonly string[];
  use: 'sig' | 'enc';
  ops: KeyOperation[];
} {
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

/**
 * A key resolver over a fixed JWK Set. Candidates are filtered by `kid` (exact string equality), by
 * a key type and curve compatible with the header `alg`, by the JWK's own `alg`, `use` and `key_ops`.
 * The header `alg` never selects the key family. No match: `ERR_JWKS_NO_MATCHING_KEY`; several:
 * `ERR_JWKS_MULTIPLE_MATCHING_KEYS`. Unknown key types and algorithms in the set are skipped.
 *
 * @example
 * ```ts
 * import { createLocalJwkSet, verifyJwt } from 'jotjs';
 * const keys = createLocalJwkSet({ keys: [publicJwk] });
 * await verifyJwt(token, keys, { algorithms: ['RS256'], issuer, audience });
 * ```
 */
export function createLocalJwkSet(jwks: JWKS | string, options?: LocalJwkSetOptions): JwkSetResolver {
  const o = readOptions(options, new Set(['maxKeys', 'allowPrivate']), 'key set');
  const maxKeys = intOption(o.maxKeys, 'maxKeys', 100, 1, 100_000);
  const doc = typeof jwks === 'string' ? parseJsonObject(jwks, 'ERR_JWKS_INVALID', 'JWKS') : jwks;
  if (!isObject(doc)) throw err('ERR_JWKS_INVALID', 'a JWKS must be an object');
  const list = callerRead(() => {
    const l = own(doc, 'keys');
    return Array.isArray(l) ? [...l] : l;
  }, '"keys"');
  if (!Array.isArray(list)) throw err('ERR_JWKS_INVALID', 'a JWKS needs a "keys" array');
  if (list.length > maxKeys) throw err('ERR_LIMIT_EXCEEDED', 'the key set has too many keys');
  const entries: Entry[] = [];
  for (const jwk of list) {
    if (!isObject(jwk)) throw err('ERR_JWKS_INVALID', 'each key must be an object');
    let key: Key;
    try {
      key = importKeySync(jwk as JWK);
    } catch (e) {
      // Unknown key types, curves and algorithms are skipped; malformed keys fail the set.
      if (e instanceof JotError && e.code === 'ERR_JOSE_NOT_SUPPORTED') continue;
      throw e;
    }
    if (key.isPrivate && key.kty !== 'oct' && o.allowPrivate !== true) {
      throw err('ERR_JWKS_INVALID', 'a verification key set must not hold private keys');
    }
    entries.push({ key, kid: key.kid });
  }
  Object.freeze(entries);

  return (header: Record<string, unknown>): Key => {
    if (!isObject(header)) throw err('ERR_JWS_INVALID', 'the header must be an object');
    const alg = own(header, 'alg');
    if (typeof alg !== 'string') throw err('ERR_JWS_INVALID', '"alg" must be a string');
    const kid = own(header, 'kid');
    if (kid !== undefined) {
      if (typeof kid !== 'string') throw err('ERR_JWS_INVALID', '"kid" must be a string');
      if (kid.length > MAX_KID_LENGTH) throw err('ERR_LIMIT_EXCEEDED', '"kid" is too long');
    }
    const need = requirement(alg);
    const found: Key[] = [];
    for (const { key, kid: k } of entries) {
      if (kid !== undefined && k !== kid) continue;
      if (!need.kty.includes(key.kty)) continue;
      if (need.curves !== undefined && !need.curves.includes(key.crv ?? '')) continue;
      if (key.alg !== undefined && key.alg !== alg) continue;
      if (key.use !== undefined && key.use !== need.use) continue;
      if (key.keyOps !== undefined && !need.ops.some((op) => key.keyOps!.includes(op))) continue;
      found.push(key);
    }
    if (found.length === 0) throw err('ERR_JWKS_NO_MATCHING_KEY', 'no key in the set matches the token');
    if (found.length > 1) throw err('ERR_JWKS_MULTIPLE_MATCHING_KEYS', 'several keys in the set match the token');
    return found[0]!;
  };
}
