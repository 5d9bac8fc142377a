import {
  createECDH,
  createPrivateKey,
  createPublicKey,
  createSecretKey,
  type JsonWebKey,
  KeyObject,
  X509Certificate,
} from 'node:crypto';
import { bare } from '../../encoding/null-prototype.js';
import { err, JotError } from '../../errors.js';
import type { JwkMembers, KeyBackend, KeyDescription, KeyHandle } from '../backend.js';
import { b64uFromBytes, bytesFromB64u, hexFromBytes } from './bytes.js';

// Key import and export with node:crypto (`#crypto/keys`, node). node parses every PEM and DER form itself; jot's
// shared code (key/import.ts) then validates what this module describes.

const NAMED_CURVES: Readonly<Record<string, string>> = Object.freeze({
  prime256v1: 'P-256',
  secp384r1: 'P-384',
  secp521r1: 'P-521',
  secp256k1: 'secp256k1',
});

const ECDH_CURVES: Readonly<Record<string, string>> = Object.freeze({
  'P-256': 'prime256v1',
  'P-384': 'secp384r1',
  'P-521': 'secp521r1',
  secp256k1: 'secp256k1',
});

const bigintOf = (b: Uint8Array): bigint => (b.byteLength === 0 ? 0n : BigInt(`0x${hexFromBytes(b)}`));

/** What jot needs to know about a node KeyObject. */
export function describe(keyObject: KeyObject): KeyDescription {
  if (keyObject.type === 'secret') {
    return bare({
      native: keyObject,
      kind: 'secret' as const,
      type: 'oct',
      secret: new Uint8Array(keyObject.export()),
    });
  }
  const type = keyObject.asymmetricKeyType ?? 'unknown';
  const kind = keyObject.type === 'private' ? ('private' as const) : ('public' as const);
  if (/^ml-dsa/.test(type)) {
    const der = new Uint8Array(
      keyObject.export(bare({ format: 'der' as const, type: kind === 'private' ? 'pkcs8' : 'spki' })),
    );
    return bare({
      native: keyObject,
      kind,
      type: 'ml-dsa',
      mlDsaDer: { der, kind: kind === 'private' ? 'pkcs8' : 'spki' },
    });
  }
  const publicNative = kind === 'private' ? createPublicKey(keyObject) : undefined;
  const base = bare({ native: keyObject, kind, type, ...(publicNative !== undefined ? { publicNative } : {}) });
  const details = keyObject.asymmetricKeyDetails ?? {};
  switch (type) {
    case 'rsa':
    case 'rsa-pss': {
      const out: Record<string, unknown> = {
        ...base,
        modulusBits: details.modulusLength ?? 0,
        publicExponent: details.publicExponent ?? 0n,
      };
      if (type === 'rsa') {
        const n = keyObject.export(bare({ format: 'jwk' as const })).n;
        if (n !== undefined) out.modulus = bigintOf(bytesFromB64u(n));
      } else {
        if (details.hashAlgorithm !== undefined) out.pssHash = details.hashAlgorithm;
        if (details.mgf1HashAlgorithm !== undefined) out.mgf1Hash = details.mgf1HashAlgorithm;
      }
      return bare(out) as unknown as KeyDescription;
    }
    case 'ec': {
      const crv = NAMED_CURVES[details.namedCurve ?? ''];
      return bare({ ...base, ...(crv !== undefined ? { crv } : {}) });
    }
    case 'ed25519':
    case 'ed448':
    case 'x25519':
    case 'x448': {
      const pub = publicNative ?? keyObject;
      const x = pub.export(bare({ format: 'jwk' as const })).x ?? '';
      return bare({ ...base, x: bytesFromB64u(x) });
    }
    default:
      return base;
  }
}

function nodeJwk(jwk: JwkMembers, isPrivate: boolean): KeyObject {
  try {
    const input = bare({ key: bare(jwk) as JsonWebKey, format: 'jwk' as const });
    return isPrivate ? createPrivateKey(input) : createPublicKey(input);
  } catch (cause) {
    throw err('ERR_JWK_INVALID', 'the JWK does not describe a valid key', cause);
  }
}

/** node:crypto key import and export. */
export const keys: KeyBackend = Object.freeze({
  name: 'node' as const,

  fromSecret(bytes: Uint8Array): KeyDescription {
    return describe(createSecretKey(new Uint8Array(bytes)));
  },

  fromPem(label: string, text: string): KeyDescription {
    try {
      switch (label) {
        case 'CERTIFICATE':
          return describe(new X509Certificate(text).publicKey);
        case 'PUBLIC KEY':
        case 'RSA PUBLIC KEY':
          return describe(createPublicKey(bare({ key: text, format: 'pem' as const })));
        case 'PRIVATE KEY':
        case 'RSA PRIVATE KEY':
        case 'EC PRIVATE KEY':
          return describe(createPrivateKey(bare({ key: text, format: 'pem' as const })));
        default:
          throw err('ERR_KEY_INVALID', 'unsupported PEM type');
      }
    } catch (cause) {
      if (cause instanceof JotError) throw cause;
      throw err('ERR_KEY_INVALID', 'the PEM document does not hold a valid key', cause);
    }
  },

  fromJwk(jwk: JwkMembers, isPrivate: boolean): KeyDescription {
    if (jwk.kty === 'oct') return describe(createSecretKey(bytesFromB64u(jwk.k ?? '')));
    return describe(nodeJwk(jwk, isPrivate));
  },

  fromNative(material: unknown): KeyDescription | undefined {
    if (material instanceof KeyObject) return describe(material);
    if (typeof CryptoKey !== 'undefined' && material instanceof CryptoKey) return describe(KeyObject.from(material));
    return undefined;
  },

  ecPublicOf(crv: string, d: Uint8Array): { x: string; y: string } {
    const ecdh = createECDH(ECDH_CURVES[crv]!);
    try {
      ecdh.setPrivateKey(d);
    } catch (cause) {
      throw err('ERR_KEY_INVALID', 'the JWK "d" is not a valid private scalar', cause);
    }
    const point = ecdh.getPublicKey(); // 04 || x || y
    const size = (point.byteLength - 1) / 2;
    return { x: b64uFromBytes(point.subarray(1, 1 + size)), y: b64uFromBytes(point.subarray(1 + size)) };
  },

  okpPublicOf(d: KeyDescription): { x: string } {
    return { x: b64uFromBytes(d.x!) };
  },

  exportJwk(h: KeyHandle, includePrivate: boolean): JwkMembers {
    const source = (includePrivate ? h.native : (h.publicNative ?? h.native)) as KeyObject;
    return source.export(bare({ format: 'jwk' as const })) as JwkMembers;
  },

  exportPem(h: KeyHandle, isPrivate: boolean): string {
    const type = isPrivate ? ('pkcs8' as const) : ('spki' as const);
    return (h.native as KeyObject).export(bare({ format: 'pem' as const, type })) as string;
  },
});
