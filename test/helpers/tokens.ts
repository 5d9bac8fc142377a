// Raw token builders for hostile input, the fixed clock, and the raw signature paths of the primitive vectors.
import type { Buffer } from 'node:buffer';
import { createHmac } from 'node:crypto';
import { CONTENT_ENCRYPTION_ALGORITHMS } from '../../src/alg/jwe.js';
import { type JwsAlgorithm, jwsAlgorithm } from '../../src/alg/jws.js';
import { sig as sigImpl } from '#crypto/sig';
import { type Key, keyHandle } from '../../src/key/key.js';
import { signatureShapeOk } from '../../src/jws/policy.js';
import { assertJwsKey } from '../../src/key/policy.js';
import { fromB64u, toB64u } from './encoding.js';
import { SECRET } from './keys.js';
import { cpuMs } from './timing.js';

/** A fixed "now" (2030-01-01T00:00:00Z) and a Date at a Unix time. */
export const NOW = 1_893_456_000;
export const at = (seconds: number): Date => new Date(seconds * 1000);

export function hmac(hash: 'sha256' | 'sha384' | 'sha512', key: Uint8Array | string, input: string): Buffer {
  return createHmac(hash, key).update(input).digest();
}

/** An HS256 token over segments given already encoded. */
export function rawHs256Segments(h: string, p: string, secret: Uint8Array | string = SECRET): string {
  return `${h}.${p}.${toB64u(hmac('sha256', secret, `${h}.${p}`))}`;
}

/** An HS256 token over raw header and payload text, exactly as given. */
export const rawHs256 = (headerText: string, payloadText: string, secret: Uint8Array | string = SECRET): string =>
  rawHs256Segments(toB64u(headerText), toB64u(payloadText), secret);

/** An HS256 token over a header and claims objects. */
export const hs256 = (header: object, claims: object, secret: Uint8Array | string = SECRET): string =>
  rawHs256(JSON.stringify(header), JSON.stringify(claims), secret);

/** Split a compact JWS into its three segments. */
export function segments(jws: string): [string, string, string] {
  const parts = jws.split('.');
  if (parts.length !== 3) throw new Error('not a compact JWS');
  return parts as [string, string, string];
}

/** The flattened JSON form of a compact JWS. */
export function flattened(token: string): { protected: string; payload: string; signature: string } {
  const [h, p, s] = segments(token);
  return { protected: h, payload: p, signature: s };
}

/** Build a compact token from a header object (or raw header JSON text), payload bytes and signature bytes. */
export function compact(header: object | string, payload: Uint8Array | string, signature: Uint8Array): string {
  const h = toB64u(typeof header === 'string' ? header : JSON.stringify(header));
  return `${h}.${toB64u(payload)}.${toB64u(signature)}`;
}

/** Flip one bit of the decoded bytes of a base64url segment and re-encode it. */
export function flipBit(segment: string, bit = 0): string {
  const bytes = fromB64u(segment);
  if (bytes.length === 0) return 'AA';
  const i = Math.floor(bit / 8) % bytes.length;
  bytes[i] = bytes[i]! ^ (1 << (bit % 8));
  return toB64u(bytes);
}

/** Sign an arbitrary signing input with the backend: the same primitive the JWS functions use. */
export async function signRaw(alg: string, key: Key, input: string | Uint8Array): Promise<Uint8Array> {
  return sigImpl.sign(jwsAlgorithm(alg), keyHandle(key), input);
}

/**
 * The verification path of verifyCompact/verifyJson for a bare message: the key policy (type, curve, size, binding,
 * usage), then the structural signature check (exact length, ECDSA 0 < r, s < n), then the backend primitive.
 * Wycheproof's primitive vectors sign arbitrary messages, which no JWS signing input can equal, hence this path.
 */
export async function verifyRaw(alg: string, key: Key, msg: Uint8Array, sig: Uint8Array): Promise<boolean> {
  const entry: JwsAlgorithm = jwsAlgorithm(alg);
  assertJwsKey(key, entry, 'verify');
  return signatureShapeOk(entry, key, sig) && (await sigImpl.verify(entry, keyHandle(key), msg, sig));
}

/**
 * A compact `dir` JWE built by hand: the header is serialized exactly as given and `content` is encrypted
 * as is (no compression step), so tests can put anything behind a valid tag.
 */
export async function craftDir(header: Record<string, unknown>, cek: Uint8Array, content: Uint8Array): Promise<string> {
  const { encryptContent } = await import('../../src/jwe/content.js');
  const enc = CONTENT_ENCRYPTION_ALGORITHMS[header.enc as string]!;
  const p = toB64u(JSON.stringify(header));
  const s = await encryptContent(enc, cek, content, new TextEncoder().encode(p));
  return `${p}..${toB64u(s.iv)}.${toB64u(s.ciphertext)}.${toB64u(s.tag)}`;
}

/** Work and memory of one call: CPU milliseconds (every thread) and growth of heap plus array buffers, in bytes. */
export async function measure<T>(fn: () => Promise<T>): Promise<{ ms: number; grew: number; result: T | Error }> {
  const before = process.memoryUsage();
  // CPU time, not wall time: work is what these bounds are about, and a loaded machine must not fail them.
  const { ms, result } = await cpuMs(fn);
  const after = process.memoryUsage();
  const grew = after.heapUsed + after.arrayBuffers - (before.heapUsed + before.arrayBuffers);
  return { ms, grew, result };
}
