// Type-level tests of the JWT API, checked by `tsc --noEmit`. The assertions live in functions that are never
// called (the calls would need real keys); the runtime test only makes sure the file loads.
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { JoseHeader } from '../../src/jws/header.js';
import {
  createSigner,
  createVerifier,
  type JwtClaims,
  type JwtVerifyResult,
  signJwt,
  validateClaims,
  verifyJwt,
  verifyUnsecuredJwt,
} from '../../src/jwt/index.js';
import type { Key } from '../../src/key/index.js';

interface AccessClaims {
  scope: string;
  roles: string[];
}

function typedPayloads(key: Key) {
  const typed = verifyJwt<AccessClaims>('t', key);
  expectTypeOf(typed).toEqualTypeOf<Promise<JwtVerifyResult<AccessClaims>>>();
  type R = Awaited<typeof typed>;
  expectTypeOf<R['payload']['scope']>().toEqualTypeOf<string>();
  expectTypeOf<R['payload']['roles']>().toEqualTypeOf<string[]>();
  expectTypeOf<R['payload']['exp']>().toEqualTypeOf<number | undefined>();
  expectTypeOf<R['payload']['aud']>().toEqualTypeOf<string | string[] | undefined>();
  expectTypeOf<R['payload']['other']>().toEqualTypeOf<unknown>();
  expectTypeOf<R['key']>().toEqualTypeOf<Key>();
  expectTypeOf<R['protectedHeader']>().toEqualTypeOf<Readonly<JoseHeader>>();
  expectTypeOf(verifyJwt('t', key)).resolves.toHaveProperty('payload').toEqualTypeOf<JwtClaims & JwtClaims>();

  const v = createVerifier<AccessClaims>({ key, issuer: 'i', audience: 'a' });
  expectTypeOf(v.verifySync('t').payload.roles).toEqualTypeOf<string[]>();
  expectTypeOf(v.verify('t')).resolves.toHaveProperty('payload').toHaveProperty('scope').toEqualTypeOf<string>();
  expectTypeOf(verifyUnsecuredJwt<AccessClaims>('t').payload.scope).toEqualTypeOf<string>();
  expectTypeOf(validateClaims({ scope: 's' }).scope).toEqualTypeOf<string>();
}

function signingInputs(key: Key) {
  const claims: AccessClaims = { scope: 's', roles: [] };
  expectTypeOf(signJwt(claims, key)).toEqualTypeOf<Promise<string>>();
  expectTypeOf(signJwt({ anything: 1, exp: 5, aud: ['a'] }, key)).toEqualTypeOf<Promise<string>>();
  // @ts-expect-error exp must be a number
  signJwt({ exp: '5' }, key);
  // @ts-expect-error aud must be a string or a string array
  signJwt({ aud: 5 }, key);
  const signer = createSigner({ key, expiresIn: '15m' });
  expectTypeOf(signer.signSync(claims)).toEqualTypeOf<string>();
  // @ts-expect-error iss must be a string
  signer.signSync({ iss: 1 });
}

function options(key: Key) {
  // @ts-expect-error '15M' is not a duration unit
  createSigner({ key, expiresIn: '15M' });
  // @ts-expect-error unknown option
  createVerifier({ key, audiences: ['a'] });
  // @ts-expect-error key is required
  createVerifier({ issuer: 'i' });
  createVerifier({ key, clockTolerance: '30s', maxTokenAge: 3600, cache: { max: 100, ttl: '5m' } });
}

describe('JWT types', () => {
  it('are checked by tsc', () => {
    expect([typedPayloads, signingInputs, options].every((f) => typeof f === 'function')).toBe(true);
  });
});
