import { findEcdhCurve, type KeyManagementAlgorithm } from '../alg/jwe.js';
import { findJwsAlgorithm } from '../alg/jws.js';
import { err } from '../errors.js';
import { type Key, type KeyHandle, type KeyOperation, keyHandle } from './key.js';
import { assertBinding } from './policy.js';

/** RSA keys below this size are refused for RSA-OAEP and RSA1_5 (RFC 7518 section 4.2/4.3). */
const MIN_RSA_BITS = 2048;

type Op = 'encrypt' | 'decrypt';

/** `key_ops` that permit each side of a key management family (WebCrypto's usages included). */
function permittedOps(alg: KeyManagementAlgorithm, op: Op): readonly KeyOperation[] {
  switch (alg.family) {
    case 'dir':
      return op === 'encrypt' ? ['encrypt'] : ['decrypt'];
    case 'ecdh-es':
    case 'ecdh-es-kw':
    case 'pbes2':
      return ['deriveKey', 'deriveBits'];
    case 'rsa-oaep':
    case 'rsa1_5':
    case 'aes-kw':
    case 'aes-gcm-kw':
      return op === 'encrypt' ? ['wrapKey', 'encrypt'] : ['unwrapKey', 'decrypt'];
  }
}

function assertEncryptionUsage(key: Key, alg: KeyManagementAlgorithm, op: Op): void {
  if (key.use !== undefined && key.use !== 'enc') throw err('ERR_KEY_INVALID', `the key's "use" forbids encryption`);
  const ops = key.keyOps;
  if (ops !== undefined && !permittedOps(alg, op).some((o) => ops.includes(o))) {
    throw err('ERR_KEY_INVALID', `the key's "key_ops" forbid this operation`);
  }
}

/**
 * Can `key` serve key management algorithm `alg` on this side? The JWE analogue of `assertJwsKey`: binding
 * (checked on every operation), key type, curve, size, private-ness, `use` and `key_ops`. A key bound to a
 * signature algorithm never encrypts or decrypts (`ERR_KEY_INVALID`); a key bound to another JWE algorithm
 * is `ERR_JOSE_ALG_NOT_ALLOWED`. The `dir` key size is checked against `enc` by the caller.
 */
export function assertJweKey(key: unknown, alg: KeyManagementAlgorithm, op: Op): KeyHandle {
  const h = keyHandle(key);
  const k = key as Key;
  if (k.alg !== undefined && findJwsAlgorithm(k.alg) !== undefined) {
    throw err('ERR_KEY_INVALID', 'a key bound to a signature algorithm is never used for encryption');
  }
  assertBinding(k, alg.name);
  switch (alg.family) {
    case 'rsa-oaep':
    case 'rsa1_5':
      if (k.kty !== 'RSA' || h.rsaPss === true) {
        throw err('ERR_KEY_INVALID', `${alg.name} needs an RSA key (not RSA-PSS)`);
      }
      if ((h.modulusBits ?? 0) < MIN_RSA_BITS) throw err('ERR_KEY_INVALID', 'RSA keys must be 2048 bits or larger');
      if (op === 'decrypt' && !k.isPrivate) throw err('ERR_KEY_INVALID', 'decryption needs a private key');
      break;
    case 'aes-kw':
    case 'aes-gcm-kw':
      if (k.kty !== 'oct' || h.secret?.byteLength !== alg.kwBytes) {
        throw err('ERR_KEY_INVALID', `${alg.name} needs a secret of exactly ${alg.kwBytes} bytes`);
      }
      break;
    case 'dir':
    case 'pbes2':
      if (k.kty !== 'oct') throw err('ERR_KEY_INVALID', `${alg.name} needs a secret key`);
      break;
    case 'ecdh-es':
    case 'ecdh-es-kw': {
      const curve = findEcdhCurve(k.crv);
      if (curve === undefined || curve.kty !== k.kty) {
        throw err('ERR_KEY_INVALID', `${alg.name} needs an EC P-256/384/521 or X25519/X448 key`);
      }
      if (op === 'decrypt' && !k.isPrivate) throw err('ERR_KEY_INVALID', 'decryption needs a private key');
      break;
    }
  }
  assertEncryptionUsage(k, alg, op);
  return h;
}
