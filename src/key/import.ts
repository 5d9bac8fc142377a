import { bytesFromB64 } from '#crypto/bytes';
import { keys } from '#crypto/keys';
import { findContentEncryptionAlgorithm, findKeyManagementAlgorithm, KEY_MANAGEMENT_ALGORITHMS } from '../alg/jwe.js';
import { findJwsAlgorithm } from '../alg/jws.js';
import { b64uDecode } from '../encoding/base64url.js';
import { own } from '../encoding/json.js';
import { err, JotError } from '../errors.js';
import type { KeyDescription } from '../crypto/backend.js';
import { loadMlDsa } from '../crypto/ml-dsa.js';
import { bare } from '../encoding/null-prototype.js';
import { callerError } from '../options.js';
import { akpFromDer, akpFromPem, importAkpJwk, isAkpJwk } from './akp.js';
import { KEY_CONSTRUCTION, Key, type KeyHandle, type KeyOperation, type KeyType, type KeyUse, keyHandle } from './key.js';
import { CURVE_BYTES, type JWK, jwkMetadata, type ParsedJwk, parseJwk } from './jwk.js';
import { isKeyText } from './key-text.js';
import { assertJwsKey, assertUsage } from './policy.js';
import { hasRocaFingerprint } from './roca.js';

/** Options of {@link importKey}. */
export interface ImportKeyOptions {
  /** Bind the key to this algorithm: it will never be used with any other. Overrides nothing: a JWK `alg` must agree. */
  alg?: string;
  /** Key ID, used by key sets and written by signers. */
  kid?: string;
  /** Intended use; enforced. */
  use?: KeyUse;
}

/**
 * A runtime's own key object: a node `KeyObject` (node:crypto), or a WebCrypto `CryptoKey`. Typed structurally so
 * that the types need neither node's nor the DOM's declarations.
 */
export interface RuntimeKeyObject {
  readonly type: string;
}

/** What {@link importKey} accepts. A bare string is always PEM, never a secret. */
export type KeyMaterial = JWK | string | Uint8Array | RuntimeKeyObject;

const OKP_TYPES: Readonly<Record<string, string>> = Object.freeze({
  ed25519: 'Ed25519',
  ed448: 'Ed448',
  x25519: 'X25519',
  x448: 'X448',
});

// Ed25519 field prime and the y-coordinates of its small-order points (orders 1, 2, 4 and 8).
const P25519 = 2n ** 255n - 19n;
const Y8 = 0x7a03ac9277fdc74ec6cc392cfa53202a0f67100d760b3cba4fd84d3d706a17c7n;
const SMALL_ORDER_Y_25519 = new Set([0n, 1n, P25519 - 1n, Y8, P25519 - Y8]);
const P448 = 2n ** 448n - 2n ** 224n - 1n;
const SMALL_ORDER_Y_448 = new Set([0n, 1n, P448 - 1n]);

function littleEndian(b: Uint8Array): bigint {
  let v = 0n;
  for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]!);
  return v;
}

/** Reject non-canonical and small-order Edwards public keys (RFC 8032 encodings). */
function assertEdwardsPoint(crv: string, x: Uint8Array): void {
  const bits = crv === 'Ed25519' ? 255 : 448;
  const y = littleEndian(x) & ((1n << BigInt(bits)) - 1n);
  const p = crv === 'Ed25519' ? P25519 : P448;
  const smallOrder = crv === 'Ed25519' ? SMALL_ORDER_Y_25519 : SMALL_ORDER_Y_448;
  if (y >= p || smallOrder.has(y)) throw err('ERR_KEY_INVALID', `not an acceptable ${crv} public key`);
}

interface Classified {
  kty: KeyType;
  crv?: string;
  modulusBits?: number;
  rsaPss?: true;
  pssHash?: string;
  secret?: Uint8Array;
}

/** Refuse material the runtime could import only asynchronously, in the synchronous import. */
function now<T>(v: T | Promise<T>): T {
  if (v instanceof Promise) {
    v.catch(() => undefined);
    throw err('ERR_JOSE_NOT_SUPPORTED', 'on this runtime this key material needs the asynchronous importKey');
  }
  return v;
}

function classify(d: KeyDescription): Classified {
  if (d.kind === 'secret') {
    const secret = d.secret!;
    if (secret.byteLength === 0) throw err('ERR_KEY_INVALID', 'a secret key cannot be empty');
    // The text of a key (PEM, RFC 4716, OpenSSH, JWK JSON, DER) is never a secret, whatever form it arrives in (bytes
    // from readFileSync, a KeyObject, an `oct` JWK): otherwise a public key could become an HMAC secret (A04/A05).
    if (isKeyText(secret)) {
      throw err('ERR_KEY_INVALID', 'the text or encoding of a key (PEM, OpenSSH, JWK, DER) cannot be used as a secret');
    }
    return bare({ kty: 'oct', secret });
  }
  switch (d.type) {
    case 'rsa':
    case 'rsa-pss': {
      const modulusBits = d.modulusBits ?? 0;
      if (modulusBits < 2048) throw err('ERR_KEY_INVALID', 'RSA keys must be 2048 bits or larger');
      const e = d.publicExponent ?? 0n;
      if (e < 3n || (e & 1n) === 0n) throw err('ERR_KEY_INVALID', 'RSA public exponent must be odd and at least 3');
      // id-RSASSA-PSS keys have no JWK form in node, so no modulus to test: skipped, as before.
      if (d.modulus !== undefined && hasRocaFingerprint(d.modulus)) {
        throw err('ERR_KEY_INVALID', 'the RSA key has the ROCA fingerprint (CVE-2017-15361)');
      }
      const c: Classified = bare({ kty: 'RSA', modulusBits });
      if (d.type === 'rsa-pss') {
        c.rsaPss = true;
        const h = d.pssHash;
        if (h !== undefined) {
          if (h !== 'sha256' && h !== 'sha384' && h !== 'sha512')
            throw err('ERR_KEY_INVALID', 'unsupported RSA-PSS hash');
          if (d.mgf1Hash !== undefined && d.mgf1Hash !== h) {
            throw err('ERR_KEY_INVALID', 'RSA-PSS keys with a different MGF1 hash are not usable in JOSE');
          }
          c.pssHash = h;
        } else {
          c.pssHash = '*';
        }
      }
      return c;
    }
    case 'ec': {
      if (d.crv === undefined) throw err('ERR_KEY_INVALID', 'unsupported elliptic curve');
      return bare({ kty: 'EC', crv: d.crv });
    }
    case 'ed25519':
    case 'ed448':
    case 'x25519':
    case 'x448': {
      const crv = OKP_TYPES[d.type]!;
      const x = d.x ?? new Uint8Array(0);
      if (x.byteLength !== CURVE_BYTES[crv]) throw err('ERR_KEY_INVALID', 'bad public key length');
      if (crv === 'Ed25519' || crv === 'Ed448') assertEdwardsPoint(crv, x);
      return bare({ kty: 'OKP', crv });
    }
    default:
      throw err('ERR_KEY_INVALID', 'unsupported key type');
  }
}

const PEM = /^-----BEGIN ([A-Z0-9 ]+)-----\r?\n([A-Za-z0-9+/=\r\n]+)-----END \1-----\r?\n?$/;

function fromPem(text: string): KeyDescription | Promise<KeyDescription> {
  const m = PEM.exec(text.trim() === text ? text : text.replace(/^\s+/, ''));
  if (!m) throw err('ERR_KEY_INVALID', 'a string key must be a PEM document (pass secrets as bytes)');
  return keys.fromPem(m[1]!, text, bytesFromB64(m[2]!.replace(/[\r\n]/g, '')));
}

/** Usage check for a key bound at import: its type and curve must fit the algorithm. */
function assertBindable(key: Key): void {
  const alg = key.alg!;
  const jws = findJwsAlgorithm(alg);
  if (jws !== undefined) {
    assertJwsKey(key, jws, 'verify', false);
    if (key.use === 'enc') throw err('ERR_KEY_INVALID', `the key's "use" forbids signatures`);
    return;
  }
  const km = findKeyManagementAlgorithm(alg);
  if (km !== undefined) {
    const ecdh = km.family === 'ecdh-es' || km.family === 'ecdh-es-kw';
    const ktyOk = ecdh ? key.kty === 'EC' || key.kty === 'OKP' : key.kty === km.kty;
    if (!ktyOk) throw err('ERR_KEY_INVALID', `${alg} needs another key type`);
    if (ecdh && !['P-256', 'P-384', 'P-521', 'X25519', 'X448'].includes(key.crv ?? '')) {
      throw err('ERR_KEY_INVALID', `${alg} does not take a key on this curve`);
    }
    if (key.use === 'sig') throw err('ERR_KEY_INVALID', `the key's "use" forbids encryption`);
    return;
  }
  if (findContentEncryptionAlgorithm(alg) !== undefined) {
    throw err('ERR_INVALID_OPTION', 'bind a direct-encryption key to "dir", not to a content encryption algorithm');
  }
  throw err('ERR_JOSE_NOT_SUPPORTED', 'cannot bind a key to an unknown algorithm');
}

function opt<T>(options: object | undefined, name: string, check: (v: unknown) => v is T, what: string): T | undefined {
  if (options === undefined) return undefined;
  const v = own(options, name);
  if (v === undefined) return undefined;
  if (!check(v)) throw err('ERR_INVALID_OPTION', `${name} must be ${what}`);
  return v;
}

const isString = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
const isUse = (v: unknown): v is KeyUse => v === 'sig' || v === 'enc';

/** Material already described by the implementation (the asynchronous import waits for it first). */
type Described = { desc: KeyDescription } | { parsed: ParsedJwk & { described: KeyDescription } };

/** Synchronous core of {@link importKey}. @internal */
export function importKeySync(material: KeyMaterial, options?: ImportKeyOptions, pre?: Described): Key {
  if (options !== undefined && (typeof options !== 'object' || options === null)) {
    throw err('ERR_INVALID_OPTION', 'options must be an object');
  }
  let alg = opt(options, 'alg', isString, 'a non-empty string');
  let kid = opt(options, 'kid', isString, 'a non-empty string');
  let use = opt(options, 'use', isUse, '"sig" or "enc"');
  let keyOps: KeyOperation[] | undefined;
  let dirEnc: string | undefined;
  let d: KeyDescription;
  const native = pre === undefined && typeof material === 'object' ? keys.fromNative(material) : undefined;
  if (pre !== undefined && 'desc' in pre) {
    d = pre.desc;
  } else if (typeof material === 'string') {
    const akp = akpFromPem(material, { alg, kid, use });
    if (akp !== undefined) return akp;
    d = now(fromPem(material));
  } else if (material instanceof Uint8Array) {
    if (material.byteLength === 0) throw err('ERR_KEY_INVALID', 'a secret key cannot be empty');
    d = keys.fromSecret(material);
  } else if (isAkpJwk(material)) {
    return importAkpJwk(material, jwkMetadata(material), { alg, kid, use });
  } else if (native !== undefined) {
    d = now(native);
  } else if (typeof material === 'object' && material !== null && !Array.isArray(material)) {
    const parsed = pre !== undefined && 'parsed' in pre ? pre.parsed : parseJwk(material);
    d = now(parsed.described);
    if (parsed.alg !== undefined) {
      // A JWK naming a content encryption algorithm (RFC 7520 section 5.6) is a direct-encryption key
      // of exactly that algorithm's size: it is bound to "dir".
      const enc = findContentEncryptionAlgorithm(parsed.alg);
      let jwkAlg = parsed.alg;
      if (enc !== undefined) {
        if (parsed.kty !== 'oct' || parsed.secret?.byteLength !== enc.keyBytes) {
          throw err('ERR_KEY_INVALID', 'the key does not fit its content encryption algorithm');
        }
        jwkAlg = KEY_MANAGEMENT_ALGORITHMS.dir!.name;
        dirEnc = enc.name;
      }
      if (alg !== undefined && alg !== jwkAlg) {
        throw err('ERR_INVALID_OPTION', 'options.alg contradicts the JWK "alg"');
      }
      alg = jwkAlg;
    }
    if (parsed.kid !== undefined && kid === undefined) kid = parsed.kid;
    if (parsed.use !== undefined) {
      if (use !== undefined && use !== parsed.use)
        throw err('ERR_INVALID_OPTION', 'options.use contradicts the JWK "use"');
      use = parsed.use;
    }
    keyOps = parsed.keyOps;
  } else {
    throw err('ERR_KEY_INVALID', 'unsupported key material');
  }
  if (d.mlDsaDer !== undefined) {
    const akp = akpFromDer(d.mlDsaDer.der, d.mlDsaDer.kind, { alg, kid, use });
    if (akp === undefined) throw err('ERR_KEY_INVALID', 'unsupported ML-DSA key encoding');
    return akp;
  }
  const isPrivate = d.kind !== 'public';
  const c = classify(d);
  // Null prototype: a member a handle lacks (`publicNative`, `secret`, `pssHash`) never comes from Object.prototype.
  const handle: KeyHandle = bare({
    native: d.native,
    ...(d.publicNative !== undefined ? { publicNative: d.publicNative } : {}),
    ...(c.secret !== undefined ? { secret: c.secret } : {}),
    ...(c.modulusBits !== undefined ? { modulusBits: c.modulusBits } : {}),
    ...(c.rsaPss !== undefined ? { rsaPss: c.rsaPss } : {}),
    ...(c.pssHash !== undefined && c.pssHash !== '*' ? { pssHash: c.pssHash } : {}),
    ...(dirEnc !== undefined ? { dirEnc } : {}),
  });
  const key = new Key({ kty: c.kty, alg, kid, use, keyOps, crv: c.crv, isPrivate }, handle, KEY_CONSTRUCTION);
  if (alg !== undefined) assertBindable(key);
  else if (use !== undefined && keyOps !== undefined) assertUsage(key, use, keyOps[0]!);
  return key;
}

/** A key from material an implementation described (a generated pair). @internal */
export function importDescribed(d: KeyDescription, options?: ImportKeyOptions): Key {
  return importKeySync(d.native as KeyMaterial, options, { desc: d });
}

/** The implementation's asynchronous part of an import (PEM, JWK or runtime key object), done first. */
async function describeAsync(material: KeyMaterial): Promise<Described | undefined> {
  if (typeof material === 'string') {
    if (akpFromPem(material, {}) !== undefined) return undefined;
    return { desc: await fromPem(material) };
  }
  if (material instanceof Uint8Array || isAkpJwk(material)) return undefined;
  const native = keys.fromNative(material);
  if (native !== undefined) return { desc: await native };
  if (typeof material === 'object' && material !== null && !Array.isArray(material)) {
    const parsed = parseJwk(material);
    return { parsed: { ...parsed, described: await parsed.described } };
  }
  return undefined;
}

/** Could `material` be an ML-DSA key? (A JWK of type AKP, a PEM or KeyObject holding one.) Cheap, no parsing. */
function mayBeMlDsa(material: unknown): boolean {
  if (isAkpJwk(material)) return true;
  if (typeof material === 'string') {
    try {
      return akpFromPem(material, {}) !== undefined;
    } catch {
      return true; // an ML-DSA key that needs the provider (a seed), or a malformed one: load, then report
    }
  }
  const d = keys.fromNative(material);
  return d !== undefined && !(d instanceof Promise) && d.mlDsaDer !== undefined;
}

/**
 * Import a key from a JWK, a PEM string (SPKI, PKCS#8, PKCS#1, SEC1, X.509 certificate), a
 * `Uint8Array` secret, a node `KeyObject` or a WebCrypto `CryptoKey`. On WebCrypto runtimes, PEM certificates,
 * PKCS#1 and SEC1 documents and RSA-PSS keys are `ERR_JOSE_NOT_SUPPORTED`: use SPKI, PKCS#8 or a JWK.
 *
 * A string is always PEM: it can never become an HMAC secret. Pass `alg` to bind the key.
 *
 * @example
 * ```ts
 * import { importKey } from 'jotjs';
 * const key = await importKey(new TextEncoder().encode(secret32bytes), { alg: 'HS256' });
 * ```
 */
export async function importKey(material: KeyMaterial, options?: ImportKeyOptions): Promise<Key> {
  try {
    // An ML-DSA key loads its provider first, so that the sync API works with it afterwards.
    if (mayBeMlDsa(material)) await loadMlDsa();
    const key = importKeySync(material, options, await describeAsync(material));
    await keys.settle?.(keyHandle(key));
    return key;
  } catch (e) {
    throw callerError(e);
  }
}
