import { b64FromBytes, b64uFromBytes, b64uFromText, bytesFromB64, bytesFromB64u, utf8Length } from '#crypto/bytes';
import { type JotErrorCode, err } from '../errors.js';

const ALPHABET = /^[A-Za-z0-9_-]*$/;
// Value of each base64url character, -1 for anything else.
const VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < 64; i++) {
  VALUE['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.charCodeAt(i)] = i;
}

/** Encode bytes as base64url without padding. */
export function b64uEncode(bytes: Uint8Array): string {
  return b64uFromBytes(bytes);
}

/** Encode a string's UTF-8 bytes as base64url without padding. */
export function b64uEncodeText(text: string): string {
  return b64uFromText(text);
}

/**
 * Is `s` canonical base64url: only `[A-Za-z0-9_-]`, no padding, length mod 4 != 1,
 * and zero unused trailing bits?
 */
export function isB64u(s: string): boolean {
  const rem = s.length & 3;
  if (rem === 1) return false;
  if (!ALPHABET.test(s)) return false;
  // rem 2: one byte, 4 bits unused; rem 3: two bytes, 2 bits unused.
  return rem === 0 || tailIsClean(s, rem);
}

/** Zero unused trailing bits in the last character (`rem` = length mod 4, 2 or 3). */
function tailIsClean(s: string, rem: number): boolean {
  const last = VALUE[s.charCodeAt(s.length - 1)]!;
  return rem === 2 ? (last & 0x0f) === 0 : (last & 0x03) === 0;
}

/**
 * Strictly decode base64url, throwing `code` for anything non-canonical: the same rule as {@link isB64u}, checked
 * on the decoder's output instead of by a regular expression over the input (which costs as much as decoding).
 * Node's decoder skips characters outside its alphabets and stops at `=`, so any such character leaves fewer bytes
 * than the length promises; what remains is what it would read as values: `+` and `/` (standard base64), and the
 * low byte of a non-ASCII character, each refused here.
 */
export function b64uDecode(s: string, code: JotErrorCode, what = 'segment'): Uint8Array {
  if (typeof s !== 'string') throw err(code, `${what} is not canonical base64url`);
  const rem = s.length & 3;
  if (rem !== 1) {
    const bytes = bytesFromB64u(s);
    if (
      bytes.byteLength === Math.floor((s.length * 3) / 4) &&
      s.indexOf('+') === -1 &&
      s.indexOf('/') === -1 &&
      utf8Length(s) === s.length &&
      (rem === 0 || tailIsClean(s, rem))
    ) {
      return bytes;
    }
  }
  throw err(code, `${what} is not canonical base64url`);
}

/**
 * Is `s` free of what node's base64url decoder would misread: `+`, `/` and non-ASCII characters? A token that is
 * may then have its segments decoded by {@link b64uDecodeSegment}, checking the whole token once. @internal
 */
export function plainB64uText(s: string): boolean {
  return s.indexOf('+') === -1 && s.indexOf('/') === -1 && utf8Length(s) === s.length;
}

/** {@link b64uDecode} of a segment of a string that passed {@link plainB64uText}: the same rule. @internal */
export function b64uDecodeSegment(s: string, code: JotErrorCode, what = 'segment'): Uint8Array {
  const rem = s.length & 3;
  if (rem !== 1) {
    const bytes = bytesFromB64u(s);
    if (bytes.byteLength === Math.floor((s.length * 3) / 4) && (rem === 0 || tailIsClean(s, rem))) return bytes;
  }
  throw err(code, `${what} is not canonical base64url`);
}

/** Bytes -> base64 (standard alphabet, padded), for x5c and PEM. */
export function b64Encode(bytes: Uint8Array): string {
  return b64FromBytes(bytes);
}

const B64_STD = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Strict standard base64 (padded) decode, for x5c. */
export function b64Decode(s: string, code: JotErrorCode, what = 'value'): Uint8Array {
  if (typeof s !== 'string' || !B64_STD.test(s)) throw err(code, `${what} is not valid base64`);
  return bytesFromB64(s);
}
