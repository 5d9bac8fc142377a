import type { JwsAlgorithm } from '../alg/jws.js';
import { sig as backend } from '#crypto/sig';
import { err, JotError } from '../errors.js';
import { type Key, keyHandle } from '../key/key.js';
import { checkVerifyKey, type JwsPolicy, signatureShapeOk } from './policy.js';

// The one place where a JWS signature meets the backend on the verifying side: the structural check first (exact
// length, ECDSA 0 < r, s < n), then the primitive. The JWT layer reaches the backend only through here.

const badSignature = () => err('ERR_JWS_SIGNATURE_VERIFICATION_FAILED', 'signature verification failed');

const verdict = (ok: boolean): void => {
  if (!ok) throw badSignature();
};

/** Does the active backend verify synchronously (node:crypto does, WebCrypto does not)? @internal */
export function verifiesSync(): boolean {
  return backend.sync;
}

/** Verify a signature, or throw `ERR_JWS_SIGNATURE_VERIFICATION_FAILED`: the backend's promise and one step. @internal */
export function verifySignature(
  alg: JwsAlgorithm,
  key: Key,
  input: string | Uint8Array,
  sig: Uint8Array,
): Promise<void> {
  if (!signatureShapeOk(alg, key, sig)) return Promise.reject(badSignature());
  return backend.verify(alg, keyHandle(key), input, sig).then(verdict);
}

/** {@link verifySignature}, synchronously (check {@link verifiesSync} first). @internal */
export function verifySignatureSync(alg: JwsAlgorithm, key: Key, input: string | Uint8Array, sig: Uint8Array): void {
  if (!signatureShapeOk(alg, key, sig) || !backend.verifySync(alg, keyHandle(key), input, sig)) throw badSignature();
}

const FAILED = 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED';
const noKey = () => err('ERR_JWKS_NO_MATCHING_KEY', 'no key for this token');

/**
 * The first of a resolver's candidates (each checked for the algorithm when its turn comes) whose signature verifies;
 * when none does, the last one's failure. A key set offers several keys only for a token without `kid`. @internal
 */
export async function verifyWithFirst(
  alg: JwsAlgorithm,
  candidates: readonly unknown[],
  policy: JwsPolicy,
  input: string | Uint8Array,
  sig: Uint8Array,
): Promise<Key> {
  const last = candidates.length - 1;
  if (last < 0) throw noKey();
  for (let i = 0; i < last; i++) {
    const key = checkVerifyKey(candidates[i], alg, policy);
    try {
      await verifySignature(alg, key, input, sig);
      return key;
    } catch (e) {
      if (!(e instanceof JotError && e.code === FAILED)) throw e;
    }
  }
  const key = checkVerifyKey(candidates[last], alg, policy);
  await verifySignature(alg, key, input, sig);
  return key;
}

/** {@link verifyWithFirst}, synchronously. @internal */
export function verifyWithFirstSync(
  alg: JwsAlgorithm,
  candidates: readonly unknown[],
  policy: JwsPolicy,
  input: string | Uint8Array,
  sig: Uint8Array,
): Key {
  const last = candidates.length - 1;
  if (last < 0) throw noKey();
  for (let i = 0; i < last; i++) {
    const key = checkVerifyKey(candidates[i], alg, policy);
    try {
      verifySignatureSync(alg, key, input, sig);
      return key;
    } catch (e) {
      if (!(e instanceof JotError && e.code === FAILED)) throw e;
    }
  }
  const key = checkVerifyKey(candidates[last], alg, policy);
  verifySignatureSync(alg, key, input, sig);
  return key;
}
