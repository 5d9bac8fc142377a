import type { HashName } from '../../alg/jws.js';
import { concatAll } from '../../encoding/bytes.js';
import { err } from '../../errors.js';
import type { JwkMembers, KeyHandle } from '../backend.js';
import type { GcmSealed, JweCryptoBackend, JweHash } from '../jwe-backend.js';
import { bytesFromB64u, hexFromBytes } from './bytes.js';
import { OKP_CURVES } from './der-keys.js';
import { digest } from './digest.js';
import { cryptoKey, describeJwk, platformError, subtle, type WebKey } from './keys.js';
import { SHA } from './sig.js';

// The JWE primitives over WebCrypto (`#crypto/jwe`, web). What a runtime lacks (AES-192 in Chromium, RSA-OAEP with
// SHA-384/512 in some, X448) is refused by WebCrypto when the key is made: ERR_JOSE_NOT_SUPPORTED. Failures on
// attacker input resolve to undefined, as the interface requires.

const GCM_TAG_BYTES = 16;
/** ECDH output lengths in bits. */
const Z_BITS: Readonly<Record<string, number>> = Object.freeze({
  'P-256': 256,
  'P-384': 384,
  'P-521': 528,
  X25519: 256,
  X448: 448,
});

type Usage = KeyUsage;

/** A raw AES (or HMAC, PBKDF2) key; a refusal is ERR_JOSE_NOT_SUPPORTED (lengths were checked by the caller). */
async function raw(
  bytes: Uint8Array,
  algorithm: Algorithm & Record<string, unknown>,
  usages: Usage[],
): Promise<CryptoKey> {
  try {
    return await subtle().importKey('raw', bytes as BufferSource, algorithm, false, usages);
  } catch (cause) {
    throw err(
      'ERR_JOSE_NOT_SUPPORTED',
      `${algorithm.name} with a ${bytes.byteLength * 8}-bit key is not supported here`,
      cause,
    );
  }
}

const u8 = (b: ArrayBuffer): Uint8Array => new Uint8Array(b);
const src = (b: Uint8Array): BufferSource => b as BufferSource;

const bigintOf = (b: Uint8Array): bigint => (b.byteLength === 0 ? 0n : BigInt(`0x${hexFromBytes(b)}`));

function modPow(base: bigint, exp: bigint, m: bigint): bigint {
  let r = 1n;
  let b = base % m;
  for (let e = exp; e > 0n; e >>= 1n) {
    if (e & 1n) r = (r * b) % m;
    b = (b * b) % m;
  }
  return r;
}

/** RSAES-PKCS1-v1_5 encryption (RFC 8017 section 7.2.1): WebCrypto has none; public-key arithmetic only. */
function pkcs1Encrypt(k: WebKey, m: Uint8Array): Uint8Array {
  const n = bigintOf(bytesFromB64u(k.jwk.n ?? ''));
  const e = bigintOf(bytesFromB64u(k.jwk.e ?? ''));
  const size = Math.ceil(n.toString(2).length / 8);
  if (m.byteLength > size - 11) throw err('ERR_KEY_INVALID', 'the message is too long for the RSA key');
  const ps = new Uint8Array(size - m.byteLength - 3);
  for (let i = 0; i < ps.length; i++) {
    let b = 0;
    while (b === 0) b = digest.randomBytes(1)[0]!;
    ps[i] = b;
  }
  const em = concatAll([Uint8Array.of(0, 2), ps, Uint8Array.of(0), m]);
  const c = modPow(bigintOf(em), e, n)
    .toString(16)
    .padStart(size * 2, '0');
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) out[i] = Number.parseInt(c.slice(2 * i, 2 * i + 2), 16);
  return out;
}

const ecdhAlgorithm = (crv: string): Algorithm & Record<string, unknown> =>
  OKP_CURVES[crv.toLowerCase()] !== undefined ? { name: crv } : { name: 'ECDH', namedCurve: crv };

/** WebCrypto implementation of {@link JweCryptoBackend}. */
export const jwe: JweCryptoBackend = Object.freeze({
  name: 'web' as const,
  randomBytes: digest.randomBytes,
  timingSafeEqual: digest.timingSafeEqual,

  digest(hash: HashName, data: Uint8Array): Promise<Uint8Array> {
    return digest.digest(hash, data);
  },

  async hmac(hash: HashName, key: Uint8Array, parts: readonly Uint8Array[]): Promise<Uint8Array> {
    const k = await raw(key, { name: 'HMAC', hash: SHA[hash]! }, ['sign']);
    return u8(await subtle().sign('HMAC', k, src(concatAll(parts))));
  },

  async aesGcmEncrypt(key: Uint8Array, iv: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Promise<GcmSealed> {
    const k = await raw(key, { name: 'AES-GCM' }, ['encrypt']);
    const params = { name: 'AES-GCM', iv: src(iv), additionalData: src(aad), tagLength: 128 };
    const out = u8(await subtle().encrypt(params, k, src(plaintext)));
    const at = out.byteLength - GCM_TAG_BYTES;
    return { ciphertext: out.slice(0, at), tag: out.slice(at) };
  },

  async aesGcmDecrypt(
    key: Uint8Array,
    iv: Uint8Array,
    ciphertext: Uint8Array,
    tag: Uint8Array,
    aad: Uint8Array,
  ): Promise<Uint8Array | undefined> {
    if (tag.byteLength !== GCM_TAG_BYTES) return undefined;
    const k = await raw(key, { name: 'AES-GCM' }, ['decrypt']);
    const params = { name: 'AES-GCM', iv: src(iv), additionalData: src(aad), tagLength: 128 };
    try {
      return u8(await subtle().decrypt(params, k, src(concatAll([ciphertext, tag]))));
    } catch {
      return undefined;
    }
  },

  async aesCbcEncrypt(key: Uint8Array, iv: Uint8Array, plaintext: Uint8Array): Promise<Uint8Array> {
    const k = await raw(key, { name: 'AES-CBC' }, ['encrypt']);
    return u8(await subtle().encrypt({ name: 'AES-CBC', iv: src(iv) }, k, src(plaintext)));
  },

  async aesCbcDecrypt(key: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array): Promise<Uint8Array | undefined> {
    if (ciphertext.byteLength === 0 || ciphertext.byteLength % 16 !== 0) return undefined;
    const k = await raw(key, { name: 'AES-CBC' }, ['decrypt']);
    try {
      return u8(await subtle().decrypt({ name: 'AES-CBC', iv: src(iv) }, k, src(ciphertext)));
    } catch {
      return undefined;
    }
  },

  async aesKeyWrap(kek: Uint8Array, key: Uint8Array): Promise<Uint8Array> {
    const k = await raw(kek, { name: 'AES-KW' }, ['wrapKey']);
    // WebCrypto wraps keys, not bytes: the CEK is carried as an HMAC key, which takes any length.
    const cek = await subtle().importKey('raw', src(key), { name: 'HMAC', hash: 'SHA-256' }, true, ['sign']);
    return u8(await subtle().wrapKey('raw', cek, k, 'AES-KW'));
  },

  async aesKeyUnwrap(kek: Uint8Array, wrapped: Uint8Array): Promise<Uint8Array | undefined> {
    if (wrapped.byteLength < 24 || wrapped.byteLength % 8 !== 0) return undefined;
    const k = await raw(kek, { name: 'AES-KW' }, ['unwrapKey']);
    try {
      const length = (wrapped.byteLength - 8) * 8;
      const as = { name: 'HMAC', hash: 'SHA-256', length };
      const cek = await subtle().unwrapKey('raw', src(wrapped), k, 'AES-KW', as, true, ['sign']);
      return u8(await subtle().exportKey('raw', cek));
    } catch {
      return undefined;
    }
  },

  async rsaOaepEncrypt(hash: JweHash, publicKey: KeyHandle, data: Uint8Array): Promise<Uint8Array> {
    const k = (publicKey.publicNative ?? publicKey.native) as WebKey;
    const algorithm = { name: 'RSA-OAEP', hash: SHA[hash]! };
    const ck = await cryptoKey(k, algorithm, 'encrypt', `OAEP-${hash}`);
    return u8(await subtle().encrypt({ name: 'RSA-OAEP' }, ck, src(data)));
  },

  async rsaOaepDecrypt(hash: JweHash, privateKey: KeyHandle, data: Uint8Array): Promise<Uint8Array | undefined> {
    const algorithm = { name: 'RSA-OAEP', hash: SHA[hash]! };
    const ck = await cryptoKey(privateKey.native as WebKey, algorithm, 'decrypt', `OAEP-${hash}`);
    try {
      return u8(await subtle().decrypt({ name: 'RSA-OAEP' }, ck, src(data)));
    } catch {
      return undefined;
    }
  },

  async rsaPkcs1Encrypt(publicKey: KeyHandle, data: Uint8Array): Promise<Uint8Array> {
    return pkcs1Encrypt((publicKey.publicNative ?? publicKey.native) as WebKey, data);
  },

  async generateEphemeralKey(crv: string): Promise<{ handle: KeyHandle; x: string; y?: string }> {
    const algorithm = ecdhAlgorithm(crv);
    let jwk: JsonWebKey;
    try {
      const pair = (await subtle().generateKey(algorithm, true, ['deriveBits'])) as CryptoKeyPair;
      jwk = await subtle().exportKey('jwk', pair.privateKey);
    } catch (cause) {
      throw platformError(cause, 'ERR_KEY_INVALID', `${crv} key agreement`);
    }
    const members = {
      kty: jwk.kty!,
      crv: jwk.crv!,
      x: jwk.x!,
      d: jwk.d!,
      ...(jwk.y !== undefined ? { y: jwk.y } : {}),
    };
    const d = describeJwk(members, 'private');
    const handle: KeyHandle = { native: d.native, publicNative: d.publicNative };
    return jwk.y === undefined ? { handle, x: jwk.x! } : { handle, x: jwk.x!, y: jwk.y };
  },

  ecdhPublicKey(jwk: JwkMembers): KeyHandle {
    // WebCrypto imports the key (and checks the point again) when ecdh() first uses it.
    return { native: describeJwk(jwk, 'public', 'ERR_JWK_INVALID').native };
  },

  async ecdh(crv: string, privateKey: KeyHandle, publicKey: KeyHandle): Promise<Uint8Array | undefined> {
    const algorithm = ecdhAlgorithm(crv);
    const mine = await cryptoKey(privateKey.native as WebKey, algorithm, 'deriveBits', `DH-${crv}`);
    const theirs = await cryptoKey(
      (publicKey.publicNative ?? publicKey.native) as WebKey,
      algorithm,
      'none',
      `DH-${crv}`,
    );
    let z: Uint8Array;
    try {
      z = u8(
        await subtle().deriveBits({ name: algorithm.name, public: theirs } as EcdhKeyDeriveParams, mine, Z_BITS[crv]!),
      );
    } catch {
      return undefined; // includes an all-zero X25519/X448 result, which WebCrypto refuses
    }
    let acc = 0;
    for (const b of z) acc |= b;
    return OKP_CURVES[crv.toLowerCase()] !== undefined && acc === 0 ? undefined : z;
  },

  async pbkdf2(hash: HashName, password: Uint8Array, salt: Uint8Array, iterations: number, length: number) {
    const k = await raw(password, { name: 'PBKDF2' }, ['deriveBits']);
    try {
      const params = { name: 'PBKDF2', hash: SHA[hash]!, salt: src(salt), iterations };
      return u8(await subtle().deriveBits(params, k, length * 8));
    } catch (cause) {
      throw err('ERR_JOSE_NOT_SUPPORTED', 'PBKDF2 with these parameters is not supported here', cause);
    }
  },
});
