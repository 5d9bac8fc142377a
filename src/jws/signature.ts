import type { JwsAlgorithm } from '../alg/jws.js';
import { backend } from '../crypto/active.js';
import { err } from '../errors.js';
import type { Key } from '../key/key.js';
import { signatureShapeOk } from './policy.js';

// The one place where a JWS signature meets the backend on the verifying side: the structural check first (exact
// length, ECDSA 0 < r, s < n), then the primitive. The JWT layer reaches the backend only through here.

const badSignature = () => err('ERR_JWS_SIGNATURE_VERIFICATION_FAILED', 'signature verification failed');

const verdict = (ok: boolean): void => {
  if (!ok) throw badSignature();
};

/** Does the active backend verify synchronously (node:crypto does, WebCrypto does not)? @internal */
export function verifiesSync(): boolean {
  return backend().sync;
}

/** Verify a signature, or throw `ERR_JWS_SIGNATURE_VERIFICATION_FAILED`: the backend's promise and one step. @internal */
export function verifySignature(
  alg: JwsAlgorithm,
  key: Key,
  input: string | Uint8Array,
  sig: Uint8Array,
): Promise<void> {
  if (!signatureShapeOk(alg, key, sig)) return Promise.reject(badSignature());
  return backend().verify(alg, key, input, sig).then(verdict);
}

/** {@link verifySignature}, synchronously (check {@link verifiesSync} first). @internal */
export function verifySignatureSync(alg: JwsAlgorithm, key: Key, input: string | Uint8Array, sig: Uint8Array): void {
  if (!signatureShapeOk(alg, key, sig) || !backend().verifySync(alg, key, input, sig)) throw badSignature();
}
