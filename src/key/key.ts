import type { AkpMaterial, KeyHandle } from '../crypto/backend.js';
import { err } from '../errors.js';

/**
 * A JWK key type (`kty`, RFC 7518 section 6.1, RFC 8037, RFC 9964): a secret, RSA, elliptic-curve,
 * Edwards/Montgomery or algorithm key pair (`AKP`, ML-DSA) key.
 */
export type KeyType = 'oct' | 'RSA' | 'EC' | 'OKP' | 'AKP';
/** A JWK public key use (`use`, RFC 7517 section 4.2): signatures or encryption. */
export type KeyUse = 'sig' | 'enc';
/** A JWK key operation (`key_ops`, RFC 7517 section 4.3). */
export type KeyOperation =
  | 'sign'
  | 'verify'
  | 'encrypt'
  | 'decrypt'
  | 'wrapKey'
  | 'unwrapKey'
  | 'deriveKey'
  | 'deriveBits';

export type { AkpMaterial, KeyHandle };

const handles = new WeakMap<Key, KeyHandle>();

/** Only jot's own import code holds this, so `new Key(...)` from outside is refused. @internal */
export const KEY_CONSTRUCTION: unique symbol = Symbol('jot Key construction');

/**
 * An imported key. Read-only and opaque: its material is reachable only by jot itself.
 * When `alg` is set the key is *bound* to that algorithm and is never used with any other.
 *
 * @example
 * ```ts
 * import { generateKeyPair } from 'jotjs';
 * const { privateKey, publicKey } = await generateKeyPair('ES256', { kid: 'k1' });
 * privateKey.alg; // 'ES256': bound, refused for any other algorithm
 * JSON.stringify(publicKey); // '{"kty":"EC","isPrivate":false,"crv":"P-256","alg":"ES256","kid":"k1"}'
 * ```
 */
export class Key {
  /** The key type. */
  readonly kty: KeyType;
  /** The one algorithm the key is bound to, or undefined for an unbound key. */
  readonly alg: string | undefined;
  /** The key identifier (JWK `kid`), matched against a token header's `kid` by key sets. */
  readonly kid: string | undefined;
  /** The JWK `use` the key was imported with (`sig` or `enc`), checked against each operation. */
  readonly use: KeyUse | undefined;
  /** The JWK `key_ops` the key was imported with, checked against each operation. */
  readonly keyOps: readonly KeyOperation[] | undefined;
  /** Curve for EC (`P-256`, `P-384`, `P-521`, `secp256k1`) and OKP (`Ed25519`, `Ed448`, `X25519`, `X448`) keys; undefined for AKP. */
  readonly crv: string | undefined;
  /** True for private and secret (`oct`) keys. */
  readonly isPrivate: boolean;

  /** @internal Use {@link importKey}, {@link generateKeyPair} or {@link generateSecret}. */
  constructor(
    fields: {
      kty: KeyType;
      alg?: string | undefined;
      kid?: string | undefined;
      use?: KeyUse | undefined;
      keyOps?: readonly KeyOperation[] | undefined;
      crv?: string | undefined;
      isPrivate: boolean;
    },
    handle: KeyHandle,
    construction?: typeof KEY_CONSTRUCTION,
  ) {
    if (construction !== KEY_CONSTRUCTION) {
      throw err('ERR_INVALID_OPTION', 'keys are made by importKey, generateKeyPair or generateSecret');
    }
    this.kty = fields.kty;
    this.alg = fields.alg;
    this.kid = fields.kid;
    this.use = fields.use;
    this.keyOps = fields.keyOps === undefined ? undefined : Object.freeze([...fields.keyOps]);
    this.crv = fields.crv;
    this.isPrivate = fields.isPrivate;
    handles.set(this, handle);
    Object.freeze(this);
  }

  /** A log-safe description: never the key material. */
  toJSON(): Record<string, unknown> {
    const o: Record<string, unknown> = { kty: this.kty, isPrivate: this.isPrivate };
    if (this.crv !== undefined) o.crv = this.crv;
    if (this.alg !== undefined) o.alg = this.alg;
    if (this.kid !== undefined) o.kid = this.kid;
    if (this.use !== undefined) o.use = this.use;
    return o;
  }
}

/** The material of a genuine Key; anything else (a look-alike object, a Proxy) is `ERR_KEY_INVALID`. @internal */
export function keyHandle(key: unknown): KeyHandle {
  const h = typeof key === 'object' && key !== null ? handles.get(key as Key) : undefined;
  if (h === undefined) throw err('ERR_KEY_INVALID', 'expected a Key from importKey, generateKeyPair or generateSecret');
  return h;
}

/**
 * Is `value` a genuine jot Key (made by {@link importKey}, {@link generateKeyPair} or {@link generateSecret})?
 *
 * @example
 * ```ts
 * import { generateSecret, isKey } from 'jotjs';
 * isKey(await generateSecret('HS256')); // true
 * isKey({ kty: 'oct', k: 'c2VjcmV0' }); // false: a JWK is not a Key until imported
 * ```
 */
export function isKey(value: unknown): value is Key {
  return typeof value === 'object' && value !== null && handles.has(value as Key);
}
