import type { GenerateBackend, GeneratedPair, JwkMembers } from '../backend.js';
import { describeJwk, platformError, subtle } from './keys.js';

// Key generation over WebCrypto (`#crypto/generate`, web): generated extractable, exported as JWKs, and held like
// imported keys. A curve the runtime lacks is ERR_JOSE_NOT_SUPPORTED.

function members(jwk: JsonWebKey, isPrivate: boolean): JwkMembers {
  const out: JwkMembers = { kty: jwk.kty ?? '' };
  const names = isPrivate ? ['crv', 'x', 'y', 'n', 'e', 'd', 'p', 'q', 'dp', 'dq', 'qi'] : ['crv', 'x', 'y', 'n', 'e'];
  for (const m of names) {
    const v = (jwk as Record<string, unknown>)[m];
    if (typeof v === 'string') out[m] = v;
  }
  return out;
}

async function generate(algorithm: Algorithm & Record<string, unknown>, usages: KeyUsage[]): Promise<GeneratedPair> {
  try {
    const pair = (await subtle().generateKey(algorithm, true, usages)) as CryptoKeyPair;
    const [priv, pub] = await Promise.all([
      subtle().exportKey('jwk', pair.privateKey),
      subtle().exportKey('jwk', pair.publicKey),
    ]);
    return {
      privateKey: describeJwk(members(priv, true), 'private'),
      publicKey: describeJwk(members(pub, false), 'public'),
    };
  } catch (cause) {
    throw platformError(cause, 'ERR_KEY_INVALID', `${algorithm.name} key generation`);
  }
}

export const generator: GenerateBackend = Object.freeze({
  rsa(modulusLength: number): Promise<GeneratedPair> {
    const publicExponent = new Uint8Array([1, 0, 1]);
    return generate({ name: 'RSA-PSS', modulusLength, publicExponent, hash: 'SHA-256' }, ['sign', 'verify']);
  },
  curve(crv: string): Promise<GeneratedPair> {
    if (crv === 'X25519' || crv === 'X448') return generate({ name: crv }, ['deriveBits']);
    if (crv === 'Ed25519' || crv === 'Ed448') return generate({ name: crv }, ['sign', 'verify']);
    return generate({ name: 'ECDSA', namedCurve: crv }, ['sign', 'verify']);
  },
});
