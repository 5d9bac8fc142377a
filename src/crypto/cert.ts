import { derElement, type Tlv } from '../encoding/der.js';
import { err, type JotError } from '../errors.js';

// ---- X.509 certificates (RFC 5280 section 4.1) read with jot's DER walker, for the chain policy of keyset/x509.ts
// (both implementations) and the WebCrypto signature checks of crypto/web/x509.ts. Strict: definite minimal lengths,
// every element where the grammar puts it, nothing after the certificate, each extension at most once. ----

/** A certificate as the chain policy reads it: byte ranges of the DER, and the decoded fields it checks. */
export interface Certificate {
  /** The whole certificate. */
  readonly der: Uint8Array;
  /** The signed part (tbsCertificate, tag and length included). */
  readonly tbs: Uint8Array;
  /** The outer signatureAlgorithm (AlgorithmIdentifier DER, equal to the inner one). */
  readonly sigAlg: Uint8Array;
  /** The signatureValue bits (no unused bits). */
  readonly signature: Uint8Array;
  /** The DER of the issuer and subject Names, compared byte for byte. */
  readonly issuer: Uint8Array;
  readonly subject: Uint8Array;
  /** Validity in milliseconds since the epoch, both ends included. */
  readonly notBefore: number;
  readonly notAfter: number;
  /** The SubjectPublicKeyInfo DER. */
  readonly spki: Uint8Array;
  /** basicConstraints cA. */
  readonly ca: boolean;
  /** basicConstraints pathLenConstraint, undefined when absent. */
  readonly pathLen: number | undefined;
  /** KeyUsage bits (bit 0 = digitalSignature, RFC 5280 order), undefined when absent. */
  readonly keyUsage: number | undefined;
  /** Extended key usage OIDs (dotted), undefined when absent. */
  readonly extKeyUsage: readonly string[] | undefined;
  /** subjectKeyIdentifier and authorityKeyIdentifier's keyIdentifier, when present. */
  readonly subjectKeyId: Uint8Array | undefined;
  readonly authorityKeyId: Uint8Array | undefined;
}

export const DIGITAL_SIGNATURE = 1 << 0;
export const KEY_CERT_SIGN = 1 << 5;

const SEQUENCE = 0x30;
const BOOLEAN = 0x01;
const INTEGER = 0x02;
const BIT_STRING = 0x03;
const OCTET_STRING = 0x04;
const OID = 0x06;

/** Extensions the policy reads, and those it may ignore even when critical (they restrict nothing jot decides). */
const BASIC_CONSTRAINTS = '551d13';
const KEY_USAGE = '551d0f';
const EXT_KEY_USAGE = '551d25';
const SUBJECT_KEY_ID = '551d0e';
const AUTHORITY_KEY_ID = '551d23';
const IGNORABLE: ReadonlySet<string> = /* @__PURE__ */ new Set(['551d11', '551d12']); // subjectAltName, issuerAltName

const bad = (why: string): JotError => err('ERR_KEY_INVALID', `the certificate is malformed (${why})`);

export function hex(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += x.toString(16).padStart(2, '0');
  return s;
}

/** A DER element and the offset of its tag. */
interface El extends Tlv {
  readonly from: number;
}

/** The element at `off` within `limit`, with a minimal (DER) length encoding. */
function element(b: Uint8Array, off: number, limit: number): El {
  const t = derElement(b, off, limit);
  if (t === undefined) throw bad('an element is truncated or its length is not definite');
  const n = b[off + 1]!;
  if (n & 0x80 && (t.end - t.start < 0x80 || b[off + 2] === 0)) throw bad('a length is not minimal');
  return { tag: t.tag, start: t.start, end: t.end, from: off };
}

/** The elements that exactly fill `t` (of type `tag`), at most 64. */
function kids(b: Uint8Array, t: Tlv | undefined, tag: number): El[] {
  if (t?.tag !== tag) throw bad('an element has the wrong type');
  const out: El[] = [];
  for (let off = t.start; off < t.end; ) {
    if (out.length >= 64) throw bad('too many elements');
    const c = element(b, off, t.end);
    out.push(c);
    off = c.end;
  }
  return out;
}

const range = (b: Uint8Array, t: El): Uint8Array => b.subarray(t.from, t.end);
const content = (b: Uint8Array, t: Tlv | undefined, tag: number): Uint8Array => {
  if (t?.tag !== tag) throw bad('an element has the wrong type');
  return b.subarray(t.start, t.end);
};

/** UTCTime (YYMMDDHHMMSSZ) or GeneralizedTime (YYYYMMDDHHMMSSZ), as RFC 5280 section 4.1.2.5 requires them. */
function time(b: Uint8Array, t: Tlv | undefined): number {
  const text = t === undefined || t.end - t.start > 15 ? '' : String.fromCharCode(...b.subarray(t.start, t.end));
  const m =
    t?.tag === 0x17 ? /^(\d{2})(\d{10})Z$/.exec(text) : t?.tag === 0x18 ? /^(\d{4})(\d{10})Z$/.exec(text) : null;
  if (m === null) throw bad('a validity time');
  const year = m[1]!.length === 2 ? (Number(m[1]) < 50 ? 2000 : 1900) + Number(m[1]) : Number(m[1]);
  const [mo, d, h, mi, s] = [0, 2, 4, 6, 8].map((i) => Number(m[2]!.slice(i, i + 2)));
  const ms = Date.UTC(year, mo! - 1, d, h, mi, s);
  const back = new Date(ms);
  if (back.getUTCMonth() !== mo! - 1 || back.getUTCDate() !== d || h! > 23 || mi! > 59 || s! > 59) {
    throw bad('a validity time');
  }
  return ms;
}

function dottedOid(v: Uint8Array): string {
  if (v.length === 0 || v.length > 64 || (v[v.length - 1]! & 0x80) !== 0) throw bad('an object identifier');
  const parts: number[] = [];
  let n = 0;
  for (const x of v) {
    if (n === 0 && x === 0x80) throw bad('an object identifier');
    n = n * 128 + (x & 0x7f);
    if (n > Number.MAX_SAFE_INTEGER / 128) throw bad('an object identifier');
    if ((x & 0x80) === 0) {
      if (parts.length === 0) parts.push(n < 80 ? Math.floor(n / 40) : 2, n < 80 ? n % 40 : n - 80);
      else parts.push(n);
      n = 0;
    }
  }
  return parts.join('.');
}

interface Extensions {
  ca: boolean;
  pathLen: number | undefined;
  keyUsage: number | undefined;
  extKeyUsage: string[] | undefined;
  subjectKeyId: Uint8Array | undefined;
  authorityKeyId: Uint8Array | undefined;
}

function extension(id: string, v: Uint8Array, out: Extensions): void {
  const top = element(v, 0, v.length);
  if (top.end !== v.length) throw bad('bytes after an extension value');
  if (id === BASIC_CONSTRAINTS) {
    const k = kids(v, top, SEQUENCE);
    let i = 0;
    if (k[i]?.tag === BOOLEAN) out.ca = booleanOf(v, k[i++]!, true);
    if (k[i] !== undefined) out.pathLen = smallUint(v, k[i++]!);
    if (i !== k.length || (out.pathLen !== undefined && !out.ca)) throw bad('basicConstraints');
  } else if (id === KEY_USAGE) {
    const bits = content(v, top, BIT_STRING);
    if (bits.length < 2 || bits.length > 3 || bits[0]! > 7) throw bad('keyUsage');
    let u = 0;
    for (let i = 1; i < bits.length; i++) {
      for (let j = 0; j < 8; j++) if (bits[i]! & (0x80 >> j)) u |= 1 << ((i - 1) * 8 + j);
    }
    out.keyUsage = u;
  } else if (id === EXT_KEY_USAGE) {
    out.extKeyUsage = kids(v, top, SEQUENCE).map((t) => dottedOid(content(v, t, OID)));
    if (out.extKeyUsage.length === 0) throw bad('extKeyUsage');
  } else if (id === SUBJECT_KEY_ID) {
    out.subjectKeyId = content(v, top, OCTET_STRING);
  } else if (id === AUTHORITY_KEY_ID) {
    const first = kids(v, top, SEQUENCE)[0];
    if (first?.tag === 0x80) out.authorityKeyId = v.subarray(first.start, first.end);
  }
}

function booleanOf(b: Uint8Array, t: Tlv, mustBeTrue: boolean): boolean {
  const v = content(b, t, BOOLEAN);
  if (v.length !== 1 || (v[0] !== 0xff && v[0] !== 0) || (mustBeTrue && v[0] !== 0xff)) throw bad('a BOOLEAN');
  return v[0] === 0xff;
}

function smallUint(b: Uint8Array, t: Tlv): number {
  const v = content(b, t, INTEGER);
  if (v.length === 0 || v.length > 4 || v[0]! & 0x80 || (v.length > 1 && v[0] === 0 && !(v[1]! & 0x80))) {
    throw bad('an INTEGER');
  }
  return v.reduce((n, x) => n * 256 + x, 0);
}

/** Read a DER certificate; any departure from the grammar is `ERR_KEY_INVALID`. */
export function parseCertificate(der: Uint8Array): Certificate {
  const outer = element(der, 0, der.length);
  if (outer.end !== der.length) throw bad('bytes after the certificate');
  const [tbsT, algT, sigT, extra] = kids(der, outer, SEQUENCE);
  if (extra !== undefined || sigT === undefined) throw bad('the certificate has the wrong shape');
  const sigBits = content(der, sigT, BIT_STRING);
  if (sigBits[0] !== 0) throw bad('the signature');
  const tbs = kids(der, tbsT, SEQUENCE);
  let i = 0;
  let version = 0;
  if (tbs[0]?.tag === 0xa0) {
    const [ver, more] = kids(der, tbs[0], 0xa0);
    version = ver === undefined ? 0 : smallUint(der, ver);
    if (more !== undefined || version === 0 || version > 2) throw bad('the version');
    i = 1;
  }
  content(der, tbs[i++], INTEGER); // serialNumber
  const inner = tbs[i++];
  kids(der, inner, SEQUENCE);
  kids(der, algT, SEQUENCE);
  if (!sameBytes(range(der, inner!), range(der, algT!))) throw bad('the two signature algorithms differ');
  const [issuerT, validityT, subjectT, spkiT] = [tbs[i++], tbs[i++], tbs[i++], tbs[i++]];
  kids(der, issuerT, SEQUENCE);
  kids(der, subjectT, SEQUENCE);
  kids(der, spkiT, SEQUENCE);
  const validity = kids(der, validityT, SEQUENCE);
  if (validity.length !== 2) throw bad('the validity');
  const ext: Extensions = {
    ca: false,
    pathLen: undefined,
    keyUsage: undefined,
    extKeyUsage: undefined,
    subjectKeyId: undefined,
    authorityKeyId: undefined,
  };
  if (tbs[i]?.tag === 0x81) i++; // issuerUniqueID
  if (tbs[i]?.tag === 0x82) i++; // subjectUniqueID
  if (tbs[i]?.tag === 0xa3) {
    if (version !== 2) throw bad('extensions in a version 1 certificate');
    const [list, more] = kids(der, tbs[i], 0xa3);
    if (more !== undefined) throw bad('the extensions');
    const seen = new Set<string>();
    for (const e of kids(der, list, SEQUENCE)) {
      const parts = kids(der, e, SEQUENCE);
      const oid = content(der, parts[0], OID);
      const id = hex(oid);
      const critical = parts.length === 3 && booleanOf(der, parts[1]!, true);
      if (parts.length !== (critical ? 3 : 2) || seen.has(id)) throw bad('an extension');
      seen.add(id);
      extension(id, content(der, parts[parts.length - 1], OCTET_STRING), ext);
      const known = [BASIC_CONSTRAINTS, KEY_USAGE, EXT_KEY_USAGE, SUBJECT_KEY_ID, AUTHORITY_KEY_ID].includes(id);
      if (critical && !known && !IGNORABLE.has(id)) {
        throw err('ERR_KEY_INVALID', `the certificate has an unknown critical extension (${dottedOid(oid)})`);
      }
    }
    i++;
  }
  if (i !== tbs.length) throw bad('the certificate has the wrong shape');
  return Object.freeze({
    der,
    tbs: range(der, tbsT!),
    sigAlg: range(der, algT!),
    signature: sigBits.subarray(1),
    issuer: range(der, issuerT!),
    subject: range(der, subjectT!),
    notBefore: time(der, validity[0]),
    notAfter: time(der, validity[1]),
    spki: range(der, spkiT!),
    ...ext,
  });
}

/** The same bytes? (Public data: names, algorithm identifiers, certificates.) */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
