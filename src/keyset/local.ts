import { parseJsonObject } from '../encoding/json.js';
import type { JoseHeader } from '../jws/header.js';
import type { Key } from '../key/key.js';
import type { JWK } from '../key/jwk.js';
import { intOption, readOptions } from '../options.js';
import { withCandidates } from '../jws/candidates.js';
import { indexLocal, keysOf, matchKeys, single } from './select.js';

export { MAX_KID_LENGTH } from './select.js';

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
  /**
   * Without a `kid`, how many matching keys a verifier tries, in the set's order (default 3, at most 10); more
   * is `ERR_JWKS_MULTIPLE_MATCHING_KEYS`. Bounds the work a token without `kid` can cause (A12).
   */
  maxCandidates?: number;
}

/**
 * Default of {@link LocalJwkSetOptions.maxCandidates}: how many keys a token without `kid` may be tried against.
 *
 * @example
 * ```ts
 * import { createLocalJwkSet, DEFAULT_MAX_CANDIDATES } from 'jotjs';
 * const keys = createLocalJwkSet({ keys: [publicJwk] }, { maxCandidates: DEFAULT_MAX_CANDIDATES + 1 });
 * ```
 */
export const DEFAULT_MAX_CANDIDATES = 3;

/**
 * A key resolver over a fixed JWK Set. Candidates are filtered by `kid` (exact string equality), by a key type
 * and curve compatible with the header `alg`, by the JWK's own `alg`, `use` and `key_ops`. The header `alg` never
 * selects the key family. No match: `ERR_JWKS_NO_MATCHING_KEY`. A token without `kid` that fits several keys is
 * verified against each in turn (at most `maxCandidates`), and the result's `key` is the one that verified; when
 * all fail, the verification error. Two keys under one `kid` are `ERR_JWKS_MULTIPLE_MATCHING_KEYS`. Called
 * directly, the resolver answers one key or throws `ERR_JWKS_MULTIPLE_MATCHING_KEYS`. Unknown key types and
 * algorithms in the set are skipped.
 *
 * @example
 * ```ts
 * import { createLocalJwkSet, verifyJwt } from 'jotjs';
 * const keys = createLocalJwkSet({ keys: [publicJwk] });
 * await verifyJwt(token, keys, { algorithms: ['RS256'], issuer, audience });
 * ```
 */
export function createLocalJwkSet(jwks: JWKS | string, options?: LocalJwkSetOptions): JwkSetResolver {
  const o = readOptions(options, new Set(['maxKeys', 'allowPrivate', 'maxCandidates']), 'key set');
  const maxKeys = intOption(o.maxKeys, 'maxKeys', 100, 1, 100_000);
  const max = intOption(o.maxCandidates, 'maxCandidates', DEFAULT_MAX_CANDIDATES, 1, 10);
  const doc = typeof jwks === 'string' ? parseJsonObject(jwks, 'ERR_JWKS_INVALID', 'JWKS') : jwks;
  const index = indexLocal(keysOf(doc, maxKeys), o.allowPrivate === true);
  const resolver = (header: Record<string, unknown>): Key => single(matchKeys(index, header, max));
  return withCandidates(resolver, (header: JoseHeader) => matchKeys(index, header, max));
}
