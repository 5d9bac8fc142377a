import { hexFromBytes } from '#crypto/bytes';
import { keys } from '#crypto/keys';
import type { JwkMembers, KeyDescription } from '../crypto/backend.js';
import { b64uDecode } from '../encoding/base64url.js';
import { own } from '../encoding/json.js';
import { err } from '../errors.js';
import { bare } from '../encoding/null-prototype.js';
import type { KeyOperation, KeyType, KeyUse } from './key.js';

/**
 * A JSON Web Key (RFC 7517) as plain JSON: what {@link importKey} reads and {@link exportJwk} writes. Binary members
 * are base64url without padding.
 */
export interface JWK {
  /** Key type: `oct`, `RSA`, `EC`, `OKP` or `AKP`. */
  kty: string;
  /** The algorithm the key is meant for; {@link importKey} binds the key to it. */
  alg?: string;
  /** Key identifier. */
  kid?: string;
  /** Public key use: `sig` or `enc`. */
  use?: string;
  /** Permitted operations (`sign`, `verify`, `encrypt`, ...). */
  key_ops?: string[];
  /** Curve of an EC or OKP key. */
  crv?: string;
  /** EC x coordinate, or the OKP public key. */
  x?: string;
  /** EC y coordinate. */
  y?: string;
  /** Private part: EC or OKP private key, or RSA private exponent. */
  d?: string;
  /** RSA modulus. */
  n?: string;
  /** RSA public exponent. */
  e?: string;
  /** RSA first prime factor (private). */
  p?: string;
  /** RSA second prime factor (private). */
  q?: string;
  /** RSA first factor CRT exponent (private). */
  dp?: string;
  /** RSA second factor CRT exponent (private). */
  dq?: string;
  /** RSA first CRT coefficient (private). */
  qi?: string;
  /** The ML-DSA public key of an `AKP` key (RFC 9964). */
  pub?: string;
  /** The 32-byte ML-DSA private seed of an `AKP` key (RFC 9964). */
  priv?: string;
  /** The secret of an `oct` key. */
  k?: string;
  /** X.509 certificate chain (base64 DER); informational only, never trusted by jot. */
  x5c?: string[];
  /** X.509 certificate SHA-1 thumbprint; informational only. */
  x5t?: string;
  /** X.509 certificate SHA-256 thumbprint; informational only. */
  'x5t#S256'?: string;
  /** X.509 URL; never fetched by jot. */
  x5u?: string;
  /** WebCrypto extractability flag. */
  ext?: boolean;
  /** Other members, kept and ignored. */
  [member: string]: unknown;
}

/** Coordinate / private scalar length in bytes per curve. */
export const CURVE_BYTES: Readonly<Record<string, number>> = Object.freeze({
  'P-256': 32,
  'P-384': 48,
  'P-521': 66,
  secp256k1: 32,
  Ed25519: 32,
  Ed448: 57,
  X25519: 32,
  X448: 56,
});

const KEY_OPS: ReadonlySet<string> = new Set([
  'sign',
  'verify',
  'encrypt',
  'decrypt',
  'wrapKey',
  'unwrapKey',
  'deriveKey',
  'deriveBits',
]);

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const;

export interface ParsedJwk {
  kty: KeyType;
  described: KeyDescription | Promise<KeyDescription>;
  isPrivate: boolean;
  crv?: string;
  secret?: Uint8Array;
  alg?: string;
  kid?: string;
  use?: KeyUse;
  keyOps?: KeyOperation[];
}

function str(jwk: object, name: string, required: boolean): string | undefined {
  const v = own(jwk, name);
  if (v === undefined) {
    if (required) throw err('ERR_JWK_INVALID', `JWK member "${name}" is missing`);
    return undefined;
  }
  if (typeof v !== 'string') throw err('ERR_JWK_INVALID', `JWK member "${name}" must be a string`);
  return v;
}

function bytes(jwk: object, name: string, required: true): Uint8Array;
function bytes(jwk: object, name: string, required: false): Uint8Array | undefined;
function bytes(jwk: object, name: string, required: boolean): Uint8Array | undefined {
  const s = str(jwk, name, required);
  return s === undefined ? undefined : b64uDecode(s, 'ERR_JWK_INVALID', `JWK member "${name}"`);
}

function bigint(b: Uint8Array): bigint {
  return b.byteLength === 0 ? 0n : BigInt(`0x${hexFromBytes(b)}`);
}

/** Minimal big-endian unsigned integer: no leading zero byte (RFC 7518 section 6.3.1). */
function minimalUint(jwk: object, name: string, required: boolean): Uint8Array | undefined {
  const b = required ? bytes(jwk, name, true) : bytes(jwk, name, false);
  if (b === undefined) return undefined;
  if (b.byteLength === 0 || b[0] === 0) throw err('ERR_JWK_INVALID', `JWK member "${name}" is not a minimal integer`);
  return b;
}

/** The metadata members of a JWK (`alg`, `kid`, `use`, `key_ops`, `ext`), validated. */
export function jwkMetadata(jwk: object): Pick<ParsedJwk, 'alg' | 'kid' | 'use' | 'keyOps'> {
  const out: Pick<ParsedJwk, 'alg' | 'kid' | 'use' | 'keyOps'> = {};
  const alg = str(jwk, 'alg', false);
  if (alg !== undefined) out.alg = alg;
  const kid = str(jwk, 'kid', false);
  if (kid !== undefined) out.kid = kid;
  const use = str(jwk, 'use', false);
  if (use !== undefined) {
    if (use !== 'sig' && use !== 'enc') throw err('ERR_JWK_INVALID', 'JWK "use" must be "sig" or "enc"');
    out.use = use;
  }
  const ops = own(jwk, 'key_ops');
  if (ops !== undefined) {
    if (!Array.isArray(ops) || ops.length === 0)
      throw err('ERR_JWK_INVALID', 'JWK "key_ops" must be a non-empty array');
    const seen = new Set<string>();
    for (const op of ops) {
      if (typeof op !== 'string' || !KEY_OPS.has(op) || seen.has(op)) {
        throw err('ERR_JWK_INVALID', 'JWK "key_ops" holds an unknown or repeated operation');
      }
      seen.add(op);
    }
    out.keyOps = [...seen] as KeyOperation[];
  }
  const ext = own(jwk, 'ext');
  if (ext !== undefined && typeof ext !== 'boolean') throw err('ERR_JWK_INVALID', 'JWK "ext" must be a boolean');
  return out;
}

function parseRsa(jwk: object): Omit<ParsedJwk, 'kty'> {
  const n = minimalUint(jwk, 'n', true)!;
  const e = minimalUint(jwk, 'e', true)!;
  const E = bigint(e);
  if (E < 3n || (E & 1n) === 0n) throw err('ERR_KEY_INVALID', 'RSA public exponent must be odd and at least 3');
  if ((n.byteLength - 1) * 8 + (32 - Math.clz32(n[0]!)) < 2048) {
    throw err('ERR_KEY_INVALID', 'RSA keys must be 2048 bits or larger');
  }
  const d = own(jwk, 'd');
  if (d === undefined) {
    for (const m of PRIVATE_MEMBERS) {
      if (own(jwk, m) !== undefined) throw err('ERR_JWK_INVALID', 'JWK has private members but no "d"');
    }
    return {
      described: keys.fromJwk({ kty: 'RSA', n: str(jwk, 'n', true)!, e: str(jwk, 'e', true)! }, false),
      isPrivate: false,
    };
  }
  if (own(jwk, 'oth') !== undefined) throw err('ERR_JOSE_NOT_SUPPORTED', 'multi-prime RSA keys are not supported');
  const D = bigint(minimalUint(jwk, 'd', true)!);
  const P = bigint(minimalUint(jwk, 'p', true)!);
  const Q = bigint(minimalUint(jwk, 'q', true)!);
  const DP = bigint(minimalUint(jwk, 'dp', true)!);
  const DQ = bigint(minimalUint(jwk, 'dq', true)!);
  const QI = bigint(minimalUint(jwk, 'qi', true)!);
  const N = bigint(n);
  const consistent =
    P * Q === N &&
    D < N &&
    DP === D % (P - 1n) &&
    DQ === D % (Q - 1n) &&
    (E * DP) % (P - 1n) === 1n &&
    (E * DQ) % (Q - 1n) === 1n &&
    (QI * Q) % P === 1n;
  if (!consistent) throw err('ERR_KEY_INVALID', 'the RSA private key parts are inconsistent');
  const parts: JwkMembers = { kty: 'RSA' };
  for (const m of ['n', 'e', 'd', 'p', 'q', 'dp', 'dq', 'qi'] as const) parts[m] = str(jwk, m, true)!;
  return { described: keys.fromJwk(parts, true), isPrivate: true };
}

function parseCurveKey(jwk: object, kty: 'EC' | 'OKP'): Omit<ParsedJwk, 'kty'> {
  const crv = str(jwk, 'crv', true)!;
  const size = CURVE_BYTES[crv];
  const okpCurve = crv === 'Ed25519' || crv === 'Ed448' || crv === 'X25519' || crv === 'X448';
  if (size === undefined || okpCurve !== (kty === 'OKP'))
    throw err('ERR_JOSE_NOT_SUPPORTED', `unsupported ${kty} curve`);
  const x = bytes(jwk, 'x', true);
  if (x.byteLength !== size) throw err('ERR_JWK_INVALID', 'JWK "x" has the wrong length for its curve');
  const pub: JwkMembers = { kty, crv, x: str(jwk, 'x', true)! };
  if (kty === 'EC') {
    const y = bytes(jwk, 'y', true);
    if (y.byteLength !== size) throw err('ERR_JWK_INVALID', 'JWK "y" has the wrong length for its curve');
    pub.y = str(jwk, 'y', true)!;
  } else if (own(jwk, 'y') !== undefined) {
    throw err('ERR_JWK_INVALID', 'OKP keys have no "y"');
  }
  const d = bytes(jwk, 'd', false);
  for (const m of PRIVATE_MEMBERS) {
    if (m !== 'd' && own(jwk, m) !== undefined) throw err('ERR_JWK_INVALID', `JWK member "${m}" does not belong here`);
  }
  if (d === undefined) return { described: keys.fromJwk(pub, false), isPrivate: false, crv };
  if (d.byteLength !== size) throw err('ERR_JWK_INVALID', 'JWK "d" has the wrong length for its curve');
  const described = keys.fromJwk({ ...pub, d: str(jwk, 'd', true)! }, true);
  // The public part must be the one that belongs to d. For EC keys node keeps the x and y it is given without
  // checking them against d, so the point is computed from d itself. An implementation that cannot do this at once
  // (WebCrypto) checks the pair itself before the key's first use, and importKey waits for that check.
  const check = (desc: KeyDescription): KeyDescription => {
    const derived = kty === 'EC' ? keys.ecPublicOf(crv, d) : keys.okpPublicOf(desc);
    if (derived !== undefined && (derived.x !== pub.x || (kty === 'EC' && derived.y !== pub.y))) {
      throw err('ERR_KEY_INVALID', 'the JWK public part does not match its private part');
    }
    return desc;
  };
  return { described: described instanceof Promise ? described.then(check) : check(described), isPrivate: true, crv };
}

/** Validate a JWK strictly and turn it into the backend's key material. */
export function parseJwk(jwk: unknown): ParsedJwk {
  if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk))
    throw err('ERR_JWK_INVALID', 'a JWK must be an object');
  const kty = own(jwk, 'kty');
  if (typeof kty !== 'string') throw err('ERR_JWK_INVALID', 'JWK "kty" must be a string');
  const meta = jwkMetadata(jwk);
  switch (kty) {
    case 'oct': {
      const k = bytes(jwk, 'k', true);
      if (k.byteLength === 0) throw err('ERR_KEY_INVALID', 'a secret key cannot be empty');
      return bare({ kty, described: keys.fromSecret(k), isPrivate: true, secret: new Uint8Array(k), ...meta });
    }
    case 'RSA':
      return bare({ kty, ...parseRsa(jwk), ...meta });
    case 'EC':
    case 'OKP':
      return bare({ kty, ...parseCurveKey(jwk, kty), ...meta });
    default:
      throw err('ERR_JOSE_NOT_SUPPORTED', 'unsupported JWK key type');
  }
}
