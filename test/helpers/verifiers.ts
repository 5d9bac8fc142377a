// Every JWS verification entry point for one key, so each hostile token goes through all of them.
import { expect } from 'vitest';
import type { JotErrorCode } from '../../src/errors.js';
import { type Key, verifyCompact, verifyJson } from '../../src/index.js';
import type { KeyResolver } from '../../src/jws/policy.js';
import { createVerifier, verifyJwt } from '../../src/jwt/index.js';
import type { VerifyJwtOptions } from '../../src/jwt/types.js';
import { expectJotError, type JotErrorExpectations } from './attack.js';
import { syncOrRefused } from './runtime.js';
import { fromB64u, text, toB64u } from './encoding.js';
import { flattened } from './tokens.js';

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
  if (sync) {
    list.push([
      'createVerifier().verifySync',
      async (t) => {
        const v = createVerifier({ ...j, key });
        return syncOrRefused(
          () => v.verifySync(t),
          () => v.verify(t),
        );
      },
    ]);
  }
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

/**
 * Assert that a verification result carries the token's own payload: the bytes of its payload segment (JWS
 * results), or the claims they hold (JWT results).
 */
export function expectPayloadOf(result: unknown, token: string, name = ''): void {
  const segment = token.split('.')[1] ?? '';
  const payload = (result as { payload?: unknown } | undefined)?.payload;
  if (payload instanceof Uint8Array) expect(toB64u(payload), name).toBe(segment);
  else expect(payload, name).toEqual(JSON.parse(text(fromB64u(segment))));
}
