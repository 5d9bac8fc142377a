import type { DigestBackend } from '../backend.js';
import { b64uFromBytes } from './bytes.js';
import { hmacSha256, sha256 } from './sha256.js';
import { SHA } from './sig.js';

// Hashing and random bytes over WebCrypto (`#crypto/digest`, web).

/** getRandomValues fills at most 65536 bytes per call. */
const RANDOM_CHUNK = 65536;

const encoder = new TextEncoder();
const bytesOf = (data: Uint8Array | string) => (typeof data === 'string' ? encoder.encode(data) : data);

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
    return new Uint8Array(await globalThis.crypto.subtle.digest(SHA[hash]!, bytesOf(data) as BufferSource));
  },

  /** Plain JavaScript (crypto/web/sha256.ts): WebCrypto has no synchronous digest. */
  sha256Sync(data: Uint8Array | string): Uint8Array {
    return sha256(bytesOf(data));
  },

  sha256SyncB64u(data: Uint8Array | string): string {
    return b64uFromBytes(sha256(bytesOf(data)));
  },

  hmacSha256Sync(key: Uint8Array, data: Uint8Array | string): Uint8Array {
    return hmacSha256(key, bytesOf(data));
  },
});
