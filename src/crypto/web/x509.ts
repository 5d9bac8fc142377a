// X.509 signatures over WebCrypto (`#crypto/x509`, web): crypto/cert.ts has read the certificates; here the issuer's
// SubjectPublicKeyInfo becomes a WebCrypto key and checks the child's signature over its tbsCertificate.
// RSASSA-PKCS1-v1_5 and RSASSA-PSS (SHA-2, MGF1 with the same hash), ECDSA (SHA-2; the DER signature turned into
// r||s of the curve's exact size) and Ed25519. Anything else is ERR_JOSE_NOT_SUPPORTED, never a weaker check.
import { err, JotError } from '../../errors.js';
import type { JwkMembers, X509Backend } from '../backend.js';
import { type Certificate, hex } from '../cert.js';
import { derElement, type Tlv } from '../../encoding/der.js';
import { b64FromBytes } from './bytes.js';
import { fromSpki } from './der-keys.js';
import { subtle } from './keys.js';

const HASHES: Readonly<Record<string, string>> = /* @__PURE__ */ Object.freeze({
  '608648016503040201': 'SHA-256',
  '608648016503040202': 'SHA-384',
  '608648016503040203': 'SHA-512',
});
const PKCS1: Readonly<Record<string, string>> = /* @__PURE__ */ Object.freeze({
  '2a864886f70d01010b': 'SHA-256',
  '2a864886f70d01010c': 'SHA-384',
  '2a864886f70d01010d': 'SHA-512',
});
const ECDSA: Readonly<Record<string, string>> = /* @__PURE__ */ Object.freeze({
  '2a8648ce3d040302': 'SHA-256',
  '2a8648ce3d040303': 'SHA-384',
  '2a8648ce3d040304': 'SHA-512',
});
const PSS = '2a864886f70d01010a';
const MGF1 = '2a864886f70d010108';
const ED25519 = '2b6570';
const CURVE_BYTES: Readonly<Record<string, number>> = /* @__PURE__ */ Object.freeze({
  'P-256': 32,
  'P-384': 48,
  'P-521': 66,
});
const OKP_ED25519 = 'Ed25519'; // WebCrypto's algorithm name and the JWK curve

const unsupported = (what: string) =>
  err('ERR_JOSE_NOT_SUPPORTED', `${what} certificate signatures are not supported on this runtime`);

/** The elements filling [start, end), or undefined. */
function list(b: Uint8Array, t: Tlv | undefined, tag = 0x30): Tlv[] | undefined {
  if (t?.tag !== tag) return undefined;
  const out: Tlv[] = [];
  for (let off = t.start; off < t.end; ) {
    const c = derElement(b, off, t.end);
    if (c === undefined || out.length > 8) return undefined;
    out.push(c);
    off = c.end;
  }
  return out;
}

const bytes = (b: Uint8Array, t: Tlv) => b.subarray(t.start, t.end);

/** An AlgorithmIdentifier: its OID (hex) and its parameters, if any. */
function algorithmId(b: Uint8Array): { oid: string; params: Tlv | undefined; b: Uint8Array } {
  const k = list(b, derElement(b, 0, b.length));
  if (k === undefined || k[0]?.tag !== 0x06 || k.length > 2) throw unsupported('these');
  return { oid: hex(bytes(b, k[0])), params: k[1], b };
}

/** The hash of a hashAlgorithm AlgorithmIdentifier (parameters absent or NULL). */
function hashOf(b: Uint8Array, t: Tlv | undefined): string | undefined {
  const k = list(b, t);
  if (k === undefined || k[0]?.tag !== 0x06 || k.length > 2) return undefined;
  if (k[1] !== undefined && (k[1].tag !== 0x05 || k[1].end !== k[1].start)) return undefined;
  return HASHES[hex(bytes(b, k[0]))];
}

/** RSASSA-PSS-params (RFC 4055): explicit SHA-2 hash, MGF1 with the same hash, trailer 1. */
function pssParams(b: Uint8Array, params: Tlv | undefined): { hash: string; saltLength: number } {
  const k = list(b, params);
  const fields = new Map<number, Tlv>();
  for (const t of k ?? []) {
    const inner = derElement(b, t.start, t.end);
    if (inner === undefined || inner.end !== t.end || fields.has(t.tag)) throw unsupported('these RSA-PSS');
    fields.set(t.tag, inner);
  }
  const hash = hashOf(b, fields.get(0xa0));
  const mgf = list(b, fields.get(0xa1));
  if (hash === undefined || mgf === undefined || mgf.length !== 2 || mgf[0]!.tag !== 0x06) {
    throw unsupported('these RSA-PSS'); // SHA-1 defaults and other mask functions
  }
  if (hex(bytes(b, mgf[0]!)) !== MGF1 || hashOf(b, mgf[1]) !== hash) throw unsupported('these RSA-PSS');
  let saltLength = 20;
  const salt = fields.get(0xa2);
  if (salt !== undefined) {
    const v = bytes(b, salt);
    if (salt.tag !== 0x02 || v.length === 0 || v.length > 2 || v[0]! & 0x80) throw unsupported('these RSA-PSS');
    saltLength = v.reduce((n, x) => n * 256 + x, 0);
  }
  const trailer = fields.get(0xa3);
  if (trailer !== undefined && !(trailer.tag === 0x02 && trailer.end - trailer.start === 1 && b[trailer.start] === 1)) {
    throw unsupported('these RSA-PSS');
  }
  if ([...fields.keys()].some((tag) => tag < 0xa0 || tag > 0xa3)) throw unsupported('these RSA-PSS');
  return { hash, saltLength };
}

/** An ECDSA-Sig-Value (SEQUENCE of two positive minimal INTEGERs) as r||s of `size` bytes each, or undefined. */
function rawEcdsa(sig: Uint8Array, size: number): Uint8Array | undefined {
  const top = derElement(sig, 0, sig.length);
  if (top === undefined || top.end !== sig.length) return undefined;
  const k = list(sig, top);
  if (k === undefined || k.length !== 2) return undefined;
  const out = new Uint8Array(2 * size);
  for (let i = 0; i < 2; i++) {
    const t = k[i]!;
    let v = bytes(sig, t);
    if (t.tag !== 0x02 || v.length === 0 || v[0]! & 0x80) return undefined;
    if (v.length > 1 && v[0] === 0 && !(v[1]! & 0x80)) return undefined; // not minimal
    if (v[0] === 0 && v.length > 1) v = v.subarray(1);
    if (v.length > size) return undefined;
    out.set(v, (i + 1) * size - v.length);
  }
  return out;
}

/** The WebCrypto verify parameters for `child`'s signature with `key` (the issuer's), or false on a mismatch. */
function plan(child: Certificate, key: JwkMembers): { imp: Algorithm; ver: Algorithm; sig: Uint8Array } | false {
  const { oid, params, b } = algorithmId(child.sigAlg);
  const noParams = params === undefined;
  const nullParams = params !== undefined && params.tag === 0x05 && params.end === params.start;
  if (PKCS1[oid] !== undefined) {
    if (!noParams && !nullParams) throw unsupported('these RSA');
    if (key.kty !== 'RSA') return false;
    const imp = { name: 'RSASSA-PKCS1-v1_5', hash: PKCS1[oid] } as Algorithm;
    return { imp, ver: imp, sig: child.signature };
  }
  if (oid === PSS) {
    const { hash, saltLength } = pssParams(b, params);
    if (key.kty !== 'RSA') return false;
    return {
      imp: { name: 'RSA-PSS', hash } as Algorithm,
      ver: { name: 'RSA-PSS', saltLength } as Algorithm,
      sig: child.signature,
    };
  }
  if (ECDSA[oid] !== undefined) {
    if (!noParams) throw unsupported('these ECDSA');
    if (key.kty !== 'EC') return false;
    const size = CURVE_BYTES[key.crv!];
    if (size === undefined) throw unsupported(`${key.crv} ECDSA`);
    const sig = rawEcdsa(child.signature, size);
    if (sig === undefined) return false;
    return {
      imp: { name: 'ECDSA', namedCurve: key.crv } as Algorithm,
      ver: { name: 'ECDSA', hash: ECDSA[oid] } as Algorithm,
      sig,
    };
  }
  if (oid === ED25519) {
    if (!noParams) throw unsupported('these EdDSA');
    if (key.kty !== 'OKP' || key.crv !== OKP_ED25519) return false;
    const imp = { name: OKP_ED25519 };
    return { imp, ver: imp, sig: child.signature };
  }
  throw unsupported('these');
}

async function verify(child: Certificate, issuer: Certificate): Promise<boolean> {
  const read = fromSpki(issuer.spki); // RSA-PSS-only keys (id-RSASSA-PSS) are ERR_JOSE_NOT_SUPPORTED here
  if (!('jwk' in read)) return false;
  const p = plan(child, read.jwk);
  if (p === false) return false;
  let key: CryptoKey;
  try {
    key = await subtle().importKey('jwk', { ...read.jwk, ext: true } as JsonWebKey, p.imp, false, ['verify']);
  } catch (cause) {
    const name = (cause as { name?: unknown } | null)?.name;
    if (name === 'NotSupportedError')
      throw err('ERR_JOSE_NOT_SUPPORTED', 'the issuer key type is not supported', cause);
    return false;
  }
  try {
    return await subtle().verify(p.ver, key, p.sig as BufferSource, child.tbs as BufferSource);
  } catch (cause) {
    if ((cause as { name?: unknown } | null)?.name === 'NotSupportedError') throw unsupported('these');
    return false;
  }
}

const pem = (der: Uint8Array) => `-----BEGIN PUBLIC KEY-----\n${b64FromBytes(der)}\n-----END PUBLIC KEY-----\n`;

export const x509: X509Backend = /* @__PURE__ */ Object.freeze({
  name: 'web' as const,
  accept(): void {},
  nativeDer(): Uint8Array | undefined {
    return undefined;
  },
  async signedBy(child: Certificate, issuer: Certificate): Promise<boolean> {
    try {
      return await verify(child, issuer);
    } catch (e) {
      if (e instanceof JotError && e.code === 'ERR_JOSE_NOT_SUPPORTED') throw e;
      return false;
    }
  },
  publicKey(cert: Certificate): unknown {
    return pem(cert.spki);
  },
});
