import { Buffer } from 'node:buffer';

// Byte codecs with node's native Buffer: the fast path of every token (`#crypto/bytes`, node). The web module of the
// same name has the same exports in plain JavaScript. Decoders are lenient here; encoding/base64url.ts is strict.

/** Bytes as base64url without padding. */
export function b64uFromBytes(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
}

/** A string's UTF-8 bytes as base64url without padding. */
export function b64uFromText(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

/** Lenient base64url (or base64) decode: node skips foreign characters; the caller checks the length. */
export function bytesFromB64u(s: string): Uint8Array {
  return Buffer.from(s, 'base64url');
}

/** Bytes as standard base64 with padding. */
export function b64FromBytes(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** Standard base64 decode (validated by the caller). */
export function bytesFromB64(s: string): Uint8Array {
  return Buffer.from(s, 'base64');
}

/** The UTF-8 length of a string. */
export function utf8Length(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

/** The latin1 bytes of a string (one byte per UTF-16 unit, the low byte): the bytes of an ASCII string. */
export function latin1Bytes(s: string): Uint8Array {
  return Buffer.from(s, 'latin1');
}

/** Hex text as bytes. */
export function bytesFromHex(s: string): Uint8Array {
  return Buffer.from(s, 'hex');
}

/** Bytes as lowercase hex. */
export function hexFromBytes(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
}
