import { err } from '../../errors.js';
import type { ZipBackend } from '../backend.js';

// Raw DEFLATE with the Compression Streams API (`#crypto/zip`, web). Inflation reads the output chunk by chunk and
// stops as soon as the limit is passed: a bomb costs at most one chunk beyond it.

async function collect(stream: ReadableStream<Uint8Array>, maxBytes: number): Promise<Uint8Array | 'limit'> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return 'limit';
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

function run(stream: GenericTransformStream, data: Uint8Array): ReadableStream<Uint8Array> {
  const writer = stream.writable.getWriter();
  writer.write(data as BufferSource).catch(() => undefined);
  writer.close().catch(() => undefined);
  return stream.readable as ReadableStream<Uint8Array>;
}

export const zip: ZipBackend = Object.freeze({
  async deflateRaw(data: Uint8Array): Promise<Uint8Array> {
    try {
      const out = await collect(run(new CompressionStream('deflate-raw'), data), Number.MAX_SAFE_INTEGER);
      return out as Uint8Array;
    } catch (cause) {
      throw err('ERR_JWE_INVALID', 'compression failed', cause);
    }
  },

  async inflateRaw(data: Uint8Array, maxBytes: number): Promise<Uint8Array | 'limit' | undefined> {
    try {
      return await collect(run(new DecompressionStream('deflate-raw'), data), maxBytes);
    } catch {
      return undefined;
    }
  },
});
