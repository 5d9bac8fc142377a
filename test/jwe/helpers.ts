// Shared JWE test helpers: vectors, keys, and error-code assertions.
import { describe, expect } from 'vitest';
import { CONTENT_ENCRYPTION_ALGORITHMS, KEY_MANAGEMENT_ALGORITHMS } from '../../src/alg/jwe.js';
import type { JotErrorCode } from '../../src/errors.js';
import { JotError } from '../../src/errors.js';
import { generateKeyPair, generateSecret } from '../../src/key/generate.js';
import { importKey } from '../../src/key/import.js';
import type { Key } from '../../src/key/key.js';
import { loadVector } from '../helpers/vectors.js';
import { cpuMs } from '../helpers/timing.js';

export { VECTORS } from '../helpers/vectors.js';

/** `describe` for a block that reads vector files (they ship with the repository under test/vectors). */
export function describeVectors(name: string, _files: readonly string[], body: () => void): void {
  describe(name, body);
}

/** Parsed JSON of a vector file, by its path under test/vectors. */
export function vector<T = any>(file: string): T {
  return loadVector<T>(file);
}

export const hex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'));
export const b64u = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'base64url'));
export const text = (b: Uint8Array): string => new TextDecoder().decode(b);
export const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** Await `p` and return the JotError it rejects with (fails the test otherwise). */
export async function rejection(p: Promise<unknown>): Promise<JotError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof JotError) return e;
    throw new Error(`expected a JotError, got ${String(e)}`, { cause: e });
  }
  throw new Error('expected a rejection');
}

/** Assert `p` rejects with a JotError of one of `codes`. */
export async function expectCode(p: Promise<unknown>, ...codes: JotErrorCode[]): Promise<JotError> {
  const e = await rejection(p);
  expect(codes).toContain(e.code);
  return e;
}

export const KM_NAMES = Object.keys(KEY_MANAGEMENT_ALGORITHMS);
export const ENC_NAMES = Object.keys(CONTENT_ENCRYPTION_ALGORITHMS);

/** A (sender key, recipient key) pair for a key management algorithm; `crv` for ECDH-ES. */
export async function keysFor(alg: string, crv?: string): Promise<{ encryptKey: Key; decryptKey: Key }> {
  const km = KEY_MANAGEMENT_ALGORITHMS[alg]!;
  switch (km.family) {
    case 'rsa-oaep':
    case 'rsa1_5':
    case 'ecdh-es':
    case 'ecdh-es-kw': {
      const { privateKey, publicKey } = await generateKeyPair(alg, crv === undefined ? {} : { crv });
      return { encryptKey: publicKey, decryptKey: privateKey };
    }
    case 'pbes2': {
      const k = await importKey(new TextEncoder().encode('correct horse battery staple'), { alg });
      return { encryptKey: k, decryptKey: k };
    }
    default: {
      const k = await generateSecret(alg);
      return { encryptKey: k, decryptKey: k };
    }
  }
}

/** A `dir` key for `enc`. */
export const dirKey = (enc: string): Promise<Key> => generateSecret(enc);

/**
 * Import a vector's JWK bound to `alg`. A JWK `alg` naming a content encryption algorithm (RFC 7520 5.6,
 * Wycheproof) describes a `dir` key: jot binds such keys to `dir`.
 */
export function importBound(jwk: Record<string, unknown>, alg: string): Promise<Key> {
  const { alg: _ignored, ...rest } = jwk;
  return importKey(rest as never, { alg });
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

/**
 * A compact `dir` JWE built by hand: the header is serialized exactly as given and `content` is encrypted
 * as is (no compression step), so tests can put anything behind a valid tag.
 */
export async function craftDir(header: Record<string, unknown>, cek: Uint8Array, content: Uint8Array): Promise<string> {
  const { encryptContent } = await import('../../src/jwe/content.js');
  const enc = CONTENT_ENCRYPTION_ALGORITHMS[header.enc as string]!;
  const p = Buffer.from(JSON.stringify(header)).toString('base64url');
  const s = await encryptContent(enc, cek, content, new TextEncoder().encode(p));
  const e = (b: Uint8Array) => Buffer.from(b).toString('base64url');
  return `${p}..${e(s.iv)}.${e(s.ciphertext)}.${e(s.tag)}`;
}
