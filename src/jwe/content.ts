import type { ContentEncryptionAlgorithm } from '../alg/jwe.js';
import { jwe as jweBackend } from '#crypto/jwe';
import { err } from '../errors.js';

/** The output of content encryption. */
export interface Sealed {
  iv: Uint8Array;
  ciphertext: Uint8Array;
  tag: Uint8Array;
}

const TWO_64 = 2n ** 64n;

/**
 * AL of RFC 7518 section 5.2.2.1: the bit length of the AAD as a 64-bit big-endian integer. Computed with
 * BigInt, so no 32-bit truncation (CVE-2016-9123); a length whose bit count needs more than 64 bits is
 * `ERR_LIMIT_EXCEEDED`.
 */
export function cbcHmacAl(aadBytes: number | bigint): Uint8Array {
  const bits = BigInt(aadBytes) * 8n;
  if (bits < 0n || bits >= TWO_64) throw err('ERR_LIMIT_EXCEEDED', 'the additional authenticated data is too long');
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, bits, false);
  return out;
}

/** MAC_KEY || ENC_KEY split of a CBC-HMAC content key. */
function split(enc: ContentEncryptionAlgorithm, cek: Uint8Array): { macKey: Uint8Array; encKey: Uint8Array } {
  const half = enc.keyBytes / 2;
  return { macKey: cek.subarray(0, half), encKey: cek.subarray(half) };
}

async function cbcHmacTag(
  enc: ContentEncryptionAlgorithm,
  macKey: Uint8Array,
  aad: Uint8Array,
  iv: Uint8Array,
  ciphertext: Uint8Array,
): Promise<Uint8Array> {
  const mac = await jweBackend.hmac(enc.hash!, macKey, [aad, iv, ciphertext, cbcHmacAl(aad.byteLength)]);
  return mac.subarray(0, enc.tagBytes);
}

/**
 * Encrypt `plaintext` under `cek` (exactly `enc.keyBytes` long) with a fresh random IV, authenticating
 * `aad`. `iv` may be fixed for known-answer tests only.
 */
export async function encryptContent(
  enc: ContentEncryptionAlgorithm,
  cek: Uint8Array,
  plaintext: Uint8Array,
  aad: Uint8Array,
  fixedIv?: Uint8Array,
): Promise<Sealed> {
  const b = jweBackend;
  const iv = fixedIv ?? b.randomBytes(enc.ivBytes);
  switch (enc.family) {
    case 'aes-gcm': {
      const { ciphertext, tag } = await b.aesGcmEncrypt(cek, iv, plaintext, aad);
      return { iv, ciphertext, tag };
    }
    case 'aes-cbc-hmac': {
      const { macKey, encKey } = split(enc, cek);
      const ciphertext = await b.aesCbcEncrypt(encKey, iv, plaintext);
      return { iv, ciphertext, tag: await cbcHmacTag(enc, macKey, aad, iv, ciphertext) };
    }
  }
}

/**
 * Authenticate and decrypt. Resolves to `undefined` on any failure: the caller turns every one of them into
 * the same `ERR_JWE_DECRYPTION_FAILED`. IV and tag lengths must be exact. For CBC-HMAC the tag is compared in
 * constant time before AES runs at all, so padding is only ever examined on authentic ciphertext.
 */
export function decryptContent(
  enc: ContentEncryptionAlgorithm,
  cek: Uint8Array,
  iv: Uint8Array,
  ciphertext: Uint8Array,
  tag: Uint8Array,
  aad: Uint8Array,
): Promise<Uint8Array | undefined> {
  if (cek.byteLength !== enc.keyBytes || iv.byteLength !== enc.ivBytes || tag.byteLength !== enc.tagBytes) {
    return Promise.resolve(undefined);
  }
  switch (enc.family) {
    case 'aes-gcm':
      // The backend's promise itself: no async wrapper adding turns of the event loop.
      return jweBackend.aesGcmDecrypt(cek, iv, ciphertext, tag, aad);
    case 'aes-cbc-hmac':
      return cbcHmacDecrypt(enc, cek, iv, ciphertext, tag, aad);
  }
}

async function cbcHmacDecrypt(
  enc: ContentEncryptionAlgorithm,
  cek: Uint8Array,
  iv: Uint8Array,
  ciphertext: Uint8Array,
  tag: Uint8Array,
  aad: Uint8Array,
): Promise<Uint8Array | undefined> {
  const b = jweBackend;
  const { macKey, encKey } = split(enc, cek);
  const expected = await cbcHmacTag(enc, macKey, aad, iv, ciphertext);
  if (!b.timingSafeEqual(expected, tag)) return undefined;
  return b.aesCbcDecrypt(encKey, iv, ciphertext);
}
