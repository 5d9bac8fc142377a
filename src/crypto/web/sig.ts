import type { JwsAlgorithm } from '../../alg/jws.js';
import { err } from '../../errors.js';
import type { KeyHandle, SigBackend } from '../backend.js';
import { mlDsaSign, mlDsaVerify } from '../ml-dsa.js';
import { latin1Bytes } from './bytes.js';
import { OKP_CURVES } from './der-keys.js';
import { cryptoKey, platformError, subtle, type WebKey } from './keys.js';

// JWS signatures and MACs over WebCrypto (`#crypto/sig`, web). Asynchronous only: the `*Sync` operations throw
// ERR_JOSE_NOT_SUPPORTED. An algorithm the runtime lacks (secp256k1, Ed448 in some) is refused by WebCrypto when the
// key is made, which is ERR_JOSE_NOT_SUPPORTED: a feature test at run time, never a runtime name or version.

type Data = Uint8Array | string;

/** WebCrypto's name of a SHA-2 hash. */
export const SHA: Readonly<Record<string, string>> = Object.freeze({
  sha1: 'SHA-1',
  sha256: 'SHA-256',
  sha384: 'SHA-384',
  sha512: 'SHA-512',
});

interface Spec {
  /** How the key is imported. */
  readonly key: Algorithm & Record<string, unknown>;
  /** The parameters of sign and verify. */
  readonly op: Algorithm & Record<string, unknown>;
  /** The cache name of the WebCrypto key. */
  readonly id: string;
}

function spec(alg: JwsAlgorithm, k: WebKey): Spec {
  const hash = SHA[alg.hash]!;
  switch (alg.family) {
    case 'hmac':
      return { key: { name: 'HMAC', hash }, op: { name: 'HMAC' }, id: `HMAC-${hash}` };
    case 'rsa-pkcs1':
      return { key: { name: 'RSASSA-PKCS1-v1_5', hash }, op: { name: 'RSASSA-PKCS1-v1_5' }, id: `RS-${hash}` };
    case 'rsa-pss': {
      const saltLength = Number(hash.slice(4)) / 8;
      return { key: { name: 'RSA-PSS', hash }, op: { name: 'RSA-PSS', saltLength }, id: `PS-${hash}` };
    }
    case 'ecdsa':
      return { key: { name: 'ECDSA', namedCurve: k.jwk.crv! }, op: { name: 'ECDSA', hash }, id: `ES-${hash}` };
    default: {
      const name = OKP_CURVES[k.type] ?? k.type;
      return { key: { name }, op: { name }, id: name };
    }
  }
}

const bytes = (data: Data): BufferSource => (typeof data === 'string' ? latin1Bytes(data) : data) as BufferSource;
const noSync = () => err('ERR_JOSE_NOT_SUPPORTED', 'WebCrypto is asynchronous: use the async form (sign, verify)');

/** WebCrypto signatures. */
export const sig: SigBackend = Object.freeze({
  name: 'web' as const,
  sync: false,

  async sign(alg: JwsAlgorithm, key: KeyHandle, data: Data): Promise<Uint8Array> {
    if (alg.family === 'ml-dsa') return mlDsaSign(alg, key, data);
    const k = key.native as WebKey;
    const s = spec(alg, k);
    const ck = await cryptoKey(k, s.key, 'sign', s.id);
    try {
      return new Uint8Array(await subtle().sign(s.op, ck, bytes(data)));
    } catch (cause) {
      throw platformError(cause, 'ERR_KEY_INVALID', 'signing');
    }
  },

  async verify(alg: JwsAlgorithm, key: KeyHandle, data: Data, signature: Uint8Array): Promise<boolean> {
    if (alg.family === 'ml-dsa') return mlDsaVerify(alg, key, data, signature);
    const k = (key.publicNative ?? key.native) as WebKey;
    const s = spec(alg, k);
    const ck = await cryptoKey(k, s.key, 'verify', s.id);
    try {
      return await subtle().verify(s.op, ck, signature as BufferSource, bytes(data));
    } catch {
      return false;
    }
  },

  signSync(): never {
    throw noSync();
  },

  verifySync(): never {
    throw noSync();
  },
});
