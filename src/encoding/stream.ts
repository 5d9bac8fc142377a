// Reading a stream of bytes with a limit: the one loop behind an HTTP body (remote key sets) and a WebCrypto inflate.
import { concatAll } from './bytes.js';

/**
 * Every byte of `stream`, or `'limit'` as soon as more than `maxBytes` arrived (the stream is then cancelled: at most
 * one chunk beyond the limit is ever held). @internal
 */
export async function readLimited(stream: ReadableStream<Uint8Array>, maxBytes: number): Promise<Uint8Array | 'limit'> {
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
  return concatAll(chunks);
}
