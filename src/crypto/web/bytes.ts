// Byte codecs in plain JavaScript (`#crypto/bytes`, web): the same exports as the node module of the same name.

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const URL_CHARS = `${ALPHABET}-_`;
const STD_CHARS = `${ALPHABET}+/`;
// Value of each character of either alphabet, -1 for anything else.
const VALUE = new Int16Array(256).fill(-1);
for (let i = 0; i < 64; i++) {
  VALUE[URL_CHARS.charCodeAt(i)] = i;
  VALUE[STD_CHARS.charCodeAt(i)] = i;
}

function encode(bytes: Uint8Array, chars: string, pad: boolean): string {
  let out = '';
  const n = bytes.length;
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += chars[v >> 18]! + chars[(v >> 12) & 63]! + chars[(v >> 6) & 63]! + chars[v & 63]!;
  }
  if (i + 1 === n) {
    const v = bytes[i]! << 16;
    out += chars[v >> 18]! + chars[(v >> 12) & 63]! + (pad ? '==' : '');
  } else if (i + 2 === n) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += chars[v >> 18]! + chars[(v >> 12) & 63]! + chars[(v >> 6) & 63]! + (pad ? '=' : '');
  }
  return out;
}

/** Decode like node's Buffer: characters outside both alphabets are skipped, decoding stops at `=`. */
function decode(s: string): Uint8Array {
  const out = new Uint8Array(Math.floor((s.length * 3) / 4));
  let acc = 0;
  let bits = 0;
  let at = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x3d) break;
    const v = c < 256 ? VALUE[c]! : -1;
    if (v < 0) continue;
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[at++] = (acc >> bits) & 0xff;
    }
  }
  return out.subarray(0, at);
}

const encoder = new TextEncoder();

/** Bytes as base64url without padding. */
export function b64uFromBytes(bytes: Uint8Array): string {
  return encode(bytes, URL_CHARS, false);
}

/** A string's UTF-8 bytes as base64url without padding. */
export function b64uFromText(text: string): string {
  return encode(encoder.encode(text), URL_CHARS, false);
}

/** Lenient base64url (or base64) decode: foreign characters are skipped; the caller checks the length. */
export function bytesFromB64u(s: string): Uint8Array {
  return decode(s);
}

/** Bytes as standard base64 with padding. */
export function b64FromBytes(bytes: Uint8Array): string {
  return encode(bytes, STD_CHARS, true);
}

/** Standard base64 decode (validated by the caller). */
export function bytesFromB64(s: string): Uint8Array {
  return decode(s);
}

/** The UTF-8 length of a string (a lone surrogate counts as U+FFFD, three bytes, as in node). */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 4;
        i++;
      } else n += 3;
    } else n += 3;
  }
  return n;
}

/** The latin1 bytes of a string (one byte per UTF-16 unit, the low byte): the bytes of an ASCII string. */
export function latin1Bytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
  return out;
}

/** Hex text as bytes (stops at the first non-hex pair, as node does). */
export function bytesFromHex(s: string): Uint8Array {
  const out = new Uint8Array(s.length >> 1);
  for (let i = 0; i < out.length; i++) {
    const v = Number.parseInt(s.slice(2 * i, 2 * i + 2), 16);
    if (Number.isNaN(v)) return out.subarray(0, i);
    out[i] = v;
  }
  return out;
}

/** Bytes as lowercase hex. */
export function hexFromBytes(b: Uint8Array): string {
  let out = '';
  for (let i = 0; i < b.length; i++) out += b[i]!.toString(16).padStart(2, '0');
  return out;
}
