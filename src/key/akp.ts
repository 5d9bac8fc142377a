import { b64FromBytes, bytesFromB64 } from '#crypto/bytes';
import { findMlDsaParameters, type MlDsaParameters } from '../alg/ml-dsa.js';
import {
  markConsistent,
  mlDsaPkcs8,
  mlDsaReady,
  mlDsaSpki,
  parseMlDsaDer,
  preloadMlDsa,
  sameBytes,
  withMlDsa,
} from '../crypto/ml-dsa.js';
import { b64uDecode, b64uEncode } from '../encoding/base64url.js';
import { own } from '../encoding/json.js';
import { err } from '../errors.js';
import { bare } from '../encoding/null-prototype.js';
import {
  type AkpMaterial,
  KEY_CONSTRUCTION,
  Key,
  type KeyHandle,
  type KeyOperation,
  type KeyUse,
  keyHandle,
} from './key.js';
import type { JWK } from './jwk.js';
import { assertUsage } from './policy.js';

/**
 * `AKP` keys (RFC 9964): an ML-DSA public key (`pub`) and, for a private key, its 32-byte seed (`priv`). The key
 * type alone does not say the algorithm, so an `AKP` key always carries `alg`, its one parameter set, and is bound
 * to it: a 44 key never verifies a 65 token.
 */

/** Members an AKP JWK may hold besides its own (`kty`, `alg`, `pub`, `priv`): metadata only. */
const FOREIGN = ['crv', 'x', 'y', 'd', 'n', 'e', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k', 'seed'] as const;

/** Is `v` a JWK object of key type `AKP`? */
export function isAkpJwk(v: unknown): v is JWK {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && own(v, 'kty') === 'AKP';
}

export interface AkpOptions {
  alg?: string | undefined;
  kid?: string | undefined;
  use?: KeyUse | undefined;
  keyOps?: KeyOperation[] | undefined;
}

function params(alg: unknown, code: 'ERR_JWK_INVALID' | 'ERR_KEY_INVALID'): MlDsaParameters {
  if (alg === undefined) throw err(code, 'an AKP key needs "alg" (its ML-DSA parameter set)');
  if (typeof alg !== 'string') throw err(code, 'JWK "alg" must be a string');
  const p = findMlDsaParameters(alg);
  if (p === undefined) throw err('ERR_JOSE_NOT_SUPPORTED', 'unsupported AKP algorithm');
  return p;
}

/** Build the Key: bound to its parameter set; a private key's `pub` must be the one its seed gives. */
export function makeAkpKey(
  p: MlDsaParameters,
  pub: Uint8Array | undefined,
  seed: Uint8Array | undefined,
  o: AkpOptions,
): Key {
  if (o.alg !== undefined && o.alg !== p.alg) {
    throw err('ERR_KEY_INVALID', `an ${p.alg} key cannot be used with another algorithm`);
  }
  if (seed !== undefined && seed.byteLength !== p.seedBytes) throw err('ERR_KEY_INVALID', 'an ML-DSA seed is 32 bytes');
  if (pub !== undefined && pub.byteLength !== p.publicKeyBytes) {
    throw err('ERR_KEY_INVALID', `an ${p.alg} public key is ${p.publicKeyBytes} bytes`);
  }
  let publicKey = pub;
  let checked = false;
  if (seed !== undefined && (pub === undefined || mlDsaReady())) {
    const derived = withMlDsa((m) => m.publicFromSeed(p, seed), 'ML-DSA key derivation failed');
    if (pub !== undefined && !sameBytes(derived, pub)) {
      throw err('ERR_KEY_INVALID', 'the AKP "pub" does not belong to its "priv"');
    }
    publicKey = derived;
    checked = true;
  } else {
    // Verification needs the provider (async paths wait for it). A private key imported synchronously before the
    // provider was loaded has its pub checked against the seed before its first signature.
    preloadMlDsa();
  }
  if (publicKey === undefined) throw err('ERR_KEY_INVALID', 'an AKP key needs "pub"');
  const material: AkpMaterial = Object.freeze(
    bare({ alg: p.alg, pub: new Uint8Array(publicKey), ...(seed !== undefined ? { seed: new Uint8Array(seed) } : {}) }),
  );
  if (checked) markConsistent(material);
  // No runtime key object stands behind an AKP key: a path that reaches for one fails closed.
  const handle = Object.create(null, {
    akp: { value: material, enumerable: true },
    native: {
      get(): never {
        throw err('ERR_KEY_INVALID', 'an ML-DSA key serves only ML-DSA algorithms');
      },
    },
  }) as KeyHandle;
  if (o.use === 'enc') throw err('ERR_KEY_INVALID', `the key's "use" forbids signatures`);
  const key = new Key(
    { kty: 'AKP', alg: p.alg, kid: o.kid, use: o.use, keyOps: o.keyOps, isPrivate: seed !== undefined },
    handle,
    KEY_CONSTRUCTION,
  );
  if (o.keyOps !== undefined) {
    if (!o.keyOps.every((op) => op === 'sign' || op === 'verify')) {
      throw err('ERR_KEY_INVALID', `the key's "key_ops" name operations an ML-DSA key cannot do`);
    }
    assertUsage(key, 'sig', o.keyOps[0]!);
  }
  return key;
}

/** Import an `AKP` JWK strictly: `alg` required and an ML-DSA one, `pub` and `priv` of their exact lengths. */
export function importAkpJwk(jwk: JWK, meta: AkpOptions, options: AkpOptions): Key {
  const p = params(own(jwk, 'alg'), 'ERR_JWK_INVALID');
  if (options.alg !== undefined && options.alg !== p.alg) {
    throw err('ERR_INVALID_OPTION', 'options.alg contradicts the JWK "alg"');
  }
  for (const m of FOREIGN) {
    if (own(jwk, m) !== undefined) throw err('ERR_JWK_INVALID', `JWK member "${m}" does not belong to an AKP key`);
  }
  const pubText = own(jwk, 'pub');
  if (typeof pubText !== 'string') throw err('ERR_JWK_INVALID', 'JWK member "pub" must be a string');
  const pub = b64uDecode(pubText, 'ERR_JWK_INVALID', 'JWK member "pub"');
  if (pub.byteLength !== p.publicKeyBytes) {
    throw err('ERR_JWK_INVALID', `JWK "pub" of ${p.alg} must be ${p.publicKeyBytes} bytes`);
  }
  const privText = own(jwk, 'priv');
  let seed: Uint8Array | undefined;
  if (privText !== undefined) {
    if (typeof privText !== 'string') throw err('ERR_JWK_INVALID', 'JWK member "priv" must be a string');
    seed = b64uDecode(privText, 'ERR_JWK_INVALID', 'JWK member "priv"');
    if (seed.byteLength !== p.seedBytes) throw err('ERR_JWK_INVALID', 'JWK "priv" must be the 32-byte ML-DSA seed');
  }
  if (options.use !== undefined && meta.use !== undefined && options.use !== meta.use) {
    throw err('ERR_INVALID_OPTION', 'options.use contradicts the JWK "use"');
  }
  return makeAkpKey(p, pub, seed, {
    alg: p.alg,
    kid: options.kid ?? meta.kid,
    use: meta.use ?? options.use,
    keyOps: meta.keyOps,
  });
}

const PEM_BODY = /^-----BEGIN (PUBLIC KEY|PRIVATE KEY)-----\r?\n([A-Za-z0-9+/=\r\n]+)-----END \1-----\r?\n?$/;

/** An ML-DSA key in SPKI or seed-only PKCS#8 PEM; undefined when the PEM holds another kind of key. */
export function akpFromPem(text: string, options: AkpOptions): Key | undefined {
  const m = PEM_BODY.exec(text.replace(/^\s+/, ''));
  if (m === null) return undefined;
  return akpFromDer(bytesFromB64(m[2]!.replace(/[\r\n]/g, '')), m[1] === 'PUBLIC KEY' ? 'spki' : 'pkcs8', options);
}

/** An ML-DSA key in SPKI or PKCS#8 DER; undefined when the DER holds another kind of key. */
export function akpFromDer(der: Uint8Array, kind: 'spki' | 'pkcs8', options: AkpOptions): Key | undefined {
  const parsed = parseMlDsaDer(der, kind);
  if (parsed === undefined) return undefined;
  return makeAkpKey(parsed.p, parsed.pub, parsed.seed, options);
}

function material(key: Key): AkpMaterial {
  const m = keyHandle(key).akp;
  if (m === undefined) throw err('ERR_KEY_INVALID', 'not an AKP key');
  return m;
}

/** The JWK of an AKP key: `kty`, `alg`, `pub` and, with `includePrivate`, `priv`. */
export function exportAkpJwk(key: Key, includePrivate: boolean): JWK {
  const m = material(key);
  const jwk: JWK = { kty: 'AKP', alg: m.alg, pub: b64uEncode(m.pub) };
  if (includePrivate && m.seed !== undefined) jwk.priv = b64uEncode(m.seed);
  return jwk;
}

const pem = (label: string, der: Uint8Array): string =>
  `-----BEGIN ${label}-----\n${(b64FromBytes(der).match(/.{1,64}/g) ?? []).join('\n')}\n-----END ${label}-----\n`;

/** SPKI PEM of a public AKP key, seed-only PKCS#8 PEM of a private one. */
export function exportAkpPem(key: Key): string {
  const m = material(key);
  const p = findMlDsaParameters(m.alg)!;
  return m.seed !== undefined ? pem('PRIVATE KEY', mlDsaPkcs8(p, m.seed)) : pem('PUBLIC KEY', mlDsaSpki(p, m.pub));
}
