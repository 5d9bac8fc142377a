// Shared fixtures for the JWT tests: keys per algorithm (generated once), raw token builders for hostile input.
import { createHmac } from 'node:crypto';
import { expect } from 'vitest';
import { generateKeyPair, generateSecret, importKey, type Key } from '../../src/key/index.js';
import { JWS_ALGS } from '../jws/_support.js';

/** Every JWS algorithm jot signs with. */
export const ALGS = JWS_ALGS;

export interface KeyPair {
  privateKey: Key;
  publicKey: Key;
}

const pairs = new Map<string, Promise<KeyPair>>();

/** A key pair (or secret, twice) bound to `alg`, generated once per test file. */
export function keysFor(alg: string): Promise<KeyPair> {
  let p = pairs.get(alg);
  if (p === undefined) {
    p = alg.startsWith('HS')
      ? generateSecret(alg).then((k) => ({ privateKey: k, publicKey: k }))
      : generateKeyPair(alg);
    pairs.set(alg, p);
  }
  return p;
}

/** A fixed HS256 secret, known as bytes for raw tokens. */
export const SECRET = new TextEncoder().encode('0123456789abcdef0123456789abcdef');
export const hsKey = (): Promise<Key> => importKey(SECRET, { alg: 'HS256' });

export const b64u = (v: string | Uint8Array): string => Buffer.from(v).toString('base64url');
export const json = (v: unknown): string => b64u(JSON.stringify(v));

/** An HS256 token over raw header and payload text (exactly as given), signed with SECRET. */
export function rawHs256(headerText: string, payloadText: string, secret: Uint8Array = SECRET): string {
  const input = `${b64u(headerText)}.${b64u(payloadText)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

/** An HS256 token over segments given already encoded. */
export function rawHs256Segments(h: string, p: string, secret: Uint8Array = SECRET): string {
  return `${h}.${p}.${createHmac('sha256', secret).update(`${h}.${p}`).digest('base64url')}`;
}

/** A fixed "now": 2030-01-01T00:00:00Z. */
export const NOW = 1_893_456_000;
export const at = (seconds: number): Date => new Date(seconds * 1000);

/** Assert a promise or function fails with a JotError of `code` (or one of several), and claim/reason if given. */
export async function expectCode(
  f: (() => unknown) | Promise<unknown>,
  code: string | readonly string[],
  extra?: { claim?: string; reason?: string },
): Promise<unknown> {
  let error: unknown;
  try {
    await (typeof f === 'function' ? f() : f);
  } catch (e) {
    error = e;
  }
  expect(error, `expected ${code}`).toBeDefined();
  expect((error as { name?: string }).name).toMatch(/^(JotError|JwtClaimError)$/);
  if (typeof code === 'string') expect((error as { code?: string }).code).toBe(code);
  else expect(code).toContain((error as { code?: string }).code);
  if (extra?.claim !== undefined) expect((error as { claim?: string }).claim).toBe(extra.claim);
  if (extra?.reason !== undefined) expect((error as { reason?: string }).reason).toBe(extra.reason);
  return error;
}
