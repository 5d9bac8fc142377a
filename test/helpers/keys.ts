// Keys of the tests: one pair per algorithm (generated once per test file), the fixed HS256 secret, JWE pairs.
import { CONTENT_ENCRYPTION_ALGORITHMS, KEY_MANAGEMENT_ALGORITHMS } from '../../src/alg/jwe.js';
import { findJwsAlgorithm } from '../../src/alg/jws.js';
import { generateKeyPair, generateSecret, importKey, type Key } from '../../src/key/index.js';
import { utf8 } from './encoding.js';

/** Every JWS algorithm jot signs with. */
export const JWS_ALGS = [
  'HS256',
  'HS384',
  'HS512',
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'ES256K',
  'EdDSA',
  'Ed25519',
  'Ed448',
] as const;
export type JwsAlg = (typeof JWS_ALGS)[number];

/** Every JWE key management and content encryption algorithm. */
export const KM_NAMES = Object.keys(KEY_MANAGEMENT_ALGORITHMS);
export const ENC_NAMES = Object.keys(CONTENT_ENCRYPTION_ALGORITHMS);

export const isHmac = (alg: string): boolean => findJwsAlgorithm(alg)?.family === 'hmac';

export interface KeyPair {
  privateKey: Key;
  publicKey: Key;
}

const pairs = new Map<string, Promise<KeyPair>>();

/** A JWS key pair (a secret as both halves for HS*) bound to `alg`, generated once per test file. */
export function keysFor(alg: string, crv?: string): Promise<KeyPair> {
  const id = `${alg}/${crv ?? ''}`;
  let p = pairs.get(id);
  if (p === undefined) {
    p = isHmac(alg)
      ? generateSecret(alg).then((k) => ({ privateKey: k, publicKey: k }))
      : generateKeyPair(alg, crv === undefined ? {} : { crv });
    pairs.set(id, p);
  }
  return p;
}

/** The 32-byte HS256 secret of the suites, known as bytes so raw tokens can be MACed with it. */
export const SECRET = utf8('jot-attack-suite-secret-32-bytes');
export const hsKey = (): Promise<Key> => importKey(SECRET, { alg: 'HS256' });

/** A (sender key, recipient key) pair for a JWE key management algorithm; `crv` for ECDH-ES. */
export async function jweKeysFor(alg: string, crv?: string): Promise<{ encryptKey: Key; decryptKey: Key }> {
  const km = KEY_MANAGEMENT_ALGORITHMS[alg]!;
  switch (km.family) {
    case 'rsa-oaep':
    case 'rsa1_5':
    case 'ecdh-es':
    case 'ecdh-es-kw': {
      const { privateKey, publicKey } = await generateKeyPair(alg, crv === undefined ? {} : { crv });
      return { encryptKey: publicKey, decryptKey: privateKey };
    }
    case 'pbes2': {
      const k = await importKey(utf8('correct horse battery staple'), { alg });
      return { encryptKey: k, decryptKey: k };
    }
    default: {
      const k = await generateSecret(alg);
      return { encryptKey: k, decryptKey: k };
    }
  }
}

/** A `dir` key for `enc`. */
export const dirKey = (enc: string): Promise<Key> => generateSecret(enc);

/**
 * Import a vector's JWK bound to `alg`. A JWK `alg` naming a content encryption algorithm (RFC 7520 5.6,
 * Wycheproof) describes a `dir` key: jot binds such keys to `dir`.
 */
export function importBound(jwk: Record<string, unknown>, alg: string): Promise<Key> {
  const { alg: _ignored, ...rest } = jwk;
  return importKey(rest as never, { alg });
}
