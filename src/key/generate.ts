import { digest } from '#crypto/digest';
import { generator } from '#crypto/generate';
import { keys } from '#crypto/keys';
import type { GeneratedPair } from '../crypto/backend.js';
import { findContentEncryptionAlgorithm, findKeyManagementAlgorithm } from '../alg/jwe.js';
import { findJwsAlgorithm } from '../alg/jws.js';
import { own } from '../encoding/json.js';
import { err } from '../errors.js';
import { findMlDsaParameters } from '../alg/ml-dsa.js';
import { deriveAhead } from '../crypto/ml-dsa.js';
import { callerError } from '../options.js';
import { makeAkpKey } from './akp.js';
import { importDescribed, importKeySync } from './import.js';
import { type Key, keyHandle } from './key.js';
import { isKeyText } from './key-text.js';

/** Options of {@link generateKeyPair}. */
export interface GenerateKeyPairOptions {
  /** Curve: `Ed25519`/`Ed448` for EdDSA; `P-256`/`P-384`/`P-521`/`X25519`/`X448` for ECDH-ES. */
  crv?: string;
  /** RSA modulus length in bits (2048 to 16384, default 2048). */
  modulusLength?: number;
  /** The `kid` of both keys (carried into their JWKs and matched by key sets). */
  kid?: string;
}

/** The implementation of `generateKeyPair` (src/key/api.ts), loaded on its first call. @internal */
export async function generateKeyPair(
  alg: string,
  options: GenerateKeyPairOptions = {},
): Promise<{ privateKey: Key; publicKey: Key }> {
  try {
    const crvOpt = own<string>(options, 'crv');
    const modulusLength = own<number>(options, 'modulusLength') ?? 2048;
    const kid = own<string>(options, 'kid');
    if (!Number.isSafeInteger(modulusLength) || modulusLength < 2048 || modulusLength > 16384) {
      throw err('ERR_INVALID_OPTION', 'modulusLength must be an integer from 2048 to 16384');
    }
    let pair: GeneratedPair;
    const jws = findJwsAlgorithm(alg);
    const km = findKeyManagementAlgorithm(alg);
    const family = jws?.family ?? km?.family;
    switch (family) {
      case 'rsa-pkcs1':
      case 'rsa-pss':
      case 'rsa-oaep':
      case 'rsa1_5':
        pair = await generator.rsa(modulusLength);
        break;
      case 'ecdsa': {
        const crv = jws!.curves[0]!;
        if (crvOpt !== undefined && crvOpt !== crv) throw err('ERR_INVALID_OPTION', `${alg} uses ${crv}`);
        pair = await generator.curve(crv);
        break;
      }
      case 'eddsa': {
        const crv = crvOpt ?? jws!.curves[0]!;
        if (!jws!.curves.includes(crv)) throw err('ERR_INVALID_OPTION', `${alg} does not use curve ${crv}`);
        pair = await generator.curve(crv);
        break;
      }
      case 'ecdh-es':
      case 'ecdh-es-kw': {
        const crv = crvOpt ?? 'P-256';
        if (!['P-256', 'P-384', 'P-521', 'X25519', 'X448'].includes(crv)) {
          throw err('ERR_INVALID_OPTION', `ECDH-ES does not use curve ${crv}`);
        }
        pair = await generator.curve(crv);
        break;
      }
      case 'ml-dsa': {
        // A fresh 32-byte seed is the private key (FIPS 204 ML-DSA.KeyGen); loading the provider here lets the
        // sync API sign and verify with the pair afterwards.
        if (crvOpt !== undefined) throw err('ERR_INVALID_OPTION', `${alg} has no curve`);
        const p = findMlDsaParameters(alg)!;
        const seed = digest.randomBytes(p.seedBytes);
        // Loads the provider; with WebCrypto's (asynchronous), derives the public key here.
        const ahead = await deriveAhead(p, seed);
        const privateKey = makeAkpKey(p, undefined, seed, { alg, kid }, ahead);
        const pub = keyHandle(privateKey).akp!.pub;
        return { privateKey, publicKey: makeAkpKey(p, pub, undefined, { alg, kid }) };
      }
      default:
        throw err('ERR_JOSE_NOT_SUPPORTED', 'no key pair exists for this algorithm');
    }
    const o = kid === undefined ? { alg } : { alg, kid };
    const privateKey = importDescribed(pair.privateKey, o);
    const publicKey = importDescribed(pair.publicKey, o);
    await keys.settle?.(keyHandle(privateKey));
    return { privateKey, publicKey };
  } catch (e) {
    throw callerError(e);
  }
}

/** Random bytes that import as a secret: a draw that happens to parse as key text (p < 2^-30) is drawn again. */
function randomSecret(n: number): Uint8Array {
  for (;;) {
    const b = digest.randomBytes(n);
    if (!isKeyText(b)) return b;
  }
}

/** The implementation of `generateSecret` (src/key/api.ts), loaded on its first call. @internal */
export async function generateSecret(alg: string): Promise<Key> {
  try {
    const jws = findJwsAlgorithm(alg);
    if (jws?.family === 'hmac') return importKeySync(randomSecret(jws.minKeySize), { alg });
    const km = findKeyManagementAlgorithm(alg);
    if (km?.kwBytes !== undefined && km.family !== 'pbes2' && km.kty === 'oct') {
      return importKeySync(randomSecret(km.kwBytes), { alg });
    }
    const enc = findContentEncryptionAlgorithm(alg);
    if (enc !== undefined) return importKeySync(randomSecret(enc.keyBytes), { alg: 'dir' });
    throw err('ERR_JOSE_NOT_SUPPORTED', 'no secret key exists for this algorithm');
  } catch (e) {
    throw callerError(e);
  }
}
