// Shared test helpers: vector location (never copied into the repo), keys, and error-code assertions.
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTENT_ENCRYPTION_ALGORITHMS, KEY_MANAGEMENT_ALGORITHMS } from '../../src/alg/jwe.js';
import type { JotErrorCode } from '../../src/errors.js';
import { JotError } from '../../src/errors.js';
import { generateKeyPair, generateSecret } from '../../src/key/generate.js';
import { importKey } from '../../src/key/import.js';
import type { Key } from '../../src/key/key.js';

const root = join(import.meta.dirname, '..', '..');
const configured = process.env.JOT_VECTORS ?? '../shared/vectors';
/** The vectors folder: `$JOT_VECTORS` or `../shared/vectors`, relative to the repository root. */
export const VECTORS = isAbsolute(configured) ? configured : resolve(root, configured);

/**
 * `describe` for a block that needs vector files: skipped with a message when they are absent, except
 * under `CI=true`, where absence fails.
 */
export function describeVectors(name: string, files: readonly string[], body: () => void): void {
  const missing = files.filter((f) => !existsSync(join(VECTORS, f)));
  if (missing.length === 0) {
    describe(name, body);
  } else if (process.env.CI === 'true') {
    describe(name, () => {
      it('has its vectors', () => {
        expect.fail(`vectors missing under ${VECTORS}: ${missing.join(', ')}`);
      });
    });
  } else {
    describe.skip(`${name} (skipped: vectors missing under ${VECTORS}: ${missing.join(', ')})`, () => {
      it('needs vectors', () => {});
    });
  }
}

/** Parsed JSON of a vector file (only call inside a describeVectors body). */
export function vector<T = any>(file: string): T {
  return JSON.parse(readFileSync(join(VECTORS, file), 'utf8')) as T;
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

/** Time and memory of one call: wall-clock milliseconds and growth of heap plus array buffers, in bytes. */
export async function measure<T>(fn: () => Promise<T>): Promise<{ ms: number; grew: number; result: T | Error }> {
  const before = process.memoryUsage();
  const t0 = performance.now();
  let result: T | Error;
  try {
    result = await fn();
  } catch (e) {
    result = e as Error;
  }
  const ms = performance.now() - t0;
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
