import type { DigestBackend } from '../backend.js';
import { SHA } from './sig.js';

// Hashing and random bytes over WebCrypto (`#crypto/digest`, web).

/** getRandomValues fills at most 65536 bytes per call. */
const RANDOM_CHUNK = 65536;

export const digest: DigestBackend = Object.freeze({
  randomBytes(length: number): Uint8Array {
    const out = new Uint8Array(length);
    for (let at = 0; at < length; at += RANDOM_CHUNK) {
      globalThis.crypto.getRandomValues(out.subarray(at, Math.min(length, at + RANDOM_CHUNK)));
    }
    return out;
  },

  /** Every byte is compared whatever the differences (the length is public). */
  timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
    if (a.byteLength !== b.byteLength) return false;
    let acc = 0;
    for (let i = 0; i < a.byteLength; i++) acc |= a[i]! ^ b[i]!;
    return acc === 0;
  },

  async digest(hash: string, data: Uint8Array | string): Promise<Uint8Array> {
    const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
    return new Uint8Array(await globalThis.crypto.subtle.digest(SHA[hash]!, bytes as BufferSource));
  },
});
