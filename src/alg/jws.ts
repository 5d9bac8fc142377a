import { err } from '../errors.js';

/** How a JWS algorithm computes its signature. Branch on this, never on the identifier. */
export type JwsFamily = 'hmac' | 'rsa-pkcs1' | 'rsa-pss' | 'ecdsa' | 'eddsa' | 'ml-dsa';
/** A SHA-2 digest, by its node:crypto name: the hash of a JWS, OAEP, PBES2 or CBC-HMAC algorithm. */
export type HashName = 'sha256' | 'sha384' | 'sha512';

/**
 * One JWS algorithm, described as data: what {@link jwsAlgorithm} and {@link findJwsAlgorithm} return and what
 * {@link JWS_ALGORITHMS} holds. Frozen.
 */
export interface JwsAlgorithm {
  /** The `alg` identifier, exactly as registered (`ES256`). */
  readonly name: string;
  /** How the signature is computed: branch on this, never on `name`. */
  readonly family: JwsFamily;
  /** Digest; for EdDSA the curve fixes it, so it is informational. */
  readonly hash: HashName;
  /** Key type the algorithm takes. */
  readonly kty: 'oct' | 'RSA' | 'EC' | 'OKP' | 'AKP';
  /** Curves the key may be on (EC and OKP); empty for oct and RSA. */
  readonly curves: readonly string[];
  /** Exact signature length in bytes where fixed (HMAC, ECDSA, ML-DSA; EdDSA by curve); 0 = the RSA modulus length. */
  readonly sigBytes: number;
  /** Smallest key: HMAC secret bytes, RSA modulus bits. */
  readonly minKeySize: number;
}

function entry(e: JwsAlgorithm): JwsAlgorithm {
  return Object.freeze({ ...e, curves: Object.freeze([...e.curves]) });
}

const hmac = (name: string, hash: HashName, bytes: number) =>
  entry({ name, family: 'hmac', hash, kty: 'oct', curves: [], sigBytes: bytes, minKeySize: bytes });
const rsa = (name: string, family: 'rsa-pkcs1' | 'rsa-pss', hash: HashName) =>
  entry({ name, family, hash, kty: 'RSA', curves: [], sigBytes: 0, minKeySize: 2048 });
const ecdsa = (name: string, hash: HashName, crv: string, bytes: number) =>
  entry({ name, family: 'ecdsa', hash, kty: 'EC', curves: [crv], sigBytes: bytes, minKeySize: 0 });
const eddsa = (name: string, curves: string[]) =>
  entry({ name, family: 'eddsa', hash: 'sha512', kty: 'OKP', curves, sigBytes: 0, minKeySize: 0 });
// FIPS 204 hashes internally with SHAKE256; `hash` is informational. The parameter set is in ML_DSA_PARAMETERS.
const mldsa = (name: string, bytes: number) =>
  entry({ name, family: 'ml-dsa', hash: 'sha512', kty: 'AKP', curves: [], sigBytes: bytes, minKeySize: 0 });

/**
 * The JWS algorithm table (RFC 7518, RFC 8037, RFC 8812, RFC 9864, RFC 9964). Null prototype: `__proto__` never resolves.
 *
 * @example
 * ```ts
 * import { JWS_ALGORITHMS } from 'jotjs';
 * const hmac = Object.values(JWS_ALGORITHMS).filter((a) => a.family === 'hmac').map((a) => a.name);
 * // ['HS256', 'HS384', 'HS512']
 * ```
 */
export const JWS_ALGORITHMS: Readonly<Record<string, JwsAlgorithm>> = Object.freeze(
  Object.assign(Object.create(null) as Record<string, JwsAlgorithm>, {
    HS256: hmac('HS256', 'sha256', 32),
    HS384: hmac('HS384', 'sha384', 48),
    HS512: hmac('HS512', 'sha512', 64),
    RS256: rsa('RS256', 'rsa-pkcs1', 'sha256'),
    RS384: rsa('RS384', 'rsa-pkcs1', 'sha384'),
    RS512: rsa('RS512', 'rsa-pkcs1', 'sha512'),
    PS256: rsa('PS256', 'rsa-pss', 'sha256'),
    PS384: rsa('PS384', 'rsa-pss', 'sha384'),
    PS512: rsa('PS512', 'rsa-pss', 'sha512'),
    ES256: ecdsa('ES256', 'sha256', 'P-256', 64),
    ES384: ecdsa('ES384', 'sha384', 'P-384', 96),
    ES512: ecdsa('ES512', 'sha512', 'P-521', 132),
    ES256K: ecdsa('ES256K', 'sha256', 'secp256k1', 64),
    EdDSA: eddsa('EdDSA', ['Ed25519', 'Ed448']),
    Ed25519: eddsa('Ed25519', ['Ed25519']),
    Ed448: eddsa('Ed448', ['Ed448']),
    'ML-DSA-44': mldsa('ML-DSA-44', 2420),
    'ML-DSA-65': mldsa('ML-DSA-65', 3309),
    'ML-DSA-87': mldsa('ML-DSA-87', 4627),
  }),
);

/**
 * EdDSA signature length in bytes, by curve.
 *
 * @example
 * ```ts
 * import { EDDSA_SIG_BYTES } from 'jotjs';
 * EDDSA_SIG_BYTES.Ed25519; // 64
 * ```
 */
export const EDDSA_SIG_BYTES: Readonly<Record<string, number>> = Object.freeze({ Ed25519: 64, Ed448: 114 });

/**
 * Look up a JWS algorithm by its exact, case-sensitive name, or undefined (also for a non-string).
 *
 * @example
 * ```ts
 * import { findJwsAlgorithm } from 'jotjs';
 * findJwsAlgorithm('ES256')?.curves; // ['P-256']
 * findJwsAlgorithm('es256'); // undefined
 * ```
 */
export function findJwsAlgorithm(name: unknown): JwsAlgorithm | undefined {
  return typeof name === 'string' ? JWS_ALGORITHMS[name] : undefined;
}

/**
 * Resolve a JWS algorithm or throw `ERR_JOSE_NOT_SUPPORTED`.
 *
 * @example
 * ```ts
 * import { jwsAlgorithm } from 'jotjs';
 * jwsAlgorithm('PS256').family; // 'rsa-pss'
 * jwsAlgorithm('none'); // throws JotError ERR_JOSE_NOT_SUPPORTED
 * ```
 */
export function jwsAlgorithm(name: string): JwsAlgorithm {
  const a = findJwsAlgorithm(name);
  if (!a) throw err('ERR_JOSE_NOT_SUPPORTED', 'unsupported JWS algorithm');
  return a;
}
