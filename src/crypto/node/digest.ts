import { createHash, randomBytes as nodeRandomBytes, timingSafeEqual as nodeTimingSafeEqual } from 'node:crypto';
import type { DigestBackend } from '../backend.js';

/** Hashing and random bytes with node:crypto (`#crypto/digest`, node). */
export const digest: DigestBackend = Object.freeze({
  randomBytes(length: number): Uint8Array {
    return nodeRandomBytes(length);
  },
  timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
    return a.byteLength === b.byteLength && nodeTimingSafeEqual(a, b);
  },
  async digest(hash: string, data: Uint8Array | string): Promise<Uint8Array> {
    return createHash(hash).update(data).digest();
  },
});
