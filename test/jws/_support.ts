/**
 * Test-only helpers shared by the JWS, key and encoding suites: byte conversions, exact error-code assertions,
 * cached keys for every algorithm, and the raw verification path that Wycheproof primitive vectors need.
 */
import { Buffer } from 'node:buffer';
import { expect } from 'vitest';
import { type JwsAlgorithm, jwsAlgorithm } from '../../src/alg/jws.js';
import { backend } from '../../src/crypto/active.js';
import { JotError, type JotErrorCode } from '../../src/errors.js';
import { generateKeyPair, generateSecret, type Key } from '../../src/index.js';
import { signatureShapeOk } from '../../src/jws/policy.js';
import { assertJwsKey } from '../../src/key/policy.js';

/** Every JWS algorithm of issue 2. */
export const JWS_ALGS = [
  'HS256',
  'HS384',
  'HS512',
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'ES256K',
  'EdDSA',
  'Ed25519',
  'Ed448',
] as const;
export type JwsAlg = (typeof JWS_ALGS)[number];

export const isHmac = (alg: string): boolean => alg === 'HS256' || alg === 'HS384' || alg === 'HS512';

export const hex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'));
export const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
export const b64u = (b: Uint8Array): string => Buffer.from(b).toString('base64url');
export const b64uText = (s: string): string => Buffer.from(s, 'utf8').toString('base64url');
export const unb64u = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'base64url'));
export const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
export const text = (b: Uint8Array): string => new TextDecoder().decode(b);

/** Run `action` (a promise or a function) and return the JotError it must fail with; asserts the code. */
export async function rejects(
  action: Promise<unknown> | (() => unknown),
  code: JotErrorCode | readonly JotErrorCode[],
): Promise<JotError> {
  const codes: readonly JotErrorCode[] = typeof code === 'string' ? [code] : code;
  try {
    await (typeof action === 'function' ? action() : action);
  } catch (e) {
    if (!(e instanceof JotError)) throw new Error(`expected a JotError (${codes.join('|')}), got ${String(e)}`);
    expect(codes).toContain(e.code);
    return e;
  }
  throw new Error(`expected a JotError ${codes.join('|')}, but the call succeeded`);
}

/** The outcome of an action as a string: 'ok', or the JotError code. Anything else is rethrown. */
export async function outcome(action: Promise<unknown> | (() => unknown)): Promise<'ok' | JotErrorCode> {
  try {
    await (typeof action === 'function' ? action() : action);
    return 'ok';
  } catch (e) {
    if (e instanceof JotError) return e.code;
    throw e;
  }
}

export interface KeyPair {
  privateKey: Key;
  publicKey: Key;
}

const pairs = new Map<string, Promise<KeyPair>>();

/** A key pair (or a secret, as both halves) bound to `alg`, generated once per test file. */
export function keysFor(alg: string, crv?: string): Promise<KeyPair> {
  const id = `${alg}/${crv ?? ''}`;
  let p = pairs.get(id);
  if (p === undefined) {
    p = isHmac(alg)
      ? generateSecret(alg).then((k) => ({ privateKey: k, publicKey: k }))
      : generateKeyPair(alg, crv === undefined ? {} : { crv });
    pairs.set(id, p);
  }
  return p;
}

/** Flip one bit of the decoded bytes of a base64url segment and re-encode it. */
export function flipBit(segment: string, bit = 0): string {
  const bytes = unb64u(segment);
  if (bytes.length === 0) return 'AA';
  const i = Math.floor(bit / 8) % bytes.length;
  bytes[i] = bytes[i]! ^ (1 << (bit % 8));
  return b64u(bytes);
}

/** Split a compact JWS into its three segments. */
export function segments(jws: string): [string, string, string] {
  const parts = jws.split('.');
  if (parts.length !== 3) throw new Error('not a compact JWS');
  return parts as [string, string, string];
}

/** Build a compact token from a header object (or raw header JSON text), payload bytes and signature bytes. */
export function compact(header: object | string, payload: Uint8Array | string, signature: Uint8Array): string {
  const h = typeof header === 'string' ? b64uText(header) : b64uText(JSON.stringify(header));
  const p = typeof payload === 'string' ? b64uText(payload) : b64u(payload);
  return `${h}.${p}.${b64u(signature)}`;
}

/** Sign an arbitrary signing input with the backend: the same primitive the JWS functions use. */
export async function signRaw(alg: string, key: Key, input: string | Uint8Array): Promise<Uint8Array> {
  return backend().sign(jwsAlgorithm(alg), key, input);
}

/**
 * The verification path of verifyCompact/verifyJson for a bare message: the key policy (type, curve, size, binding,
 * usage), then the structural signature check (exact length, ECDSA 0 < r, s < n), then the backend primitive.
 * Wycheproof's primitive vectors sign arbitrary messages, which no JWS signing input can equal, hence this path.
 */
export async function verifyRaw(alg: string, key: Key, msg: Uint8Array, sig: Uint8Array): Promise<boolean> {
  const entry: JwsAlgorithm = jwsAlgorithm(alg);
  assertJwsKey(key, entry, 'verify');
  return signatureShapeOk(entry, key, sig) && (await backend().verify(entry, key, msg, sig));
}
