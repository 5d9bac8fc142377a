import type { SyncDigestBackend } from '../backend.js';
import { b64uFromBytes } from './bytes.js';

// SHA-256 (FIPS 180-4 section 6.2) and HMAC-SHA-256 (RFC 2104) in plain JavaScript, synchronous
// (`#crypto/sync-digest`, web). WebCrypto only hashes asynchronously, and the DPoP paths that need a digest (`ath`,
// the replay id, the server nonce's MAC) are synchronous on node; they stay synchronous on every runtime with this.
// Checked against WebCrypto's SHA-256 and HMAC by test/crypto/sync-digest.test.ts.
// Only 32-bit integer operations and no data-dependent branch or table index: the time depends on the length only.

/** The first 32 bits of the fractional parts of the cube roots of the first 64 primes (FIPS 180-4 4.2.2). */
const K = /* @__PURE__ */ new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
]);

/** The initial hash value (FIPS 180-4 5.3.3). */
const H0 = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];

const rotr = (x: number, n: number) => (x >>> n) | (x << (32 - n));

/** One 64-byte block at `at` of `m` into the state `h`; `w` is the message schedule scratch. */
function compress(h: Uint32Array, w: Uint32Array, m: DataView, at: number): void {
  for (let t = 0; t < 16; t++) w[t] = m.getUint32(at + t * 4);
  for (let t = 16; t < 64; t++) {
    const x = w[t - 15]!;
    const y = w[t - 2]!;
    const s0 = rotr(x, 7) ^ rotr(x, 18) ^ (x >>> 3);
    const s1 = rotr(y, 17) ^ rotr(y, 19) ^ (y >>> 10);
    w[t] = (w[t - 16]! + s0 + w[t - 7]! + s1) | 0;
  }
  let a = h[0]!;
  let b = h[1]!;
  let c = h[2]!;
  let d = h[3]!;
  let e = h[4]!;
  let f = h[5]!;
  let g = h[6]!;
  let k = h[7]!;
  for (let t = 0; t < 64; t++) {
    const t1 = (k + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[t]! + w[t]!) | 0;
    const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    k = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  h[0] = h[0]! + a;
  h[1] = h[1]! + b;
  h[2] = h[2]! + c;
  h[3] = h[3]! + d;
  h[4] = h[4]! + e;
  h[5] = h[5]! + f;
  h[6] = h[6]! + g;
  h[7] = h[7]! + k;
}

/** SHA-256 of the concatenation of `parts` (HMAC hashes a padded key and the message without copying them). */
function sha256Of(...parts: Uint8Array[]): Uint8Array {
  const h = new Uint32Array(H0);
  const w = new Uint32Array(64);
  const block = new Uint8Array(64);
  const blockView = new DataView(block.buffer);
  let filled = 0;
  let total = 0;
  for (const p of parts) {
    total += p.byteLength;
    let i = 0;
    if (filled === 0 && p.byteLength >= 64) {
      // Whole blocks straight from the input.
      const view = new DataView(p.buffer, p.byteOffset, p.byteLength);
      for (; i + 64 <= p.byteLength; i += 64) compress(h, w, view, i);
    }
    for (; i < p.byteLength; i++) {
      block[filled++] = p[i]!;
      if (filled === 64) {
        compress(h, w, blockView, 0);
        filled = 0;
      }
    }
  }
  // Padding (FIPS 180-4 5.1.1): 0x80, zeros, and the length in bits as a 64-bit big-endian integer.
  block[filled++] = 0x80;
  if (filled > 56) {
    block.fill(0, filled);
    compress(h, w, blockView, 0);
    filled = 0;
  }
  block.fill(0, filled, 56);
  blockView.setUint32(56, Math.floor(total / 0x20000000));
  blockView.setUint32(60, (total * 8) >>> 0);
  compress(h, w, blockView, 0);
  const out = new Uint8Array(32);
  const outView = new DataView(out.buffer);
  for (let i = 0; i < 8; i++) outView.setUint32(i * 4, h[i]!);
  return out;
}

/** HMAC-SHA-256 of `data` under `key` (RFC 2104; a key longer than the 64-byte block is hashed first). */
function hmacSha256(key: Uint8Array, data: Uint8Array): Uint8Array {
  const k = key.byteLength > 64 ? sha256Of(key) : key;
  const inner = new Uint8Array(64).fill(0x36);
  const outer = new Uint8Array(64).fill(0x5c);
  for (let i = 0; i < k.byteLength; i++) {
    inner[i] = inner[i]! ^ k[i]!;
    outer[i] = outer[i]! ^ k[i]!;
  }
  return sha256Of(outer, sha256Of(inner, data));
}

const encoder = /* @__PURE__ */ new TextEncoder();
const bytesOf = (data: Uint8Array | string) => (typeof data === 'string' ? encoder.encode(data) : data);

export const syncDigest: SyncDigestBackend = /* @__PURE__ */ Object.freeze({
  sha256: (data: Uint8Array | string): Uint8Array => sha256Of(bytesOf(data)),
  sha256B64u: (data: Uint8Array | string): string => b64uFromBytes(sha256Of(bytesOf(data))),
  hmacSha256: (key: Uint8Array, data: Uint8Array | string): Uint8Array => hmacSha256(key, bytesOf(data)),
});
