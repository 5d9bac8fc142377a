import {
  type CipherGCMTypes,
  constants,
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  createPublicKey,
  diffieHellman,
  type JsonWebKey,
  type KeyObject,
  generateKeyPair as nodeGenerateKeyPair,
  pbkdf2 as nodePbkdf2,
  randomBytes as nodeRandomBytes,
  timingSafeEqual as nodeTimingSafeEqual,
  privateDecrypt,
  publicEncrypt,
} from 'node:crypto';
import type { HashName } from '../../alg/jws.js';
import { bare } from '../../encoding/null-prototype.js';
import { err } from '../../errors.js';
import type { JwkMembers, KeyHandle } from '../backend.js';
import type { DigestsSync, GcmSealed, JweCryptoBackend, JweHash } from '../jwe-backend.js';

/** RFC 3394 section 2.2.3.1 default initial value. */
const KW_IV = Buffer.from('a6a6a6a6a6a6a6a6', 'hex');
const GCM_TAG_BYTES = 16;

const NAMED_CURVES: Readonly<Record<string, string>> = Object.freeze({
  'P-256': 'prime256v1',
  'P-384': 'secp384r1',
  'P-521': 'secp521r1',
});

function aesBits(key: Uint8Array): 128 | 192 | 256 {
  const bits = key.byteLength * 8;
  if (bits !== 128 && bits !== 192 && bits !== 256) throw err('ERR_KEY_INVALID', 'AES keys are 16, 24 or 32 bytes');
  return bits;
}

function publicOf(h: KeyHandle): KeyObject {
  return (h.publicNative ?? h.native) as KeyObject;
}

function isAllZero(b: Uint8Array): boolean {
  let acc = 0;
  for (let i = 0; i < b.length; i++) acc |= b[i]!;
  return acc === 0;
}

function generate(crv: string): Promise<KeyObject> {
  const named = NAMED_CURVES[crv];
  const type = named !== undefined ? 'ec' : crv === 'X25519' ? 'x25519' : crv === 'X448' ? 'x448' : undefined;
  if (type === undefined) return Promise.reject(err('ERR_KEY_INVALID', 'no ECDH ephemeral key exists for this key'));
  return new Promise((resolve, reject) => {
    const cb = (e: Error | null, _pub: KeyObject, priv: KeyObject) =>
      e ? reject(err('ERR_KEY_INVALID', 'ephemeral key generation failed', e)) : resolve(priv);
    if (type === 'ec') nodeGenerateKeyPair('ec', bare({ namedCurve: named! }), cb);
    else if (type === 'x25519') nodeGenerateKeyPair('x25519', bare({}), cb);
    else nodeGenerateKeyPair('x448', bare({}), cb);
  });
}

/** node:crypto implementation of {@link JweCryptoBackend}. */
export const jwe: JweCryptoBackend & DigestsSync = Object.freeze({
  name: 'node' as const,

  randomBytes(length: number): Uint8Array {
    return nodeRandomBytes(length);
  },

  timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
    return a.byteLength === b.byteLength && nodeTimingSafeEqual(a, b);
  },

  async digest(hash: HashName, data: Uint8Array): Promise<Uint8Array> {
    return createHash(hash).update(data).digest();
  },

  digestSync(hash: HashName, data: Uint8Array): Uint8Array {
    return createHash(hash).update(data).digest();
  },

  async hmac(hash: HashName, key: Uint8Array, parts: readonly Uint8Array[]): Promise<Uint8Array> {
    const h = createHmac(hash, key);
    for (const p of parts) h.update(p);
    return h.digest();
  },

  async aesGcmEncrypt(key: Uint8Array, iv: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Promise<GcmSealed> {
    const name = `aes-${aesBits(key)}-gcm` as CipherGCMTypes;
    const c = createCipheriv(name, key, iv, bare({ authTagLength: GCM_TAG_BYTES }));
    c.setAAD(aad);
    const ciphertext = Buffer.concat([c.update(plaintext), c.final()]);
    return { ciphertext, tag: c.getAuthTag() };
  },

  async aesGcmDecrypt(
    key: Uint8Array,
    iv: Uint8Array,
    ciphertext: Uint8Array,
    tag: Uint8Array,
    aad: Uint8Array,
  ): Promise<Uint8Array | undefined> {
    if (tag.byteLength !== GCM_TAG_BYTES) return undefined;
    const name = `aes-${aesBits(key)}-gcm` as CipherGCMTypes;
    try {
      const d = createDecipheriv(name, key, iv, bare({ authTagLength: GCM_TAG_BYTES }));
      d.setAuthTag(tag);
      d.setAAD(aad);
      // update()'s output has an ArrayBuffer of its own (not node's shared pool), and GCM's final() adds no bytes:
      // handed out as is, the caller need not copy it away from the pool.
      const out = d.update(ciphertext);
      const tail = d.final();
      return tail.byteLength === 0 ? out : Buffer.concat([out, tail]);
    } catch {
      return undefined;
    }
  },

  async aesCbcEncrypt(key: Uint8Array, iv: Uint8Array, plaintext: Uint8Array): Promise<Uint8Array> {
    const c = createCipheriv(`aes-${aesBits(key)}-cbc`, key, iv, bare({}));
    return Buffer.concat([c.update(plaintext), c.final()]);
  },

  async aesCbcDecrypt(key: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array): Promise<Uint8Array | undefined> {
    if (ciphertext.byteLength === 0 || ciphertext.byteLength % 16 !== 0) return undefined;
    const name = `aes-${aesBits(key)}-cbc`;
    try {
      const d = createDecipheriv(name, key, iv, bare({}));
      return Buffer.concat([d.update(ciphertext), d.final()]);
    } catch {
      return undefined;
    }
  },

  async aesKeyWrap(kek: Uint8Array, key: Uint8Array): Promise<Uint8Array> {
    const c = createCipheriv(`id-aes${aesBits(kek)}-wrap`, kek, KW_IV, bare({}));
    return Buffer.concat([c.update(key), c.final()]);
  },

  async aesKeyUnwrap(kek: Uint8Array, wrapped: Uint8Array): Promise<Uint8Array | undefined> {
    if (wrapped.byteLength < 24 || wrapped.byteLength % 8 !== 0) return undefined;
    const name = `id-aes${aesBits(kek)}-wrap`;
    try {
      const d = createDecipheriv(name, kek, KW_IV, bare({}));
      return Buffer.concat([d.update(wrapped), d.final()]);
    } catch {
      return undefined;
    }
  },

  async rsaOaepEncrypt(hash: JweHash, publicKey: KeyHandle, data: Uint8Array): Promise<Uint8Array> {
    const key = publicOf(publicKey);
    return publicEncrypt(bare({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: hash }), data);
  },

  async rsaOaepDecrypt(hash: JweHash, privateKey: KeyHandle, data: Uint8Array): Promise<Uint8Array | undefined> {
    try {
      const key = privateKey.native as KeyObject;
      return privateDecrypt(bare({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: hash }), data);
    } catch {
      return undefined;
    }
  },

  async rsaPkcs1Encrypt(publicKey: KeyHandle, data: Uint8Array): Promise<Uint8Array> {
    return publicEncrypt(bare({ key: publicOf(publicKey), padding: constants.RSA_PKCS1_PADDING }), data);
  },

  async generateEphemeralKey(crv: string): Promise<{ handle: KeyHandle; x: string; y?: string }> {
    const privateKey = await generate(crv);
    const publicKey = createPublicKey(privateKey);
    const jwk = publicKey.export(bare({ format: 'jwk' as const }));
    const handle: KeyHandle = bare({ native: privateKey, publicNative: publicKey });
    return jwk.y === undefined ? { handle, x: jwk.x! } : { handle, x: jwk.x!, y: jwk.y };
  },

  ecdhPublicKey(jwk: JwkMembers): KeyHandle {
    // node's JWK import checks the point itself (on its curve, and OpenSSL's full public-key check) and makes the
    // KeyObject, nothing more: no description, no Key.
    try {
      return bare({ native: createPublicKey(bare({ key: bare(jwk) as JsonWebKey, format: 'jwk' as const })) });
    } catch (cause) {
      throw err('ERR_JWK_INVALID', 'the JWK does not describe a valid key', cause);
    }
  },

  async ecdh(crv: string, privateKey: KeyHandle, publicKey: KeyHandle): Promise<Uint8Array | undefined> {
    let z: Buffer;
    try {
      z = diffieHellman(bare({ privateKey: privateKey.native as KeyObject, publicKey: publicOf(publicKey) }));
    } catch {
      return undefined;
    }
    // X25519/X448: all zeros means a small-order peer point (RFC 7748 section 6). A P-curve x-coordinate of 0
    // is a legitimate shared secret.
    return NAMED_CURVES[crv] === undefined && isAllZero(z) ? undefined : z;
  },

  pbkdf2(hash: HashName, password: Uint8Array, salt: Uint8Array, iterations: number, length: number) {
    return new Promise<Uint8Array>((resolve, reject) => {
      nodePbkdf2(password, salt, iterations, length, hash, (e, dk) => {
        if (e) reject(err('ERR_KEY_INVALID', 'key derivation failed', e));
        else resolve(dk);
      });
    });
  },
});
