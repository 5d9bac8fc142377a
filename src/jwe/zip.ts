import { deflateRaw as nodeDeflateRaw, inflateRaw as nodeInflateRaw } from 'node:zlib';
import { err } from '../errors.js';
import { bare } from '../encoding/null-prototype.js';
import { decryptionFailed } from './policy.js';

/** Raw DEFLATE (RFC 1951), the JWE `zip: "DEF"` compression. */
export function deflateRaw(data: Uint8Array): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    nodeDeflateRaw(data, bare({}), (e, out) => {
      // Only a Buffer: with a polluted Object.prototype.encoding, node's stream yields a string.
      if (e === null && out instanceof Uint8Array) resolve(out);
      else reject(err('ERR_JWE_INVALID', 'compression failed', e ?? undefined));
    });
  });
}

/**
 * Inflate at most `maxBytes` bytes. zlib stops producing output as soon as the limit is passed
 * (`maxOutputLength`), so a bomb costs at most one chunk beyond the limit in memory and time:
 * `ERR_LIMIT_EXCEEDED`. A corrupt or truncated stream is `ERR_JWE_DECRYPTION_FAILED` (it was authenticated,
 * so only the sender can have produced it; the code stays the one decryption failure).
 */
export function inflateRawBounded(data: Uint8Array, maxBytes: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    nodeInflateRaw(data, bare({ maxOutputLength: maxBytes }), (e, out) => {
      if (e === null) {
        if (out instanceof Uint8Array) resolve(out);
        else reject(decryptionFailed()); // a string, when Object.prototype.encoding is polluted
      } else if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
        reject(err('ERR_LIMIT_EXCEEDED', 'the decompressed plaintext exceeds maxDecompressedBytes'));
      } else reject(decryptionFailed());
    });
  });
}
