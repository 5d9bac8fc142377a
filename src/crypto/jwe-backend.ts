import type { HashName } from '../alg/jws.js';
import type { JwkMembers, KeyHandle } from './backend.js';

/** Digests the JWE primitives take: SHA-1 exists only for RSA-OAEP (RFC 7518 section 4.3). */
export type JweHash = HashName | 'sha1';

/**
 * A backend that hashes synchronously (node:crypto): the Concat KDF of ECDH-ES then costs no promise. WebCrypto has
 * no synchronous digest; callers feature-test with {@link digestsSync}.
 */
export interface DigestsSync {
  digestSync(hash: HashName, data: Uint8Array): Uint8Array;
}

/** Does `b` hash synchronously? */
export function digestsSync(b: JweCryptoBackend): b is JweCryptoBackend & DigestsSync {
  return typeof (b as Partial<DigestsSync>).digestSync === 'function';
}

/** AES-GCM output: the ciphertext and its 16-byte tag. */
export interface GcmSealed {
  ciphertext: Uint8Array;
  tag: Uint8Array;
}

/**
 * The primitives JWE needs (RFC 7518 sections 4 and 5). JWE code reaches cryptography only through this
 * interface so that a WebCrypto backend can be added without touching it.
 *
 * Conventions: symmetric keys are raw bytes (content keys, key-encryption keys, passwords), asymmetric keys
 * are key handles that already passed the JWE key policy. Operations that can fail on attacker input
 * (authentication, unwrapping, padding, key agreement) resolve to `undefined` instead of throwing, so the
 * caller maps every failure to the one `ERR_JWE_DECRYPTION_FAILED` without an oracle. Lengths of keys, IVs
 * and tags have been checked by the caller.
 */
export interface JweCryptoBackend {
  readonly name: 'node' | 'web';

  randomBytes(length: number): Uint8Array;
  /** Constant-time equality (false for different lengths, which are public). */
  timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean;
  digest(hash: HashName, data: Uint8Array): Promise<Uint8Array>;
  /** HMAC over the concatenation of `parts` (no copy of the parts is made). */
  hmac(hash: HashName, key: Uint8Array, parts: readonly Uint8Array[]): Promise<Uint8Array>;

  /** AES-GCM with a 96-bit IV and a 128-bit tag. */
  aesGcmEncrypt(key: Uint8Array, iv: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Promise<GcmSealed>;
  /** AES-GCM decryption; the tag is exactly 16 bytes. `undefined` when authentication fails. */
  aesGcmDecrypt(
    key: Uint8Array,
    iv: Uint8Array,
    ciphertext: Uint8Array,
    tag: Uint8Array,
    aad: Uint8Array,
  ): Promise<Uint8Array | undefined>;
  /** AES-CBC with PKCS#7 padding. */
  aesCbcEncrypt(key: Uint8Array, iv: Uint8Array, plaintext: Uint8Array): Promise<Uint8Array>;
  /** AES-CBC decryption and unpadding; `undefined` for a bad length or bad padding. */
  aesCbcDecrypt(key: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array): Promise<Uint8Array | undefined>;

  /** RFC 3394 AES key wrap with the default IV. */
  aesKeyWrap(kek: Uint8Array, key: Uint8Array): Promise<Uint8Array>;
  /** RFC 3394 unwrap; `undefined` when the integrity check fails or the length is impossible. */
  aesKeyUnwrap(kek: Uint8Array, wrapped: Uint8Array): Promise<Uint8Array | undefined>;

  /** RSAES-OAEP with MGF1 on the same hash and an empty label. */
  rsaOaepEncrypt(hash: JweHash, publicKey: KeyHandle, data: Uint8Array): Promise<Uint8Array>;
  /** `undefined` on any decryption failure. */
  rsaOaepDecrypt(hash: JweHash, privateKey: KeyHandle, data: Uint8Array): Promise<Uint8Array | undefined>;
  /** RSAES-PKCS1-v1_5 encryption (RSA1_5 is encrypt-only in jot: see docs/jwe.md). */
  rsaPkcs1Encrypt(publicKey: KeyHandle, data: Uint8Array): Promise<Uint8Array>;

  /**
   * A fresh key pair on curve `crv` (EC P-256/384/521, X25519, X448): the ECDH-ES ephemeral key, as the private key's
   * handle and the public JWK coordinates (`x`, and `y` for EC).
   */
  generateEphemeralKey(crv: string): Promise<{ handle: KeyHandle; x: string; y?: string }>;
  /**
   * The handle of a peer's public key for {@link JweCryptoBackend.ecdh} only (an ECDH-ES `epk`), from its JWK members
   * `kty`, `crv`, `x` (and `y` for EC). The caller has checked them: a curve of the recipient key, exact coordinate
   * lengths, coordinates below the field prime, and an EC point on its curve. No `Key` is made: the handle serves one
   * agreement. Throws `ERR_JWK_INVALID` when the runtime refuses the point (node refuses a point off its curve here;
   * WebCrypto when the agreement imports it).
   */
  ecdhPublicKey(jwk: JwkMembers): KeyHandle;
  /**
   * The raw ECDH shared secret Z of a private and a public key on the same curve. `undefined` when the
   * agreement fails, including an all-zero X25519/X448 result (a small-order peer point).
   */
  ecdh(crv: string, privateKey: KeyHandle, publicKey: KeyHandle): Promise<Uint8Array | undefined>;

  /** PBKDF2 with HMAC-`hash`. */
  pbkdf2(
    hash: HashName,
    password: Uint8Array,
    salt: Uint8Array,
    iterations: number,
    length: number,
  ): Promise<Uint8Array>;
}
