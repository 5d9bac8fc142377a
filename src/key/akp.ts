import { b64FromBytes, bytesFromB64 } from '#crypto/bytes';
import { digest } from '#crypto/digest';
import { findMlDsaParameters, type MlDsaParameters } from '../alg/ml-dsa.js';
import {
  type AkpDerived,
  deriveAhead,
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

/**
 * Build the Key: bound to its parameter set; a private key's `pub` must be the one its seed gives. `derived` is that
 * public key when an asynchronous provider (WebCrypto) derived it ahead ({@link akpDeriveAhead}); a synchronous
 * provider derives it here.
 */
export function makeAkpKey(
  p: MlDsaParameters,
  pub: Uint8Array | undefined,
  seed: Uint8Array | undefined,
  o: AkpOptions,
  ahead?: AkpDerived,
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
  // The seed derived ahead must be this very seed (the same material, parsed twice); compared in constant time.
  const early =
    seed !== undefined && ahead !== undefined && digest.timingSafeEqual(ahead.seed, seed) ? ahead.pub : undefined;
  if (seed !== undefined && (pub === undefined || early !== undefined || mlDsaReady())) {
    const derived = early ?? withMlDsa((m) => m.publicFromSeed(p, seed), 'ML-DSA key derivation failed');
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
export function importAkpJwk(jwk: JWK, meta: AkpOptions, options: AkpOptions, ahead?: AkpDerived): Key {
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
  return makeAkpKey(
    p,
    pub,
    seed,
    { alg: p.alg, kid: options.kid ?? meta.kid, use: meta.use ?? options.use, keyOps: meta.keyOps },
    ahead,
  );
}

const PEM_BODY = /^-----BEGIN (PUBLIC KEY|PRIVATE KEY)-----\r?\n([A-Za-z0-9+/=\r\n]+)-----END \1-----\r?\n?$/;

/** An ML-DSA key in SPKI or seed-only PKCS#8 PEM; undefined when the PEM holds another kind of key. */
export function akpFromPem(text: string, options: AkpOptions, ahead?: AkpDerived): Key | undefined {
  const der = pemDer(text);
  return der === undefined ? undefined : akpFromDer(der.der, der.kind, options, ahead);
}

function pemDer(text: string): { der: Uint8Array; kind: 'spki' | 'pkcs8' } | undefined {
  const m = PEM_BODY.exec(text.replace(/^\s+/, ''));
  if (m === null) return undefined;
  return { der: bytesFromB64(m[2]!.replace(/[\r\n]/g, '')), kind: m[1] === 'PUBLIC KEY' ? 'spki' : 'pkcs8' };
}

/** An ML-DSA key in SPKI or PKCS#8 DER; undefined when the DER holds another kind of key. */
export function akpFromDer(
  der: Uint8Array,
  kind: 'spki' | 'pkcs8',
  options: AkpOptions,
  ahead?: AkpDerived,
): Key | undefined {
  const parsed = parseMlDsaDer(der, kind);
  if (parsed === undefined) return undefined;
  return makeAkpKey(parsed.p, parsed.pub, parsed.seed, options, ahead);
}

/**
 * For the async import with an asynchronous provider (WebCrypto): the public key of the seed an AKP JWK or ML-DSA
 * PKCS#8 PEM holds, derived ahead of the synchronous import, which checks everything else (and that this is its
 * seed). Undefined for anything else, malformed material included (the import reports it), and with a synchronous
 * provider.
 */
export async function akpDeriveAhead(material: unknown): Promise<AkpDerived | undefined> {
  let found: { p: MlDsaParameters; seed: Uint8Array } | undefined;
  try {
    if (isAkpJwk(material)) {
      const p = findMlDsaParameters(own(material, 'alg'));
      const priv = own(material, 'priv');
      if (p !== undefined && typeof priv === 'string') {
        const seed = b64uDecode(priv, 'ERR_JWK_INVALID');
        if (seed.byteLength === p.seedBytes) found = { p, seed };
      }
    } else if (typeof material === 'string') {
      const der = pemDer(material);
      const parsed = der?.kind === 'pkcs8' ? parseMlDsaDer(der.der, 'pkcs8') : undefined;
      if (parsed?.seed !== undefined) found = { p: parsed.p, seed: parsed.seed };
    }
  } catch {
    return undefined;
  }
  return found === undefined ? undefined : deriveAhead(found.p, found.seed);
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
