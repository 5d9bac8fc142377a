import {
  type ContentEncryptionAlgorithm,
  GCM_KW_IV_BYTES,
  GCM_KW_TAG_BYTES,
  type KeyManagementAlgorithm,
} from '../alg/jwe.js';
import type { HashName } from '../alg/jws.js';
import { jwe as jweBackend } from '#crypto/jwe';
import { b64uEncode } from '../encoding/base64url.js';
import { concatAll } from '../encoding/bytes.js';
import { utf8Encode } from '../encoding/utf8.js';
import { err } from '../errors.js';
import type { Key, KeyHandle } from '../key/key.js';
import { concatKdf, ephemeralAgreement, ephemeralPublicKey } from './ecdh.js';
import { DEFAULT_MAX_PBES2_COUNT } from './policy.js';

/** Default PBES2 iteration count when the header gives none: the default decryption maximum. */
export const DEFAULT_PBES2_COUNT = DEFAULT_MAX_PBES2_COUNT;
const PBES2_SALT_BYTES = 16;

/** Values that are random in production, fixed by known-answer tests. @internal */
export interface KeyManagementFixtures {
  ephemeralKey?: Key;
  p2s?: Uint8Array;
  kwIv?: Uint8Array;
}

/**
 * Key management parameters of one recipient, decoded and checked once: by the parser on decryption (with the
 * work limits), by the encryption input checks on encryption. @internal
 */
export interface KeyParams {
  apu?: Uint8Array;
  apv?: Uint8Array;
  /** The sender's ephemeral key as found in the header; validated against the recipient key by the unwrap. */
  epk?: unknown;
  p2s?: Uint8Array;
  p2c?: number;
  /** A*GCMKW `iv` and `tag`. */
  iv?: Uint8Array;
  tag?: Uint8Array;
}

/** What the sender's key management produced for one recipient. */
export interface Wrapped {
  encryptedKey: Uint8Array;
  /** Generated header parameters (`epk`, `iv`, `tag`, `p2s`, `p2c`). */
  parameters: Record<string, unknown>;
}

const EMPTY = new Uint8Array(0);

/** PBES2 salt input: UTF8(alg) || 0x00 || p2s (RFC 7518 section 4.8.1.1). */
function pbes2Kek(alg: KeyManagementAlgorithm, password: Uint8Array, p2s: Uint8Array, p2c: number) {
  const salt = concatAll([utf8Encode(alg.name), new Uint8Array(1), p2s]);
  return jweBackend.pbkdf2(alg.hash as HashName, password, salt, p2c, alg.kwBytes!);
}

/**
 * Sender side, for families where the CEK comes from key management itself (`dir`, ECDH-ES): the CEK and
 * the generated parameters. Undefined for families that wrap a random CEK.
 */
export async function agreeCek(
  alg: KeyManagementAlgorithm,
  enc: ContentEncryptionAlgorithm,
  key: Key,
  h: KeyHandle,
  params: KeyParams,
  fixtures: KeyManagementFixtures = {},
): Promise<{ cek: Uint8Array; parameters: Record<string, unknown> } | undefined> {
  switch (alg.family) {
    case 'dir':
      if (h.secret!.byteLength !== enc.keyBytes) {
        throw err('ERR_KEY_INVALID', `${enc.name} needs a direct key of exactly ${enc.keyBytes} bytes`);
      }
      if (h.dirEnc !== undefined && h.dirEnc !== enc.name) {
        throw err('ERR_KEY_INVALID', `the direct key serves only ${h.dirEnc}, the "alg" of its JWK`);
      }
      return { cek: h.secret!, parameters: {} };
    case 'ecdh-es': {
      const { z, epk } = await ephemeralAgreement(key, fixtures.ephemeralKey);
      return { cek: await concatKdf(z, enc.keyBytes, enc.name, params), parameters: { epk } };
    }
    default:
      return undefined;
  }
}

/** Sender side, for the families that wrap or encrypt a random CEK. */
export async function wrapCek(
  alg: KeyManagementAlgorithm,
  key: Key,
  h: KeyHandle,
  params: KeyParams,
  cek: Uint8Array,
  fixtures: KeyManagementFixtures = {},
): Promise<Wrapped> {
  const b = jweBackend;
  switch (alg.family) {
    case 'rsa-oaep':
      return { encryptedKey: await b.rsaOaepEncrypt(alg.hash!, h, cek), parameters: {} };
    case 'rsa1_5':
      return { encryptedKey: await b.rsaPkcs1Encrypt(h, cek), parameters: {} };
    case 'aes-kw':
      return { encryptedKey: await b.aesKeyWrap(h.secret!, cek), parameters: {} };
    case 'aes-gcm-kw': {
      const iv = fixtures.kwIv ?? b.randomBytes(GCM_KW_IV_BYTES);
      const { ciphertext, tag } = await b.aesGcmEncrypt(h.secret!, iv, cek, EMPTY);
      return { encryptedKey: ciphertext, parameters: { iv: b64uEncode(iv), tag: b64uEncode(tag) } };
    }
    case 'ecdh-es-kw': {
      const { z, epk } = await ephemeralAgreement(key, fixtures.ephemeralKey);
      const kek = await concatKdf(z, alg.kwBytes!, alg.name, params);
      return { encryptedKey: await b.aesKeyWrap(kek, cek), parameters: { epk } };
    }
    case 'pbes2': {
      const p2c = params.p2c ?? DEFAULT_PBES2_COUNT;
      const p2s = fixtures.p2s ?? b.randomBytes(PBES2_SALT_BYTES);
      const kek = await pbes2Kek(alg, h.secret!, p2s, p2c);
      const parameters: Record<string, unknown> = { p2s: b64uEncode(p2s) };
      if (params.p2c === undefined) parameters.p2c = p2c;
      return { encryptedKey: await b.aesKeyWrap(kek, cek), parameters };
    }
    case 'dir':
    case 'ecdh-es':
      throw err('ERR_JWE_INVALID', 'this key management algorithm does not wrap a key');
  }
}

/**
 * Recipient side: the CEK, or `undefined` on any failure (the caller substitutes a random CEK and fails
 * with the one decryption error). `params` were checked by the parser (`p2c` bounded, `p2s`, `iv`, `tag`
 * and `epk` present for their families) and the key by the key policy.
 */
export function unwrapCek(
  alg: KeyManagementAlgorithm,
  enc: ContentEncryptionAlgorithm,
  key: Key,
  h: KeyHandle,
  encryptedKey: Uint8Array,
  params: KeyParams,
): Uint8Array | undefined | Promise<Uint8Array | undefined> {
  const b = jweBackend;
  switch (alg.family) {
    case 'dir':
      // A key whose JWK named another content encryption algorithm fails like a wrong key: the one error.
      return h.dirEnc === undefined || h.dirEnc === enc.name ? h.secret : undefined; // no promise: nothing to wait for
    case 'rsa-oaep':
      if (encryptedKey.byteLength !== Math.ceil(h.modulusBits! / 8)) return undefined;
      return b.rsaOaepDecrypt(alg.hash!, h, encryptedKey);
    case 'rsa1_5':
      // Encrypt-only by design: PKCS#1 v1.5 decryption is a padding oracle (docs/jwe.md).
      throw err('ERR_JOSE_NOT_SUPPORTED', 'RSA1_5 decryption is not supported');
    case 'aes-kw':
      return b.aesKeyUnwrap(h.secret!, encryptedKey);
    case 'aes-gcm-kw': {
      const { iv, tag } = params;
      if (iv?.byteLength !== GCM_KW_IV_BYTES || tag?.byteLength !== GCM_KW_TAG_BYTES) return undefined;
      return b.aesGcmDecrypt(h.secret!, iv, encryptedKey, tag, EMPTY);
    }
    case 'ecdh-es':
    case 'ecdh-es-kw':
      return ecdhUnwrap(alg, enc, key, h, encryptedKey, params);
    case 'pbes2':
      return pbes2Kek(alg, h.secret!, params.p2s!, params.p2c!).then((kek) => b.aesKeyUnwrap(kek, encryptedKey));
  }
}

function ecdhUnwrap(
  alg: KeyManagementAlgorithm,
  enc: ContentEncryptionAlgorithm,
  key: Key,
  h: KeyHandle,
  encryptedKey: Uint8Array,
  params: KeyParams,
): Promise<Uint8Array | undefined> {
  const b = jweBackend;
  return b.ecdh(key.crv!, h, ephemeralPublicKey(params.epk, key)).then((z) => {
    if (z === undefined) return undefined;
    if (alg.family === 'ecdh-es') return concatKdf(z, enc.keyBytes, enc.name, params);
    const kek = concatKdf(z, alg.kwBytes!, alg.name, params);
    return kek instanceof Promise
      ? kek.then((k) => b.aesKeyUnwrap(k, encryptedKey))
      : b.aesKeyUnwrap(kek, encryptedKey);
  });
}
