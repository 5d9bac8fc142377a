import { zip } from '#crypto/zip';
import { err } from '../errors.js';
import { decryptionFailed } from './policy.js';

/** Raw DEFLATE (RFC 1951), the JWE `zip: "DEF"` compression. */
export function deflateRaw(data: Uint8Array): Promise<Uint8Array> {
  return zip.deflateRaw(data);
}

/**
 * Inflate at most `maxBytes` bytes: beyond the limit the backend stops at once, `ERR_LIMIT_EXCEEDED` (a bomb costs at
 * most one chunk beyond the limit in memory and time). A corrupt or truncated stream is `ERR_JWE_DECRYPTION_FAILED`
 * (it was authenticated, so only the sender can have produced it; the code stays the one decryption failure).
 */
export async function inflateRawBounded(data: Uint8Array, maxBytes: number): Promise<Uint8Array> {
  const out = await zip.inflateRaw(data, maxBytes);
  if (out === 'limit') throw err('ERR_LIMIT_EXCEEDED', 'the decompressed plaintext exceeds maxDecompressedBytes');
  if (out === undefined) throw decryptionFailed();
  return out;
}
