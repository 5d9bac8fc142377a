import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign as nodeSign,
  verify as nodeVerify,
  randomBytes,
} from 'node:crypto';
import type { MlDsaParameters } from '../../alg/ml-dsa.js';
import { bare } from '../../encoding/null-prototype.js';
import { err } from '../../errors.js';
import type { MlDsaProvider } from '../backend.js';
import { mlDsaPkcs8, mlDsaSpki, parseMlDsaDer } from '../ml-dsa-der.js';

// node:crypto's ML-DSA (`#crypto/ml-dsa`, node), where the runtime has it.

function nativePrivate(p: MlDsaParameters, seed: Uint8Array): KeyObject {
  return createPrivateKey(
    bare({ key: Buffer.from(mlDsaPkcs8(p, seed)), format: 'der' as const, type: 'pkcs8' as const }),
  );
}

function nativePublic(p: MlDsaParameters, pub: Uint8Array): KeyObject {
  return createPublicKey(bare({ key: Buffer.from(mlDsaSpki(p, pub)), format: 'der' as const, type: 'spki' as const }));
}

/** node:crypto keys made once per seed / public key. */
const nativeKeys = new WeakMap<Uint8Array, KeyObject>();

function cached(bytes: Uint8Array, make: () => KeyObject): KeyObject {
  let k = nativeKeys.get(bytes);
  if (k === undefined) {
    k = make();
    nativeKeys.set(bytes, k);
  }
  return k;
}

const nodeProvider: MlDsaProvider<true> = Object.freeze({
  name: 'node' as const,
  sync: true as const,
  publicFromSeed(p: MlDsaParameters, seed: Uint8Array): Uint8Array {
    const spki = createPublicKey(nativePrivate(p, seed)).export(
      bare({ format: 'der' as const, type: 'spki' as const }),
    );
    const parsed = parseMlDsaDer(new Uint8Array(spki), 'spki');
    if (parsed?.pub === undefined) throw err('ERR_KEY_INVALID', 'node:crypto returned an unexpected ML-DSA key');
    return parsed.pub;
  },
  sign(p: MlDsaParameters, seed: Uint8Array, _pub: Uint8Array, data: Uint8Array): Uint8Array {
    return new Uint8Array(
      nodeSign(
        null,
        data,
        cached(seed, () => nativePrivate(p, seed)),
      ),
    );
  },
  verify(p: MlDsaParameters, pub: Uint8Array, data: Uint8Array, signature: Uint8Array): boolean {
    try {
      return nodeVerify(
        null,
        data,
        cached(pub, () => nativePublic(p, pub)),
        signature,
      );
    } catch {
      return false;
    }
  },
});

/** Does node:crypto have ML-DSA? One real key generation and signature, never a version number. */
function probeNative(): boolean {
  try {
    const { privateKey, publicKey } = generateKeyPairSync('ml-dsa-44' as 'ed25519');
    const data = randomBytes(8);
    return nodeVerify(null, data, publicKey, nodeSign(null, data, privateKey));
  } catch {
    return false;
  }
}

/** node:crypto's ML-DSA provider when this node has ML-DSA (one real key generation and signature), else undefined. */
export function nativeMlDsa(): MlDsaProvider<true> | undefined {
  return probeNative() ? nodeProvider : undefined;
}

/**
 * No asynchronous provider on node: node:crypto's ML-DSA, probed synchronously above, is the same OpenSSL code its
 * WebCrypto would reach, and the sync API needs it synchronous.
 */
export function asyncNativeMlDsa(): Promise<MlDsaProvider<false> | undefined> {
  return Promise.resolve(undefined);
}
