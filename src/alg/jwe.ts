import { err } from '../errors.js';
import type { HashName } from './jws.js';

/** How a JWE key-management algorithm obtains the content encryption key. */
export type KeyManagementFamily =
  | 'rsa-oaep'
  | 'rsa1_5'
  | 'aes-kw'
  | 'aes-gcm-kw'
  | 'dir'
  | 'ecdh-es'
  | 'ecdh-es-kw'
  | 'pbes2';

/**
 * One JWE key-management algorithm (`alg`), described as data: what {@link keyManagementAlgorithm} returns and what
 * {@link KEY_MANAGEMENT_ALGORITHMS} holds. Frozen.
 */
export interface KeyManagementAlgorithm {
  /** The `alg` identifier, exactly as registered (`ECDH-ES+A256KW`). */
  readonly name: string;
  /** How the content encryption key is obtained: branch on this, never on `name`. */
  readonly family: KeyManagementFamily;
  /** Key type of the recipient key ('oct' for AES-KW, GCMKW, dir and PBES2 passwords). */
  readonly kty: 'oct' | 'RSA' | 'EC' | 'OKP';
  /** OAEP hash, PBES2 PRF hash. */
  readonly hash?: HashName | 'sha1';
  /** Key-wrap key length in bytes (A*KW, A*GCMKW, ECDH-ES+A*KW, PBES2 derived key). */
  readonly kwBytes?: number;
  /**
   * Never allowed on decryption by default, not even through a key bound to it: the caller must list it in
   * `keyManagementAlgorithms` (PBES2: password guessing and work cost; RSA1_5: padding oracles).
   */
  readonly explicitOnly?: boolean;
}

/** How a JWE content encryption algorithm works. */
export type ContentEncryptionFamily = 'aes-cbc-hmac' | 'aes-gcm';

/**
 * One JWE content encryption algorithm (`enc`), described as data: what {@link contentEncryptionAlgorithm} returns
 * and what {@link CONTENT_ENCRYPTION_ALGORITHMS} holds. Frozen.
 */
export interface ContentEncryptionAlgorithm {
  /** The `enc` identifier, exactly as registered (`A256GCM`). */
  readonly name: string;
  /** AES-GCM or AES-CBC with HMAC: branch on this, never on `name`. */
  readonly family: ContentEncryptionFamily;
  /** CEK length in bytes (for CBC-HMAC: MAC key + ENC key). */
  readonly keyBytes: number;
  /** Initialization vector length in bytes. */
  readonly ivBytes: number;
  /** Authentication tag length in bytes. */
  readonly tagBytes: number;
  /** HMAC hash for CBC-HMAC. */
  readonly hash?: HashName;
}

const km = (e: KeyManagementAlgorithm) => Object.freeze(e);
const ce = (e: ContentEncryptionAlgorithm) => Object.freeze(e);
const pbes2 = (name: string, hash: HashName, kwBytes: number) =>
  km({ name, family: 'pbes2', kty: 'oct', hash, kwBytes, explicitOnly: true });

/**
 * JWE key-management algorithms (RFC 7518 section 4, RFC 8037). Null prototype: `__proto__` never resolves.
 *
 * @example
 * ```ts
 * import { KEY_MANAGEMENT_ALGORITHMS } from 'jotjs';
 * KEY_MANAGEMENT_ALGORITHMS['RSA-OAEP-256']?.hash; // 'sha256'
 * ```
 */
export const KEY_MANAGEMENT_ALGORITHMS: Readonly<Record<string, KeyManagementAlgorithm>> = Object.freeze(
  Object.assign(Object.create(null) as Record<string, KeyManagementAlgorithm>, {
    RSA1_5: km({ name: 'RSA1_5', family: 'rsa1_5', kty: 'RSA', explicitOnly: true }),
    'RSA-OAEP': km({ name: 'RSA-OAEP', family: 'rsa-oaep', kty: 'RSA', hash: 'sha1' }),
    'RSA-OAEP-256': km({ name: 'RSA-OAEP-256', family: 'rsa-oaep', kty: 'RSA', hash: 'sha256' }),
    'RSA-OAEP-384': km({ name: 'RSA-OAEP-384', family: 'rsa-oaep', kty: 'RSA', hash: 'sha384' }),
    'RSA-OAEP-512': km({ name: 'RSA-OAEP-512', family: 'rsa-oaep', kty: 'RSA', hash: 'sha512' }),
    A128KW: km({ name: 'A128KW', family: 'aes-kw', kty: 'oct', kwBytes: 16 }),
    A192KW: km({ name: 'A192KW', family: 'aes-kw', kty: 'oct', kwBytes: 24 }),
    A256KW: km({ name: 'A256KW', family: 'aes-kw', kty: 'oct', kwBytes: 32 }),
    A128GCMKW: km({ name: 'A128GCMKW', family: 'aes-gcm-kw', kty: 'oct', kwBytes: 16 }),
    A192GCMKW: km({ name: 'A192GCMKW', family: 'aes-gcm-kw', kty: 'oct', kwBytes: 24 }),
    A256GCMKW: km({ name: 'A256GCMKW', family: 'aes-gcm-kw', kty: 'oct', kwBytes: 32 }),
    dir: km({ name: 'dir', family: 'dir', kty: 'oct' }),
    'ECDH-ES': km({ name: 'ECDH-ES', family: 'ecdh-es', kty: 'EC' }),
    'ECDH-ES+A128KW': km({ name: 'ECDH-ES+A128KW', family: 'ecdh-es-kw', kty: 'EC', kwBytes: 16 }),
    'ECDH-ES+A192KW': km({ name: 'ECDH-ES+A192KW', family: 'ecdh-es-kw', kty: 'EC', kwBytes: 24 }),
    'ECDH-ES+A256KW': km({ name: 'ECDH-ES+A256KW', family: 'ecdh-es-kw', kty: 'EC', kwBytes: 32 }),
    'PBES2-HS256+A128KW': pbes2('PBES2-HS256+A128KW', 'sha256', 16),
    'PBES2-HS384+A192KW': pbes2('PBES2-HS384+A192KW', 'sha384', 24),
    'PBES2-HS512+A256KW': pbes2('PBES2-HS512+A256KW', 'sha512', 32),
  }),
);

/**
 * Curves an ECDH-ES recipient key may be on (EC and OKP).
 *
 * @example
 * ```ts
 * import { ECDH_CURVES } from 'jotjs';
 * ECDH_CURVES.includes('X25519'); // true
 * ```
 */
export const ECDH_CURVES: readonly string[] = Object.freeze(['P-256', 'P-384', 'P-521', 'X25519', 'X448']);

/** An ECDH-ES curve: key type, coordinate (or u-coordinate) length, and the field prime of the P-curves. */
export interface EcdhCurve {
  /** The JWK `crv` name (`P-256`, `X25519`). */
  readonly crv: string;
  /** The JWK key type of keys on the curve. */
  readonly kty: 'EC' | 'OKP';
  /** Length in bytes of a coordinate (EC) or of the u-coordinate (OKP), and of the shared secret. */
  readonly bytes: number;
  /** Field prime (EC only): a coordinate must be below it. */
  readonly prime?: bigint;
}

const curve = (e: EcdhCurve) => Object.freeze(e);

/**
 * ECDH-ES curves by JWK `crv` (RFC 7518 section 6.2, RFC 8037). Null prototype: `__proto__` never resolves.
 *
 * @example
 * ```ts
 * import { ECDH_CURVE_PARAMETERS } from 'jotjs';
 * ECDH_CURVE_PARAMETERS['P-384']?.bytes; // 48
 * ```
 */
export const ECDH_CURVE_PARAMETERS: Readonly<Record<string, EcdhCurve>> = Object.freeze(
  Object.assign(Object.create(null) as Record<string, EcdhCurve>, {
    'P-256': curve({
      crv: 'P-256',
      kty: 'EC',
      bytes: 32,
      prime: 2n ** 256n - 2n ** 224n + 2n ** 192n + 2n ** 96n - 1n,
    }),
    'P-384': curve({ crv: 'P-384', kty: 'EC', bytes: 48, prime: 2n ** 384n - 2n ** 128n - 2n ** 96n + 2n ** 32n - 1n }),
    'P-521': curve({ crv: 'P-521', kty: 'EC', bytes: 66, prime: 2n ** 521n - 1n }),
    X25519: curve({ crv: 'X25519', kty: 'OKP', bytes: 32 }),
    X448: curve({ crv: 'X448', kty: 'OKP', bytes: 56 }),
  }),
);

/**
 * The one registered JWE compression algorithm (`zip`): raw DEFLATE, RFC 1951 (RFC 7516 section 4.1.3).
 *
 * @example
 * ```ts
 * import { JWE_ZIP_DEFLATE, decodeUnverified } from 'jotjs';
 * const compressed = decodeUnverified(jwe).header.zip === JWE_ZIP_DEFLATE;
 * ```
 */
export const JWE_ZIP_DEFLATE = 'DEF';

/**
 * AES-GCM key wrapping (A*GCMKW): IV length in bytes (RFC 7518 section 4.7); the `iv` header decodes to this many.
 *
 * @example
 * ```ts
 * import { GCM_KW_IV_BYTES } from 'jotjs';
 * const ivIsValid = Buffer.from(header.iv, 'base64url').length === GCM_KW_IV_BYTES; // 12
 * ```
 */
export const GCM_KW_IV_BYTES = 12;
/**
 * AES-GCM key wrapping (A*GCMKW): authentication tag length in bytes (RFC 7518 section 4.7); the `tag` header
 * decodes to this many.
 *
 * @example
 * ```ts
 * import { GCM_KW_TAG_BYTES } from 'jotjs';
 * const tagIsValid = Buffer.from(header.tag, 'base64url').length === GCM_KW_TAG_BYTES; // 16
 * ```
 */
export const GCM_KW_TAG_BYTES = 16;

/**
 * JWE content encryption algorithms (RFC 7518 section 5). Null prototype: `__proto__` never resolves.
 *
 * @example
 * ```ts
 * import { CONTENT_ENCRYPTION_ALGORITHMS } from 'jotjs';
 * Object.keys(CONTENT_ENCRYPTION_ALGORITHMS); // ['A128CBC-HS256', ..., 'A256GCM']
 * ```
 */
export const CONTENT_ENCRYPTION_ALGORITHMS: Readonly<Record<string, ContentEncryptionAlgorithm>> = Object.freeze(
  Object.assign(Object.create(null) as Record<string, ContentEncryptionAlgorithm>, {
    'A128CBC-HS256': ce({
      name: 'A128CBC-HS256',
      family: 'aes-cbc-hmac',
      keyBytes: 32,
      ivBytes: 16,
      tagBytes: 16,
      hash: 'sha256',
    }),
    'A192CBC-HS384': ce({
      name: 'A192CBC-HS384',
      family: 'aes-cbc-hmac',
      keyBytes: 48,
      ivBytes: 16,
      tagBytes: 24,
      hash: 'sha384',
    }),
    'A256CBC-HS512': ce({
      name: 'A256CBC-HS512',
      family: 'aes-cbc-hmac',
      keyBytes: 64,
      ivBytes: 16,
      tagBytes: 32,
      hash: 'sha512',
    }),
    A128GCM: ce({ name: 'A128GCM', family: 'aes-gcm', keyBytes: 16, ivBytes: 12, tagBytes: 16 }),
    A192GCM: ce({ name: 'A192GCM', family: 'aes-gcm', keyBytes: 24, ivBytes: 12, tagBytes: 16 }),
    A256GCM: ce({ name: 'A256GCM', family: 'aes-gcm', keyBytes: 32, ivBytes: 12, tagBytes: 16 }),
  }),
);

/**
 * Look up an ECDH-ES curve by its exact JWK `crv`, or undefined (also for a non-string).
 *
 * @example
 * ```ts
 * import { findEcdhCurve } from 'jotjs';
 * findEcdhCurve('X25519')?.kty; // 'OKP'
 * findEcdhCurve('secp256k1'); // undefined: not an ECDH-ES curve
 * ```
 */
export function findEcdhCurve(crv: unknown): EcdhCurve | undefined {
  return typeof crv === 'string' ? ECDH_CURVE_PARAMETERS[crv] : undefined;
}

/**
 * Look up a JWE key-management algorithm by its exact, case-sensitive `alg`, or undefined (also for a non-string).
 *
 * @example
 * ```ts
 * import { findKeyManagementAlgorithm } from 'jotjs';
 * findKeyManagementAlgorithm('A256KW')?.kwBytes; // 32
 * findKeyManagementAlgorithm('a256kw'); // undefined
 * ```
 */
export function findKeyManagementAlgorithm(name: unknown): KeyManagementAlgorithm | undefined {
  return typeof name === 'string' ? KEY_MANAGEMENT_ALGORITHMS[name] : undefined;
}

/**
 * Look up a JWE content encryption algorithm by its exact, case-sensitive `enc`, or undefined (also for a
 * non-string).
 *
 * @example
 * ```ts
 * import { findContentEncryptionAlgorithm } from 'jotjs';
 * findContentEncryptionAlgorithm('A128GCM')?.keyBytes; // 16
 * ```
 */
export function findContentEncryptionAlgorithm(name: unknown): ContentEncryptionAlgorithm | undefined {
  return typeof name === 'string' ? CONTENT_ENCRYPTION_ALGORITHMS[name] : undefined;
}

/**
 * Resolve a JWE key-management algorithm or throw `ERR_JOSE_NOT_SUPPORTED`.
 *
 * @example
 * ```ts
 * import { keyManagementAlgorithm } from 'jotjs';
 * keyManagementAlgorithm('PBES2-HS256+A128KW').explicitOnly; // true: decryption must list it
 * ```
 */
export function keyManagementAlgorithm(name: string): KeyManagementAlgorithm {
  const a = findKeyManagementAlgorithm(name);
  if (!a) throw err('ERR_JOSE_NOT_SUPPORTED', 'unsupported JWE key management algorithm');
  return a;
}

/**
 * Resolve a JWE content encryption algorithm or throw `ERR_JOSE_NOT_SUPPORTED`.
 *
 * @example
 * ```ts
 * import { contentEncryptionAlgorithm } from 'jotjs';
 * contentEncryptionAlgorithm('A128CBC-HS256').keyBytes; // 32: 16 for HMAC, 16 for AES
 * ```
 */
export function contentEncryptionAlgorithm(name: string): ContentEncryptionAlgorithm {
  const a = findContentEncryptionAlgorithm(name);
  if (!a) throw err('ERR_JOSE_NOT_SUPPORTED', 'unsupported JWE content encryption algorithm');
  return a;
}
