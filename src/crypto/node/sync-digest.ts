import { createHash, createHmac } from 'node:crypto';
import type { SyncDigestBackend } from '../backend.js';

/** Synchronous SHA-256 and HMAC-SHA-256 with node:crypto (`#crypto/sync-digest`, node). */
export const syncDigest: SyncDigestBackend = /* @__PURE__ */ Object.freeze({
  sha256(data: Uint8Array | string): Uint8Array {
    return createHash('sha256').update(data).digest();
  },
  sha256B64u(data: Uint8Array | string): string {
    return createHash('sha256').update(data).digest('base64url');
  },
  hmacSha256(key: Uint8Array, data: Uint8Array | string): Uint8Array {
    return createHmac('sha256', key).update(data).digest();
  },
});
