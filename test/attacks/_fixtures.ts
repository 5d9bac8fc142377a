/**
 * Shared fixtures of the attack suites: byte helpers, raw token builders for hostile input, cached keys, and the list
 * of every JWS verification entry point, so each hostile token goes through all of them.
 */
import { Buffer } from 'node:buffer';
import { createHmac } from 'node:crypto';
import type { JotErrorCode } from '../../src/errors.js';
import { generateKeyPair, generateSecret, importKey, type Key, verifyCompact, verifyJson } from '../../src/index.js';
import type { KeyResolver } from '../../src/jws/policy.js';
import { createVerifier, verifyJwt } from '../../src/jwt/index.js';
import type { VerifyJwtOptions } from '../../src/jwt/types.js';
import { expectJotError, type JotErrorExpectations } from '../helpers/attack.js';

export const b64u = (v: string | Uint8Array): string => Buffer.from(v).toString('base64url');
export const json = (v: unknown): string => b64u(JSON.stringify(v));
export const unb64u = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'base64url'));
export const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
export const text = (b: Uint8Array): string => new TextDecoder().decode(b);

/** A fixed "now" (2030-01-01T00:00:00Z) and a Date at a Unix time. */
export const NOW = 1_893_456_000;
export const at = (seconds: number): Date => new Date(seconds * 1000);

/** The 32-byte HS256 secret of the suites, known as bytes so raw tokens can be MACed with it. */
export const SECRET = utf8('jot-attack-suite-secret-32-bytes');
export const hsKey = (): Promise<Key> => importKey(SECRET, { alg: 'HS256' });

export function hmac(hash: 'sha256' | 'sha384' | 'sha512', key: Uint8Array | string, input: string): Buffer {
  return createHmac(hash, key).update(input).digest();
}

/** An HS256 token over raw header and payload text, exactly as given. */
export function rawHs256(headerText: string, payloadText: string, secret: Uint8Array | string = SECRET): string {
  const input = `${b64u(headerText)}.${b64u(payloadText)}`;
  return `${input}.${b64u(hmac('sha256', secret, input))}`;
}

/** An HS256 token over a header and claims objects. */
export const hs256 = (header: object, claims: object, secret: Uint8Array | string = SECRET): string =>
  rawHs256(JSON.stringify(header), JSON.stringify(claims), secret);

export function segments(token: string): [string, string, string] {
  const p = token.split('.');
  if (p.length !== 3) throw new Error('not a compact JWS');
  return p as [string, string, string];
}

/** The flattened JSON form of a compact JWS. */
export function flattened(token: string): { protected: string; payload: string; signature: string } {
  const [h, p, s] = segments(token);
  return { protected: h, payload: p, signature: s };
}

const pairs = new Map<string, Promise<{ privateKey: Key; publicKey: Key }>>();

/** A key pair bound to `alg` (a secret twice for HS*), generated once per file. */
export function pair(alg: string, crv?: string): Promise<{ privateKey: Key; publicKey: Key }> {
  const id = `${alg}/${crv ?? ''}`;
  let p = pairs.get(id);
  if (p === undefined) {
    p = alg.startsWith('HS')
      ? generateSecret(alg).then((k) => ({ privateKey: k, publicKey: k }))
      : generateKeyPair(alg, crv === undefined ? {} : { crv });
    pairs.set(id, p);
  }
  return p;
}

export type Verify = (token: string) => Promise<unknown>;

const THREE_SEGMENTS = /^[^.]*\.[^.]*\.[^.]*$/;
/** Three segments (tested only on strings of sane length: the suites pass non-strings and 100 MB strings too). */
const isCompact = (t: unknown): t is string => typeof t === 'string' && t.length < 1 << 24 && THREE_SEGMENTS.test(t);

/** JWS options accepted by every entry point (the JWT layer adds claim options, which tests pass separately). */
export interface CommonOptions {
  algorithms?: string[];
}

/**
 * Every JWS verification entry point for one key (or resolver) and options: `verifyCompact`, `verifyJson` (on the
 * flattened form), `verifyJwt`, and `createVerifier` with `verify`, `verifySync`, and the verified-token cache.
 * `sync: false` leaves out `verifySync` (async resolvers).
 */
export function verifiers(
  key: Key | KeyResolver,
  options: CommonOptions = {},
  jwt: VerifyJwtOptions = {},
  sync = true,
): [string, Verify][] {
  const j: VerifyJwtOptions = { ...(jwt.audience === undefined ? { allowAnyAudience: true } : {}), ...options, ...jwt };
  const list: [string, Verify][] = [
    ['verifyCompact', (t) => verifyCompact(t, key, options)],
    ['verifyJson', (t) => verifyJson(isCompact(t) ? flattened(t) : t, key, options)],
    ['verifyJwt', (t) => verifyJwt(t, key, j)],
    ['createVerifier().verify', (t) => createVerifier({ ...j, key }).verify(t)],
    ['createVerifier({ cache }).verify', (t) => createVerifier({ ...j, key, cache: { max: 4 } }).verify(t)],
  ];
  if (sync) list.push(['createVerifier().verifySync', async (t) => createVerifier({ ...j, key }).verifySync(t)]);
  return list;
}

/** Assert that `token` is refused by every entry point with one of `codes`, under the global invariants. */
export async function refusedEverywhere(
  token: string,
  list: readonly [string, Verify][],
  codes: readonly JotErrorCode[],
  x: JotErrorExpectations = {},
): Promise<void> {
  for (const [name, verify] of list) {
    try {
      await expectJotError(() => verify(token), codes, { ...x, secrets: [...(x.secrets ?? []), token] });
    } catch (e) {
      throw new Error(`${name}: ${(e as Error).message}`, { cause: e });
    }
  }
}
