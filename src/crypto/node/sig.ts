import {
  constants,
  createHmac,
  sign as nodeSign,
  verify as nodeVerify,
  timingSafeEqual as nodeTimingSafeEqual,
  type KeyObject,
  type SignKeyObjectInput,
  type VerifyKeyObjectInput,
} from 'node:crypto';
import type { JwsAlgorithm } from '../../alg/jws.js';
import { err } from '../../errors.js';
import type { KeyHandle, SigBackend, SignsToText } from '../backend.js';
import { mlDsaSign, mlDsaSignSync, mlDsaVerify, mlDsaVerifySync } from '../ml-dsa.js';
import { b64uFromBytes } from './bytes.js';

type Data = Uint8Array | string;

/**
 * The MAC. `digest()` would have node build the Buffer on the native side, which costs more than the HMAC of a
 * token; a binary (latin1) string, one char per byte, copied into a pooled Buffer costs a fraction of that.
 */
function hmac(alg: JwsAlgorithm, key: KeyHandle, data: Data): Buffer {
  return Buffer.from(
    createHmac(alg.hash, key.native as KeyObject)
      .update(data)
      .digest('binary'),
    'latin1',
  );
}

type KeyInput = SignKeyObjectInput & VerifyKeyObjectInput;

/** A key input with no prototype (A38: node reads its members through the chain) that keeps fast properties. */
function input(members: KeyInput): KeyInput {
  return Object.freeze(Object.setPrototypeOf(members, null) as KeyInput);
}

/** The input node's sign/verify take, made once per key object and algorithm family (key objects prepared once). */
const keyInputs = new WeakMap<KeyObject, Partial<Record<JwsAlgorithm['family'], KeyInput>>>();

function keyInput(alg: JwsAlgorithm, keyObject: KeyObject): KeyInput {
  let byFamily = keyInputs.get(keyObject);
  if (byFamily === undefined) {
    byFamily = Object.create(null) as Partial<Record<JwsAlgorithm['family'], KeyInput>>;
    keyInputs.set(keyObject, byFamily);
  }
  let made = byFamily[alg.family];
  if (made === undefined) {
    switch (alg.family) {
      case 'rsa-pss':
        made = input({
          key: keyObject,
          padding: constants.RSA_PKCS1_PSS_PADDING,
          saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
        });
        break;
      case 'ecdsa':
        made = input({ key: keyObject, dsaEncoding: 'ieee-p1363' });
        break;
      default:
        // Not the KeyObject itself: node would read `padding` and `dsaEncoding` from it, through Object.prototype.
        made = input({ key: keyObject });
    }
    byFamily[alg.family] = made;
  }
  return made;
}

const digestOf = (alg: JwsAlgorithm): string | null => (alg.family === 'eddsa' ? null : alg.hash);
const asBytes = (data: Data): Uint8Array => (typeof data === 'string' ? Buffer.from(data, 'latin1') : data);

function publicOf(h: KeyHandle): KeyObject {
  return (h.publicNative ?? h.native) as KeyObject;
}

/** node:crypto backend: synchronous where node allows; asymmetric async work runs on the thread pool. */
export const sig: SigBackend & SignsToText = Object.freeze({
  name: 'node' as const,
  sync: true,

  signSync(alg: JwsAlgorithm, key: KeyHandle, data: Data): Uint8Array {
    if (alg.family === 'hmac') return hmac(alg, key, data);
    if (alg.family === 'ml-dsa') return mlDsaSignSync(alg, key, data);
    try {
      return nodeSign(digestOf(alg), asBytes(data), keyInput(alg, key.native as KeyObject));
    } catch (cause) {
      throw err('ERR_KEY_INVALID', 'signing failed', cause);
    }
  },

  signSyncB64u(alg: JwsAlgorithm, key: KeyHandle, data: Data): string {
    if (alg.family === 'hmac') {
      return createHmac(alg.hash, key.native as KeyObject)
        .update(data)
        .digest('base64url');
    }
    return b64uFromBytes(sig.signSync(alg, key, data));
  },

  sign(alg: JwsAlgorithm, key: KeyHandle, data: Data): Promise<Uint8Array> {
    if (alg.family === 'hmac') return Promise.resolve(hmac(alg, key, data));
    if (alg.family === 'ml-dsa') return mlDsaSign(alg, key, data);
    return new Promise((resolve, reject) => {
      nodeSign(digestOf(alg), asBytes(data), keyInput(alg, key.native as KeyObject), (e, sig) => {
        if (e) reject(err('ERR_KEY_INVALID', 'signing failed', e));
        else resolve(sig);
      });
    });
  },

  verifySync(alg: JwsAlgorithm, key: KeyHandle, data: Data, signature: Uint8Array): boolean {
    if (alg.family === 'hmac') {
      const mac = hmac(alg, key, data);
      return mac.byteLength === signature.byteLength && nodeTimingSafeEqual(mac, signature);
    }
    if (alg.family === 'ml-dsa') return mlDsaVerifySync(alg, key, data, signature);
    try {
      return nodeVerify(digestOf(alg), asBytes(data), keyInput(alg, publicOf(key)), signature);
    } catch {
      return false;
    }
  },

  verify(alg: JwsAlgorithm, key: KeyHandle, data: Data, signature: Uint8Array): Promise<boolean> {
    if (alg.family === 'hmac') return Promise.resolve(sig.verifySync(alg, key, data, signature));
    if (alg.family === 'ml-dsa') return mlDsaVerify(alg, key, data, signature);
    return new Promise((resolve) => {
      try {
        nodeVerify(digestOf(alg), asBytes(data), keyInput(alg, publicOf(key)), signature, (e, ok) => {
          resolve(!e && ok);
        });
      } catch {
        resolve(false);
      }
    });
  },
});
