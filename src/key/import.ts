import { bytesFromB64 } from '#crypto/bytes';
import { keys } from '#crypto/keys';
import { findContentEncryptionAlgorithm, findKeyManagementAlgorithm, KEY_MANAGEMENT_ALGORITHMS } from '../alg/jwe.js';
import { findJwsAlgorithm } from '../alg/jws.js';
import { own } from '../encoding/json.js';
import { err } from '../errors.js';
import type { KeyDescription } from '../crypto/backend.js';
import { type AkpDerived, loadMlDsa } from '../crypto/ml-dsa.js';
import { bare } from '../encoding/null-prototype.js';
import { callerError } from '../options.js';
import { akpDeriveAhead, akpFromDer, akpFromPem, importAkpJwk, isAkpJwk } from './akp.js';
import { KEY_CONSTRUCTION, Key, type KeyHandle, type KeyOperation, type KeyUse, keyHandle } from './key.js';
import { classify } from './classify.js';
import { type JWK, jwkMetadata, type ParsedJwk, parseJwk } from './jwk.js';
import { assertJwsKey, assertUsage } from './policy.js';

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
 * A runtime's own key object: a node `KeyObject` (node:crypto), or a WebCrypto `CryptoKey` (extractable, on WebCrypto
 * runtimes). Typed structurally so that the types need neither node's nor the DOM's declarations.
 *
 * @example
 * ```ts
 * import { importKey } from 'jotjs';
 * const pair = await crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify']);
 * const key = await importKey(pair.publicKey, { alg: 'Ed25519' });
 * ```
 */
export interface RuntimeKeyObject {
  /** `secret`, `public` or `private`. */
  readonly type: string;
}

/** What {@link importKey} accepts. A bare string is always PEM, never a secret. */
export type KeyMaterial = JWK | string | Uint8Array | RuntimeKeyObject;

/** Refuse material the runtime could import only asynchronously, in the synchronous import. */
function now<T>(v: T | Promise<T>): T {
  if (v instanceof Promise) {
    v.catch(() => undefined);
    throw err('ERR_JOSE_NOT_SUPPORTED', 'on this runtime this key material needs the asynchronous importKey');
  }
  return v;
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

/**
 * Synchronous core of {@link importKey}. `ahead`: an ML-DSA seed's public key, derived first by an asynchronous
 * provider (WebCrypto). @internal
 */
export function importKeySync(
  material: KeyMaterial,
  options?: ImportKeyOptions,
  pre?: Described,
  ahead?: AkpDerived,
): Key {
  if (options !== undefined && (typeof options !== 'object' || options === null)) {
    throw err('ERR_INVALID_OPTION', 'options must be an object');
  }
  let alg = opt(options, 'alg', isString, 'a non-empty string');
  let kid = opt(options, 'kid', isString, 'a non-empty string');
  let use = opt(options, 'use', isUse, '"sig" or "enc"');
  let keyOps: KeyOperation[] | undefined;
  let dirEnc: string | undefined;
  let d: KeyDescription;
  const native =
    pre === undefined && typeof material === 'object' && material !== null ? keys.fromNative(material) : undefined;
  if (pre !== undefined && Object.hasOwn(pre, 'desc')) {
    d = (pre as { desc: KeyDescription }).desc;
  } else if (typeof material === 'string') {
    const akp = akpFromPem(material, { alg, kid, use }, ahead);
    if (akp !== undefined) return akp;
    d = now(fromPem(material));
  } else if (material instanceof Uint8Array) {
    if (material.byteLength === 0) throw err('ERR_KEY_INVALID', 'a secret key cannot be empty');
    d = keys.fromSecret(material);
  } else if (isAkpJwk(material)) {
    return importAkpJwk(material, jwkMetadata(material), { alg, kid, use }, ahead);
  } else if (native !== undefined) {
    d = now(native);
  } else if (typeof material === 'object' && material !== null && !Array.isArray(material)) {
    const parsed =
      pre !== undefined && Object.hasOwn(pre, 'parsed') ? (pre as { parsed: ParsedJwk }).parsed : parseJwk(material);
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
  return importKeySync(d.native as KeyMaterial, options, bare({ desc: d }));
}

/** The implementation's asynchronous part of an import (PEM, JWK or runtime key object), done first. */
async function describeAsync(material: KeyMaterial, ahead?: AkpDerived): Promise<Described | undefined> {
  if (typeof material === 'string') {
    if (akpFromPem(material, {}, ahead) !== undefined) return undefined;
    const d = fromPem(material);
    return bare({ desc: d instanceof Promise ? await d : d });
  }
  if (material instanceof Uint8Array || isAkpJwk(material)) return undefined;
  const native = keys.fromNative(material);
  if (native !== undefined) return bare({ desc: native instanceof Promise ? await native : native });
  if (typeof material === 'object' && material !== null && !Array.isArray(material)) {
    const parsed = parseJwk(material);
    const d = parsed.described;
    // Null prototypes: a polluted Object.prototype never supplies `alg`, `kid` or `use` (A38).
    return bare({ parsed: bare({ ...parsed, described: d instanceof Promise ? await d : d }) });
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
    // An ML-DSA key loads its provider first, so that the sync API works with it afterwards; with WebCrypto's
    // (asynchronous) provider, a seed's public key is derived first.
    let ahead: AkpDerived | undefined;
    if (mayBeMlDsa(material)) {
      await loadMlDsa();
      ahead = await akpDeriveAhead(material);
    }
    const key = importKeySync(material, options, await describeAsync(material, ahead), ahead);
    await keys.settle?.(keyHandle(key));
    return key;
  } catch (e) {
    throw callerError(e);
  }
}
