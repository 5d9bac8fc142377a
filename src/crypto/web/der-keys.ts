import { derChildren, derElement, type Tlv } from '../../encoding/der.js';
import { err } from '../../errors.js';
import type { JwkMembers } from '../backend.js';
import { b64uFromBytes } from './bytes.js';

// PEM and DER key structures read with jot's DER walker (encoding/der.ts), for runtimes whose crypto parses neither
// PKCS#1, SEC1 nor certificates: SubjectPublicKeyInfo, PKCS#8, PKCS#1 RSA keys, SEC1 EC keys and the public key of an
// X.509 certificate, turned into JWK members. What cannot be read without the platform (a private key whose public
// part is not written down) is returned as `pkcs8` for the caller to hand to WebCrypto.

const SEQUENCE = 0x30;
const INTEGER = 0x02;
const BIT_STRING = 0x03;
const OCTET_STRING = 0x04;
const OID = 0x06;

/** Dotted OIDs of the key algorithms and curves jot reads, by their DER content bytes (hex). */
const OIDS: Readonly<Record<string, string>> = Object.freeze({
  '2a864886f70d010101': 'rsa', // rsaEncryption
  '2a864886f70d01010a': 'rsa-pss', // id-RSASSA-PSS
  '2a8648ce3d0201': 'ec', // id-ecPublicKey
  '2b656e': 'x25519',
  '2b656f': 'x448',
  '2b6570': 'ed25519',
  '2b6571': 'ed448',
  '2a8648ce3d030107': 'P-256',
  '2b81040022': 'P-384',
  '2b81040023': 'P-521',
  '2b8104000a': 'secp256k1',
});

/** The JWK `kty`/`crv` of each OKP type. */
export const OKP_CURVES: Readonly<Record<string, string>> = Object.freeze({
  ed25519: 'Ed25519',
  ed448: 'Ed448',
  x25519: 'X25519',
  x448: 'X448',
});

/** A key read from DER: JWK members when complete; else the PKCS#8 for WebCrypto to complete. */
export type DerKey =
  | { readonly jwk: JwkMembers; readonly kind: 'public' | 'private' }
  | { readonly pkcs8: Uint8Array; readonly type: string; readonly crv?: string };

const bad = () => err('ERR_KEY_INVALID', 'the PEM document does not hold a valid key');
const unsupported = (what: string) => err('ERR_JOSE_NOT_SUPPORTED', `${what} keys are not supported on this runtime`);

function hex(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += x.toString(16).padStart(2, '0');
  return s;
}

function children(b: Uint8Array, t: Tlv | undefined, tag = SEQUENCE): Tlv[] {
  if (t?.tag !== tag) throw bad();
  const k = derChildren(b, t.start, t.end);
  if (k === undefined) throw bad();
  return k;
}

function top(b: Uint8Array): Tlv[] {
  const t = derElement(b, 0, b.length);
  if (t === undefined || t.end !== b.length) throw bad();
  return children(b, t);
}

const content = (b: Uint8Array, t: Tlv | undefined, tag: number): Uint8Array => {
  if (t?.tag !== tag) throw bad();
  return b.subarray(t.start, t.end);
};

/** A DER INTEGER as minimal unsigned base64url (RFC 7518 section 2). */
function uint(b: Uint8Array, t: Tlv | undefined): string {
  let v = content(b, t, INTEGER);
  while (v.length > 1 && v[0] === 0) v = v.subarray(1);
  return b64uFromBytes(v);
}

/** AlgorithmIdentifier: the key type and, for EC, the curve. */
function algorithm(b: Uint8Array, t: Tlv | undefined): { type: string; crv?: string } {
  const k = children(b, t);
  const type = OIDS[hex(content(b, k[0], OID))];
  if (type === undefined) throw unsupported('these');
  if (type === 'rsa-pss') throw unsupported('RSA-PSS (id-RSASSA-PSS)');
  if (type !== 'ec') return { type };
  const crv = OIDS[hex(content(b, k[1], OID))];
  if (crv === undefined) throw err('ERR_KEY_INVALID', 'unsupported elliptic curve');
  return { type, crv };
}

/** An uncompressed EC point as JWK coordinates. */
function point(p: Uint8Array, crv: string): JwkMembers {
  const size = (p.length - 1) / 2;
  if (p[0] !== 4 || !Number.isInteger(size)) throw unsupported('compressed EC point');
  return { kty: 'EC', crv, x: b64uFromBytes(p.subarray(1, 1 + size)), y: b64uFromBytes(p.subarray(1 + size)) };
}

function bitString(b: Uint8Array, t: Tlv | undefined): Uint8Array {
  const v = content(b, t, BIT_STRING);
  if (v[0] !== 0) throw bad();
  return v.subarray(1);
}

function rsaPublic(b: Uint8Array, k: Tlv[]): JwkMembers {
  if (k.length !== 2) throw bad();
  return { kty: 'RSA', n: uint(b, k[0]), e: uint(b, k[1]) };
}

function rsaPrivate(b: Uint8Array, k: Tlv[]): JwkMembers {
  if (k.length < 9 || content(b, k[0], INTEGER)[0] !== 0) throw unsupported('multi-prime RSA');
  const [n, e, d, p, q, dp, dq, qi] = k.slice(1, 9).map((t) => uint(b, t));
  return { kty: 'RSA', n, e, d, p, q, dp, dq, qi } as JwkMembers;
}

/** SubjectPublicKeyInfo DER. */
export function fromSpki(der: Uint8Array): DerKey {
  const k = top(der);
  if (k.length !== 2) throw bad();
  const { type, crv } = algorithm(der, k[0]);
  const key = bitString(der, k[1]);
  if (type === 'rsa') return { jwk: rsaPublic(key, top(key)), kind: 'public' };
  if (type === 'ec') return { jwk: point(key, crv!), kind: 'public' };
  return { jwk: { kty: 'OKP', crv: OKP_CURVES[type]!, x: b64uFromBytes(key) }, kind: 'public' };
}

/** SEC1 ECPrivateKey: complete only when it carries its public key. */
function ecPrivate(b: Uint8Array, k: Tlv[], crv: string | undefined, pkcs8: Uint8Array | undefined): DerKey {
  if (content(b, k[0], INTEGER)[0] !== 1) throw bad();
  const d = content(b, k[1], OCTET_STRING);
  let curve = crv;
  let pub: Uint8Array | undefined;
  for (const t of k.slice(2)) {
    const inner = children(b, t, t.tag);
    if (t.tag === 0xa0) curve = OIDS[hex(content(b, inner[0], OID))];
    else if (t.tag === 0xa1) pub = bitString(b, inner[0]);
  }
  if (curve === undefined) throw err('ERR_KEY_INVALID', 'unsupported elliptic curve');
  if (pub === undefined) {
    if (pkcs8 === undefined) throw unsupported('SEC1 EC private keys without their public key');
    return { pkcs8, type: 'ec', crv: curve };
  }
  return { jwk: { ...point(pub, curve), d: b64uFromBytes(d) }, kind: 'private' };
}

/** PKCS#8 PrivateKeyInfo DER. */
export function fromPkcs8(der: Uint8Array): DerKey {
  const k = top(der);
  if (k.length < 3) throw bad();
  const { type, crv } = algorithm(der, k[1]);
  const inner = content(der, k[2], OCTET_STRING);
  if (type === 'rsa') return { jwk: rsaPrivate(inner, top(inner)), kind: 'private' };
  if (type === 'ec') return ecPrivate(inner, top(inner), crv, der);
  return { pkcs8: der, type };
}

/** The SubjectPublicKeyInfo of an X.509 certificate. */
export function fromCertificate(der: Uint8Array): DerKey {
  const tbs = children(der, top(der)[0]);
  const at = tbs[0]?.tag === 0xa0 ? 6 : 5; // [0] version, serial, signature, issuer, validity, subject, spki
  const spki = tbs[at];
  if (spki === undefined) throw bad();
  return fromSpki(der.subarray(tbs[at - 1]!.end, spki.end));
}

/** The DER of a PEM document of `label`. */
export function fromPemDer(label: string, der: Uint8Array): DerKey {
  switch (label) {
    case 'PUBLIC KEY':
      return fromSpki(der);
    case 'PRIVATE KEY':
      return fromPkcs8(der);
    case 'RSA PUBLIC KEY':
      return { jwk: rsaPublic(der, top(der)), kind: 'public' };
    case 'RSA PRIVATE KEY':
      return { jwk: rsaPrivate(der, top(der)), kind: 'private' };
    case 'EC PRIVATE KEY':
      return ecPrivate(der, top(der), undefined, undefined);
    case 'CERTIFICATE':
      return fromCertificate(der);
    default:
      throw err('ERR_KEY_INVALID', 'unsupported PEM type');
  }
}
