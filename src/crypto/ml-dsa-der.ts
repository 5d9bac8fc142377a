import { type MlDsaParameters, mlDsaParametersByOid } from '../alg/ml-dsa.js';
import { concatAll } from '../encoding/bytes.js';
import { err } from '../errors.js';

// ---- DER: the two fixed shapes of draft-ietf-lamps-dilithium-certificates (SPKI, seed-only PKCS#8) ----

function derLength(n: number): number[] {
  if (n < 0x80) return [n];
  if (n < 0x100) return [0x81, n];
  return [0x82, n >> 8, n & 0xff];
}

function tlv(tag: number, body: Uint8Array): Uint8Array {
  const head = [tag, ...derLength(body.byteLength)];
  const out = new Uint8Array(head.length + body.byteLength);
  out.set(head);
  out.set(body, head.length);
  return out;
}

/** AlgorithmIdentifier: the OID and no parameters (they MUST be absent). */
const algorithmIdentifier = (p: MlDsaParameters): Uint8Array => tlv(0x30, tlv(0x06, p.oidDer));

/** SubjectPublicKeyInfo DER of an ML-DSA public key. */
export function mlDsaSpki(p: MlDsaParameters, pub: Uint8Array): Uint8Array {
  return tlv(0x30, concatAll([algorithmIdentifier(p), tlv(0x03, concatAll([Uint8Array.of(0), pub]))]));
}

/** PKCS#8 DER of an ML-DSA private key in the seed-only form: privateKey is `[0] IMPLICIT OCTET STRING (SIZE 32)`. */
export function mlDsaPkcs8(p: MlDsaParameters, seed: Uint8Array): Uint8Array {
  return tlv(0x30, concatAll([Uint8Array.of(0x02, 0x01, 0x00), algorithmIdentifier(p), tlv(0x04, tlv(0x80, seed))]));
}

/** A strict reader of one DER element: definite minimal lengths, no trailing bytes where `end` is given. */
class Der {
  at = 0;
  constructor(readonly b: Uint8Array) {}
  read(tag: number): Uint8Array {
    const b = this.b;
    if (b[this.at] !== tag) throw bad();
    let len = b[this.at + 1];
    let at = this.at + 2;
    if (len === undefined) throw bad();
    if (len >= 0x80) {
      const n = len & 0x7f;
      if (n < 1 || n > 2) throw bad();
      len = 0;
      for (let i = 0; i < n; i++) len = (len << 8) | (b[at + i] ?? -1);
      if (len < 0 || (n === 1 && len < 0x80) || (n === 2 && len < 0x100)) throw bad();
      at += n;
    }
    if (at + len > b.byteLength) throw bad();
    this.at = at + len;
    return b.subarray(at, at + len);
  }
  end(): void {
    if (this.at !== this.b.byteLength) throw bad();
  }
}

const bad = () => err('ERR_KEY_INVALID', 'malformed ML-DSA key encoding');

/** The ML-DSA parameter set of an AlgorithmIdentifier, undefined when it names another algorithm. */
function readAlgorithm(outer: Der): MlDsaParameters | undefined {
  const id = new Der(outer.read(0x30));
  const oid = id.read(0x06);
  const p = mlDsaParametersByOid(oid);
  if (p !== undefined) id.end(); // parameters MUST be absent
  return p;
}

/** What an SPKI or PKCS#8 DER holds when it is an ML-DSA key; undefined for any other key (or unparsable text). */
export function parseMlDsaDer(
  der: Uint8Array,
  kind: 'spki' | 'pkcs8',
): { p: MlDsaParameters; pub?: Uint8Array; seed?: Uint8Array } | undefined {
  let outer: Der;
  let p: MlDsaParameters | undefined;
  try {
    const top = new Der(der);
    outer = new Der(top.read(0x30));
    top.end();
    if (kind === 'pkcs8') {
      const version = outer.read(0x02);
      if (version.byteLength !== 1 || (version[0] !== 0 && version[0] !== 1)) return undefined;
    }
    p = readAlgorithm(outer);
  } catch {
    return undefined; // not ours: node:crypto reports on other keys
  }
  if (p === undefined) return undefined;
  if (kind === 'spki') {
    const bits = outer.read(0x03);
    outer.end();
    if (bits[0] !== 0 || bits.byteLength - 1 !== p.publicKeyBytes) {
      throw err('ERR_KEY_INVALID', `an ${p.alg} public key is ${p.publicKeyBytes} bytes`);
    }
    return { p, pub: bits.slice(1) };
  }
  const inner = outer.read(0x04);
  // attributes [0] and a public key [1] (PKCS#8 v2) are not used by ML-DSA keys: refuse them rather than ignore.
  outer.end();
  if (inner[0] !== 0x80) {
    throw err('ERR_JOSE_NOT_SUPPORTED', 'only seed-only ML-DSA private keys are supported (not expandedKey or both)');
  }
  const d = new Der(inner);
  const seed = d.read(0x80);
  d.end();
  if (seed.byteLength !== p.seedBytes) throw err('ERR_KEY_INVALID', 'an ML-DSA seed is 32 bytes');
  return { p, seed: seed.slice() };
}
