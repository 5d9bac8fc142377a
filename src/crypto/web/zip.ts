import { err } from '../../errors.js';
import type { ZipBackend } from '../backend.js';
import { readLimited } from '../../encoding/stream.js';

// Raw DEFLATE with the Compression Streams API (`#crypto/zip`, web). Inflation reads the output chunk by chunk and
// stops as soon as the limit is passed: a bomb costs at most one chunk beyond it.

function run(stream: GenericTransformStream, data: Uint8Array): ReadableStream<Uint8Array> {
  const writer = stream.writable.getWriter();
  writer.write(data as BufferSource).catch(() => undefined);
  writer.close().catch(() => undefined);
  return stream.readable as ReadableStream<Uint8Array>;
}

export const zip: ZipBackend = Object.freeze({
  async deflateRaw(data: Uint8Array): Promise<Uint8Array> {
    try {
      const out = await readLimited(run(new CompressionStream('deflate-raw'), data), Number.MAX_SAFE_INTEGER);
      return out as Uint8Array;
    } catch (cause) {
      throw err('ERR_JWE_INVALID', 'compression failed', cause);
    }
  },

  async inflateRaw(data: Uint8Array, maxBytes: number): Promise<Uint8Array | 'limit' | undefined> {
    try {
      return await readLimited(run(new DecompressionStream('deflate-raw'), data), maxBytes);
    } catch {
      return undefined;
    }
  },
});
