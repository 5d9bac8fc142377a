import { deflateRaw as nodeDeflateRaw, inflateRaw as nodeInflateRaw } from 'node:zlib';
import { bare } from '../../encoding/null-prototype.js';
import { err } from '../../errors.js';
import type { ZipBackend } from '../backend.js';

/** Raw DEFLATE with node:zlib (`#crypto/zip`, node). */
export const zip: ZipBackend = Object.freeze({
  deflateRaw(data: Uint8Array): Promise<Uint8Array> {
    return new Promise((resolve, reject) => {
      nodeDeflateRaw(data, bare({}), (e, out) => {
        // Only a Buffer: with a polluted Object.prototype.encoding, node's stream yields a string.
        if (e === null && out instanceof Uint8Array) resolve(out);
        else reject(err('ERR_JWE_INVALID', 'compression failed', e ?? undefined));
      });
    });
  },

  /** zlib stops producing output as soon as the limit is passed (`maxOutputLength`): one chunk beyond it at most. */
  inflateRaw(data: Uint8Array, maxBytes: number): Promise<Uint8Array | 'limit' | undefined> {
    return new Promise((resolve) => {
      nodeInflateRaw(data, bare({ maxOutputLength: maxBytes }), (e, out) => {
        if (e === null)
          resolve(out instanceof Uint8Array ? out : undefined); // a string: Object.prototype polluted
        else resolve((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' ? 'limit' : undefined);
      });
    });
  },
});
