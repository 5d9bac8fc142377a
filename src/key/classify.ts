import type { KeyDescription } from '../crypto/backend.js';
import { bare } from '../encoding/null-prototype.js';
import { err } from '../errors.js';
import { CURVE_BYTES } from './jwk.js';
import type { KeyType } from './key.js';
import { isKeyText } from './key-text.js';
import { hasRocaFingerprint } from './roca.js';

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

/** What jot keeps of a described key once its pure checks passed. */
export interface Classified {
  kty: KeyType;
  crv?: string;
  modulusBits?: number;
  rsaPss?: true;
  pssHash?: string;
  secret?: Uint8Array;
}

/**
 * The pure checks of an imported key (issue 17: shared by both crypto implementations): a secret is not key text; RSA
 * size, exponent and ROCA; a known EC curve; OKP public key length and Edwards point. @internal
 */
export function classify(d: KeyDescription): Classified {
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
