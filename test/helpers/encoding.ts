// Byte and text conversions of the tests. One name per direction: `toB64u` encodes, `fromB64u` decodes.
import { Buffer } from 'node:buffer';

/** base64url text of bytes, or of a string's UTF-8 bytes. */
export const toB64u = (v: string | Uint8Array): string => Buffer.from(v).toString('base64url');
/** The bytes of base64url text (lenient: for building test input, not for checking it). */
export const fromB64u = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'base64url'));
/** base64url of a value's JSON text: a header or payload segment. */
export const jsonB64u = (v: unknown): string => toB64u(JSON.stringify(v));
export const fromHex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'));
export const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
export const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
export const text = (b: Uint8Array): string => new TextDecoder().decode(b);
