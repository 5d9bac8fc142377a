import { bytesFromHex } from '#crypto/bytes';
import { EDDSA_SIG_BYTES, findJwsAlgorithm, type JwsAlgorithm } from '../alg/jws.js';
import { own } from '../encoding/json.js';
import { toBytes } from '../encoding/utf8.js';
import { err, JotError } from '../errors.js';
import { importKeySync } from '../key/import.js';
import { isKey, type Key, keyHandle } from '../key/key.js';
import { assertJwsKey } from '../key/policy.js';
import { intOption, readOptions } from '../options.js';
import type { JoseHeader } from './header.js';

/** Picks the key for a token from its (protected and unprotected) header. The header is untrusted input. */
export type KeyResolver = (header: JoseHeader, token: unknown) => Key | Promise<Key>;

/** Options shared by every JWS verify function. */
export interface JwsVerifyOptions {
  /** Accepted algorithms, exact and case-sensitive. May be omitted only when the key is bound to one algorithm. */
  algorithms?: readonly string[];
  /** Critical header extensions the caller understands and checks itself (`{ b64: true }` for RFC 7797). */
  crit?: Readonly<Record<string, boolean>>;
  /** The payload of a detached JWS (RFC 7515 appendix F). */
  detachedPayload?: Uint8Array | string;
  /** Longest accepted token, in characters (default 65536). Guards against memory and CPU exhaustion. */
  maxTokenLength?: number;
  /** Most signatures in a JSON serialization (default 10). */
  maxSignatures?: number;
}

/**
 * A raw `Uint8Array` where a key is expected is an HMAC secret, accepted only where the algorithms the caller states
 * are HMAC algorithms and nothing else (`algorithms` to verify, the header's `alg` to sign). With one algorithm the
 * secret is bound to it; with several it serves each of them, with each one's length rule (RFC 7518 3.2) checked at
 * use. Any other value is returned as it is, for the usual key checks. Throws `ERR_INVALID_OPTION`, or
 * `ERR_KEY_INVALID` for an empty secret or one that is key text (see `importKey`).
 */
export function secretOrKey(keyOrResolver: unknown, algorithms: unknown): unknown {
  if (!(keyOrResolver instanceof Uint8Array)) return keyOrResolver;
  const names = typeof algorithms === 'string' ? [algorithms] : algorithms;
  if (
    !Array.isArray(names) ||
    names.length === 0 ||
    !names.every((name) => findJwsAlgorithm(name)?.family === 'hmac')
  ) {
    throw err(
      'ERR_INVALID_OPTION',
      'a Uint8Array key is an HMAC secret: state only HMAC algorithms (HS256, HS384, HS512), or use importKey',
    );
  }
  return names.length === 1 ? importKeySync(keyOrResolver, { alg: names[0] as string }) : importKeySync(keyOrResolver);
}

const JWS_VERIFY_OPTIONS = ['algorithms', 'crit', 'detachedPayload', 'maxTokenLength', 'maxSignatures'] as const;

/** Verify options checked and turned into lookups once. @internal */
export interface JwsPolicy {
  readonly algorithms: ReadonlySet<string> | undefined;
  readonly understood: ReadonlySet<string>;
  readonly b64Allowed: boolean;
  readonly detached: Uint8Array | undefined;
  readonly maxTokenLength: number;
  readonly maxSignatures: number;
}

export const DEFAULT_MAX_JWS_LENGTH = 65_536;

/** Validate an `algorithms` option: a non-empty list of known JWS algorithms, never `none`. */
export function algorithmsOption(value: unknown): ReadonlySet<string> | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length === 0)
    throw err('ERR_INVALID_OPTION', 'algorithms must be a non-empty array');
  const set = new Set<string>();
  for (const a of value) {
    if (typeof a === 'string' && a.toLowerCase() === 'none') {
      throw err('ERR_INVALID_OPTION', '"none" is only accepted by verifyUnsecuredJwt');
    }
    if (findJwsAlgorithm(a) === undefined) throw err('ERR_INVALID_OPTION', 'algorithms lists an unknown JWS algorithm');
    set.add(a);
  }
  return set;
}

/** Compile JWS verify options (already read as own properties). */
export function compileJwsPolicy(o: Record<string, unknown>, keyOrResolver: unknown): JwsPolicy {
  const algorithms = algorithmsOption(o.algorithms);
  const understood = new Set<string>();
  let b64Allowed = false;
  if (o.crit !== undefined) {
    if (typeof o.crit !== 'object' || o.crit === null || Array.isArray(o.crit)) {
      throw err('ERR_INVALID_OPTION', 'crit must be an object');
    }
    for (const name of Object.keys(o.crit)) {
      const v = own(o.crit, name);
      if (typeof v !== 'boolean') throw err('ERR_INVALID_OPTION', 'crit values must be booleans');
      if (v) {
        understood.add(name);
        if (name === 'b64') b64Allowed = true;
      }
    }
  }
  const detached =
    o.detachedPayload === undefined
      ? undefined
      : toBytes(o.detachedPayload as string, 'ERR_INVALID_OPTION', 'detachedPayload');
  if (typeof keyOrResolver !== 'function') {
    if (!isKey(keyOrResolver)) keyHandle(keyOrResolver); // throws ERR_KEY_INVALID
    if (algorithms === undefined && (keyOrResolver as Key).alg === undefined) {
      throw err('ERR_INVALID_OPTION', 'pass options.algorithms, or a key bound to one algorithm');
    }
  }
  return {
    algorithms,
    understood,
    b64Allowed,
    detached,
    maxTokenLength: intOption(o.maxTokenLength, 'maxTokenLength', DEFAULT_MAX_JWS_LENGTH, 16, 16 * 1024 * 1024),
    maxSignatures: intOption(o.maxSignatures, 'maxSignatures', 10, 1, 1000),
  };
}

/**
 * The algorithm policy for one signature: `alg` must be a string, not `none`, in the allow-list, and
 * known. Returns the table entry. Nothing here looks at the key yet.
 */
export function selectAlgorithm(header: JoseHeader, policy: JwsPolicy): JwsAlgorithm {
  const alg = own(header, 'alg');
  if (typeof alg !== 'string') throw err('ERR_JWS_INVALID', '"alg" must be a string');
  if (Object.hasOwn(header, 'enc')) throw err('ERR_JWS_INVALID', 'a JWS header has no "enc": this is a JWE');
  if (alg.toLowerCase() === 'none') throw err('ERR_JOSE_ALG_NOT_ALLOWED', '"none" is not allowed');
  if (policy.algorithms !== undefined && !policy.algorithms.has(alg)) {
    throw err('ERR_JOSE_ALG_NOT_ALLOWED', 'the algorithm is not allowed');
  }
  const entry = findJwsAlgorithm(alg);
  if (entry === undefined) throw err('ERR_JOSE_ALG_NOT_ALLOWED', 'the algorithm is not allowed');
  return entry;
}

/** The key must be a genuine Key that may serve `alg`; an unbound key needs an allow-list. */
export function checkVerifyKey(key: unknown, alg: JwsAlgorithm, policy: JwsPolicy): Key {
  if (key === undefined || key === null || (key as unknown) === '' || key === false) {
    throw err('ERR_JWKS_NO_MATCHING_KEY', 'no key for this token');
  }
  if (!isKey(key)) keyHandle(key); // throws ERR_KEY_INVALID
  const k = key as Key;
  if (policy.algorithms === undefined && k.alg === undefined) {
    throw err('ERR_INVALID_OPTION', 'pass options.algorithms, or a key bound to one algorithm');
  }
  assertJwsKey(k, alg, 'verify');
  return k;
}

// Curve orders, big-endian, for the ECDSA range check.
const ORDERS: Readonly<Record<string, Uint8Array>> = Object.freeze({
  'P-256': bytesFromHex('ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551'),
  'P-384': bytesFromHex(
    'ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973',
  ),
  'P-521': bytesFromHex(
    '01ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff' +
      'fa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409',
  ),
  secp256k1: bytesFromHex('fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141'),
});

/** `0 < v < n` for the big-endian integer of `n.length` bytes at `sig[at]`, read in place (no view made). */
function inRange(sig: Uint8Array, at: number, n: Uint8Array): boolean {
  let zero = true;
  let order = 0; // the first differing byte decides v against n
  for (let i = 0; i < n.length; i++) {
    const v = sig[at + i]!;
    if (v !== 0) zero = false;
    if (order === 0 && v !== n[i]) order = v < n[i]! ? -1 : 1;
  }
  return !zero && order < 0;
}

/**
 * Structural signature checks before any cryptography: exact length for the algorithm and key, and
 * for ECDSA `0 < r, s < n` (CVE-2022-21449). Returns false when the signature cannot be valid.
 */
export function signatureShapeOk(alg: JwsAlgorithm, key: Key, sig: Uint8Array): boolean {
  switch (alg.family) {
    case 'hmac':
      return sig.byteLength === alg.sigBytes;
    case 'rsa-pkcs1':
    case 'rsa-pss':
      return sig.byteLength === Math.ceil(keyHandle(key).modulusBits! / 8);
    case 'ecdsa': {
      if (sig.byteLength !== alg.sigBytes) return false;
      const half = alg.sigBytes / 2;
      const n = ORDERS[key.crv!]!;
      return inRange(sig, 0, n) && inRange(sig, half, n);
    }
    case 'eddsa':
      return sig.byteLength === EDDSA_SIG_BYTES[key.crv!];
    case 'ml-dsa':
      return sig.byteLength === alg.sigBytes;
  }
}

/** A key resolver's failure: its own JotError, or `ERR_JWKS_NO_MATCHING_KEY` with the cause (as `verifyJwt` does). */
export function resolverFailure(e: unknown): JotError {
  return e instanceof JotError ? e : err('ERR_JWKS_NO_MATCHING_KEY', 'the key resolver failed', e);
}

const VERIFY_OPTION_NAMES: ReadonlySet<string> = new Set(JWS_VERIFY_OPTIONS);

/**
 * The start of `verifyCompact` and `verifyJson`: options read (own, known names), a raw secret turned into a key
 * for the listed algorithms, the policy compiled. @internal
 */
export function readJwsVerify(
  options: unknown,
  keyOrResolver: unknown,
): { keyOrResolver: Key | KeyResolver; policy: JwsPolicy } {
  const o = readOptions(options, VERIFY_OPTION_NAMES, 'verify');
  const kr = secretOrKey(keyOrResolver, o.algorithms) as Key | KeyResolver;
  return { keyOrResolver: kr, policy: compileJwsPolicy(o, kr) };
}
