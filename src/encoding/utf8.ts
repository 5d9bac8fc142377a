import { type JotErrorCode, err } from '../errors.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function utf8Encode(s: string): Uint8Array {
  return encoder.encode(s);
}

/** Fatal UTF-8 decoding: invalid sequences are an error, never U+FFFD. A BOM is kept (and so rejected by JSON). */
export function utf8Decode(bytes: Uint8Array, code: JotErrorCode, what = 'value'): string {
  try {
    return decoder.decode(bytes);
  } catch (cause) {
    throw err(code, `${what} is not valid UTF-8`, cause);
  }
}

/** Payload input as bytes: strings are UTF-8 encoded, Uint8Array taken as is. */
export function toBytes(input: Uint8Array | string, code: JotErrorCode, what = 'payload'): Uint8Array {
  if (typeof input === 'string') return encoder.encode(input);
  if (input instanceof Uint8Array) return input;
  throw err(code, `${what} must be a Uint8Array or a string`);
}
