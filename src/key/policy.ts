import type { JwsAlgorithm } from '../alg/jws.js';
import { err } from '../errors.js';
import { type Key, type KeyHandle, type KeyOperation, type KeyUse, keyHandle } from './key.js';

/**
 * A bound key is used only with its own algorithm. Checked on every operation, not only at import.
 * Throws `ERR_JOSE_ALG_NOT_ALLOWED`.
 */
export function assertBinding(key: Key, alg: string): void {
  if (key.alg !== undefined && key.alg !== alg) {
    throw err('ERR_JOSE_ALG_NOT_ALLOWED', 'the key is bound to another algorithm');
  }
}

/** `use` and `key_ops` must permit the operation. Throws `ERR_KEY_INVALID`. */
export function assertUsage(key: Key, use: KeyUse, op: KeyOperation): void {
  if (key.use !== undefined && key.use !== use) throw err('ERR_KEY_INVALID', `the key's "use" forbids this operation`);
  if (key.keyOps !== undefined && !key.keyOps.includes(op)) {
    throw err('ERR_KEY_INVALID', `the key's "key_ops" forbid this operation`);
  }
}

/**
 * Can `key` serve JWS algorithm `alg` for `op`? Binding, key type, curve, size, private-ness and usage.
 * Nothing is inferred from key text: the key's type was fixed at import.
 */
export function assertJwsKey(key: Key, alg: JwsAlgorithm, op: 'sign' | 'verify', checkUsage = true): KeyHandle {
  const h = keyHandle(key);
  assertBinding(key, alg.name);
  if (key.kty !== alg.kty) throw err('ERR_KEY_INVALID', `${alg.name} needs a key of type ${alg.kty}`);
  if (op === 'sign' && !key.isPrivate) throw err('ERR_KEY_INVALID', 'signing needs a private key');
  switch (alg.family) {
    case 'hmac':
      if ((h.secret?.byteLength ?? 0) < alg.minKeySize) {
        throw err('ERR_KEY_INVALID', `${alg.name} needs a secret of at least ${alg.minKeySize} bytes`);
      }
      break;
    case 'rsa-pkcs1':
    case 'rsa-pss':
      if ((h.modulusBits ?? 0) < alg.minKeySize) throw err('ERR_KEY_INVALID', 'RSA keys must be 2048 bits or larger');
      if (h.pssHash !== undefined && (alg.family !== 'rsa-pss' || h.pssHash !== alg.hash)) {
        throw err('ERR_KEY_INVALID', 'this RSA-PSS key is restricted to other parameters');
      }
      break;
    case 'ml-dsa':
      // An AKP key is always bound to its parameter set; the material must say the same.
      if (h.akp?.alg !== alg.name) throw err('ERR_KEY_INVALID', `${alg.name} needs an ${alg.name} key`);
      break;
    case 'ecdsa':
    case 'eddsa':
      if (key.crv === undefined || !alg.curves.includes(key.crv)) {
        throw err('ERR_KEY_INVALID', `${alg.name} does not take a key on this curve`);
      }
      break;
  }
  if (checkUsage) assertUsage(key, 'sig', op);
  return h;
}
