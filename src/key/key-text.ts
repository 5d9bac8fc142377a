/**
 * Is this byte string the text (or the binary form) of a key? Used once per key import to refuse key material as an
 * HMAC or key-wrapping secret (RS256 -> HS256 confusion through a configured "secret", attacks A04/A05).
 *
 * Recognition parses instead of matching spellings:
 * - DER: a complete SEQUENCE shaped like a SubjectPublicKeyInfo, a certificate, a PKCS#1/PKCS#8/SEC1 key;
 * - the SSH wire format: a blob whose first string is a key type name (`ssh-rsa`, `ecdsa-sha2-*`, `sk-*`,
 *   `*-cert-v01@openssh.com`, any future one), or an `openssh-key-v1` private key;
 * - base64 text: any word, and the base64 lines joined (PEM and RFC 4716 bodies, PuTTY files), decoded and
 *   checked as DER and SSH blobs, so the armour's spelling does not matter;
 * - armour lines of any dash count, spacing and case (`-----BEGIN X-----`, `---- BEGIN SSH2 PUBLIC KEY ----`);
 * - OpenSSH lines (`ssh-... AAAA...`), whatever follows;
 * - JSON: a JWK or a JWK set, or any JSON holding an object with a `kty` member (after JSON unescaping, with a BOM
 *   or whitespace around it), or a JSON string holding key text;
 * - and, as the attack catalogue requires, any text containing `-----BEGIN`, `ssh-` or `ecdsa-sha2-`.
 *
 * A uniformly random secret of 32 bytes or more matches with probability below 2^-30 (a DER match needs a
 * self-consistent nested length structure; an SSH match needs three zero bytes and a printable type name).
 * Linear in the input's length.
 */

import { bytesFromB64u } from '#crypto/bytes';
import { derChildren, derElement, type Tlv } from '../encoding/der.js';
export function isKeyText(bytes: Uint8Array): boolean {
  return keyText(bytes, 0);
}

const MAX_NESTING = 2; // key text inside a JSON string inside ...: enough for every real form
const MAX_JSON_NODES = 10_000;

function keyText(bytes: Uint8Array, depth: number): boolean {
  if (isDerKey(bytes) || isSshBlob(bytes)) return true;
  const text = decodeText(bytes);
  return hasMarker(text) || hasArmour(text) || hasOpenSshLine(text) || hasBase64Key(text) || isJsonKey(text, depth);
}

/**
 * The attack catalogue's floor (A05): material containing `-----BEGIN` (any case), `ssh-` or `ecdsa-sha2-` is never
 * a secret, even where nothing parses. A random 32-byte secret contains one with probability about 2^-27; base64
 * text of a random secret, about 2^-18 per 64 characters (then draw another secret).
 */
function hasMarker(text: string): boolean {
  return text.includes('ssh-') || text.includes('ecdsa-sha2-') || lowerIncludes(text, '-----begin');
}

function lowerIncludes(text: string, word: string): boolean {
  for (let i = text.indexOf('-----'); i >= 0; i = text.indexOf('-----', i + 1)) {
    if (lowerAt(text, i + 5, word.slice(5))) return true;
  }
  return false;
}

/** UTF-8 (or UTF-16 with a BOM), never throwing, with a leading BOM removed. */
function decodeText(bytes: Uint8Array): string {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) {
    return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  }
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  }
  return new TextDecoder('utf-8', { ignoreBOM: false }).decode(bytes);
}

// --- DER -------------------------------------------------------------------------------------------------------

const SEQUENCE = 0x30;
const INTEGER = 0x02;
const BIT_STRING = 0x03;
const OCTET_STRING = 0x04;
const OID = 0x06;

/** An AlgorithmIdentifier: SEQUENCE { OID, ... }. */
function isAlgorithmId(b: Uint8Array, t: Tlv | undefined): boolean {
  if (t?.tag !== SEQUENCE) return false;
  const kids = derChildren(b, t.start, t.end);
  return kids !== undefined && kids.length >= 1 && kids[0]!.tag === OID;
}

/**
 * A complete DER key structure: SubjectPublicKeyInfo, Certificate (and CRL/CSR shapes), PKCS#1 RSAPublicKey and
 * RSAPrivateKey, PKCS#8 PrivateKeyInfo, SEC1 ECPrivateKey.
 */
function isDerKey(b: Uint8Array): boolean {
  const top = derElement(b, 0, b.length);
  if (top === undefined || top.tag !== SEQUENCE || top.end !== b.length) return false;
  const k = derChildren(b, top.start, top.end);
  if (k === undefined || k.length < 2) return false;
  const [a, c] = [k[0]!, k[1]!];
  // SubjectPublicKeyInfo: SEQUENCE { AlgorithmIdentifier, BIT STRING }
  if (k.length === 2 && isAlgorithmId(b, a) && c.tag === BIT_STRING) return true;
  // Certificate, CertificationRequest, CertificateList: SEQUENCE { SEQUENCE, AlgorithmIdentifier, BIT STRING }
  if (k.length === 3 && a.tag === SEQUENCE && isAlgorithmId(b, c) && k[2]!.tag === BIT_STRING) {
    return derChildren(b, a.start, a.end) !== undefined;
  }
  // PKCS#1 RSAPublicKey: SEQUENCE { INTEGER n, INTEGER e }
  if (k.length === 2 && a.tag === INTEGER && c.tag === INTEGER && a.end - a.start >= 64) return true;
  if (a.tag !== INTEGER || a.end - a.start !== 1) return false;
  // PKCS#8: SEQUENCE { INTEGER 0|1, AlgorithmIdentifier, OCTET STRING, ... }
  if (k.length >= 3 && isAlgorithmId(b, c) && k[2]!.tag === OCTET_STRING) return true;
  // SEC1 ECPrivateKey: SEQUENCE { INTEGER 1, OCTET STRING, [0] params?, [1] publicKey? }
  if (b[a.start] === 1 && c.tag === OCTET_STRING && k.slice(2).every((t) => t.tag === 0xa0 || t.tag === 0xa1)) {
    return true;
  }
  // PKCS#1 RSAPrivateKey: SEQUENCE { INTEGER version, 8 INTEGERs, ... }
  return k.length >= 9 && k.slice(0, 9).every((t) => t.tag === INTEGER);
}

// --- SSH wire format ---------------------------------------------------------------------------------------------

const OPENSSH_PRIVATE_MAGIC = 'openssh-key-v1\0';

function isTypeNameByte(c: number): boolean {
  // a-z, 0-9, '-', '.', '@', '_', '+'
  return (
    (c >= 0x61 && c <= 0x7a) ||
    (c >= 0x30 && c <= 0x39) ||
    c === 0x2d ||
    c === 0x2e ||
    c === 0x40 ||
    c === 0x5f ||
    c === 0x2b
  );
}

/**
 * An SSH public key or certificate blob (RFC 4253 section 6.6: `string` type name, then the key's fields), or the
 * `openssh-key-v1` private key format. Only the leading type name is required, so truncated copies count too.
 */
function isSshBlob(b: Uint8Array): boolean {
  if (b.length >= OPENSSH_PRIVATE_MAGIC.length) {
    let magic = true;
    for (let i = 0; i < OPENSSH_PRIVATE_MAGIC.length && magic; i++) {
      magic = b[i] === OPENSSH_PRIVATE_MAGIC.charCodeAt(i);
    }
    if (magic) return true;
  }
  if (b.length < 4 + 7) return false;
  const n = ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0;
  if (n < 7 || n > 64 || 4 + n > b.length) return false;
  let dash = false;
  for (let i = 4; i < 4 + n; i++) {
    const c = b[i]!;
    if (!isTypeNameByte(c)) return false;
    if (c === 0x2d) dash = true;
  }
  // every SSH key type name has a dash: ssh-rsa, ssh-dss, ssh-ed25519, ecdsa-sha2-nistp256, sk-..., x509v3-...
  return dash;
}

// --- text forms ------------------------------------------------------------------------------------------------

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x0b || c === 0x0c;
}

function lowerAt(text: string, i: number, word: string): boolean {
  if (i + word.length > text.length) return false;
  for (let j = 0; j < word.length; j++) {
    const c = text.charCodeAt(i + j) | 0x20;
    if (c !== word.charCodeAt(j)) return false;
  }
  return true;
}

/**
 * An armour line of any spelling: at least two dashes, optional spaces or tabs, `BEGIN` or `END` in any case, a label
 * after a space, and at least two dashes before the line ends (`-----BEGIN PUBLIC KEY-----`,
 * `---- BEGIN SSH2 PUBLIC KEY ----`, `-----begin rsa public key-----`, `--- BEGIN X ---`).
 */
function hasArmour(text: string): boolean {
  for (let i = text.indexOf('--'); i >= 0; i = text.indexOf('--', i + 1)) {
    let j = i;
    while (text.charCodeAt(j) === 0x2d) j++;
    while (text.charCodeAt(j) === 0x20 || text.charCodeAt(j) === 0x09) j++;
    let word = 0;
    if (lowerAt(text, j, 'begin')) word = 5;
    else if (lowerAt(text, j, 'end')) word = 3;
    const after = text.charCodeAt(j + word);
    if (word === 0 || (after !== 0x20 && after !== 0x09)) continue;
    // the rest of the line must hold a run of at least two dashes
    let dashes = 0;
    for (let k = j + word; k < text.length; k++) {
      const c = text.charCodeAt(k);
      if (c === 0x0a || c === 0x0d) break;
      dashes = c === 0x2d ? dashes + 1 : 0;
      if (dashes >= 2) return true;
    }
    i = j;
  }
  return false;
}

function words(text: string): string[] {
  const out: string[] = [];
  let start = -1;
  for (let i = 0; i <= text.length; i++) {
    const space = i === text.length || isSpace(text.charCodeAt(i));
    if (space && start >= 0) {
      out.push(text.slice(start, i));
      start = -1;
    } else if (!space && start < 0) {
      start = i;
    }
  }
  return out;
}

/** An SSH key type word: `ssh-...`, `ecdsa-sha2-...`, `sk-...`, `rsa-sha2-...`, `x509v3-...` (authorized_keys, known_hosts). */
function isSshTypeWord(w: string): boolean {
  const l = w.toLowerCase();
  return (
    l.length > 4 &&
    (l.startsWith('ssh-') ||
      l.startsWith('ecdsa-sha2-') ||
      (l.startsWith('sk-') && l.includes('@')) ||
      l.startsWith('rsa-sha2-') ||
      l.startsWith('x509v3-'))
  );
}

/** An OpenSSH public key or certificate line: a key type word followed by a base64 word (whatever it decodes to). */
function hasOpenSshLine(text: string): boolean {
  const w = words(text);
  for (let i = 0; i + 1 < w.length; i++) {
    if (isSshTypeWord(w[i]!) && isBase64(w[i + 1]!) && w[i + 1]!.length >= 8) return true;
  }
  return false;
}

function isBase64Char(c: number): boolean {
  return (
    (c >= 0x41 && c <= 0x5a) ||
    (c >= 0x61 && c <= 0x7a) ||
    (c >= 0x30 && c <= 0x39) ||
    c === 0x2b ||
    c === 0x2f ||
    c === 0x2d ||
    c === 0x5f ||
    c === 0x3d
  );
}

function isBase64(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) if (!isBase64Char(s.charCodeAt(i))) return false;
  return true;
}

/** Decodes standard or URL-safe base64, padded or not. */
function decodeBase64(s: string): Uint8Array {
  return bytesFromB64u(s); // both alphabets, padded or not
}

function isKeyBlob(s: string): boolean {
  if (s.length < 8) return false;
  const b = decodeBase64(s);
  return isDerKey(b) || isSshBlob(b);
}

/**
 * Base64 that decodes to a DER key or an SSH blob: any maximal run of base64 characters (an OpenSSH line's blob, an
 * `x5c` entry, a value after `key=` or inside quotes), and the base64-only lines joined (the body of a PEM or
 * RFC 4716 document whatever its armour, a PuTTY key file's lines).
 */
function hasBase64Key(text: string): boolean {
  let start = -1;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 0;
    if (isBase64Char(c) && c !== 0x3d) {
      if (start < 0) start = i;
      continue;
    }
    if (start >= 0) {
      let end = i;
      while (end < text.length && end - i < 2 && text.charCodeAt(end) === 0x3d) end++;
      if (isKeyBlob(text.slice(start, end))) return true;
      start = -1;
    }
  }
  let joined = '';
  for (const rawLine of text.split(/\r\n|\r|\n/)) {
    const line = rawLine.trim();
    if (isBase64(line)) joined += line;
  }
  return isKeyBlob(joined);
}

/** A JWK or JWK set in any JSON spelling, or JSON whose strings hold key text. */
function isJsonKey(text: string, depth: number): boolean {
  if (hasKtyMember(text)) return true;
  const t = text.trim();
  const first = t.charCodeAt(0);
  if (first !== 0x7b && first !== 0x5b && first !== 0x22) return false; // { [ "
  let value: unknown;
  try {
    value = JSON.parse(t);
  } catch {
    return false;
  }
  let nodes = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    if (++nodes > MAX_JSON_NODES) return false;
    const v = stack.pop();
    if (typeof v === 'string') {
      if (depth < MAX_NESTING && v.length >= 16 && keyText(new TextEncoder().encode(v), depth + 1)) return true;
    } else if (Array.isArray(v)) {
      for (const x of v) stack.push(x);
    } else if (typeof v === 'object' && v !== null) {
      if (Object.hasOwn(v, 'kty')) return true;
      for (const x of Object.values(v)) stack.push(x);
    }
  }
  return false;
}

/** `"kty"` followed by optional whitespace and a colon: a JWK member even in JSON that does not parse. */
function hasKtyMember(text: string): boolean {
  for (let i = text.indexOf('"kty"'); i >= 0; i = text.indexOf('"kty"', i + 1)) {
    let j = i + 5;
    while (j < text.length && isSpace(text.charCodeAt(j))) j++;
    if (text.charCodeAt(j) === 0x3a) return true;
  }
  return false;
}
