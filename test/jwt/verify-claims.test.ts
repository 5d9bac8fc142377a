// The verification behaviour suite, part 2: claims after the signature (A43-A50), typ, revocation, strict mode and
// option guard rails, run against every verification mode.
import { describe, expect, it } from 'vitest';
import { JotError, type JwtClaimError } from '../../src/errors.js';
import { signJwt } from '../../src/jwt/index.js';
import type { RevocationChecker } from '../../src/jwt/types.js';
import { importKey } from '../../src/key/index.js';
import { MODES } from './modes.js';
import { at, expectCode, hsKey, keysFor, NOW, rawHs256, SECRET } from '../helpers/index.js';

const FAIL = 'ERR_JWT_CLAIM_VALIDATION_FAILED';
const ISS = 'https://idp.example';
const base = { iss: ISS, aud: 'api', sub: 'u', jti: 'j1', iat: NOW - 10 };
const O = { issuer: ISS, audience: 'api', currentDate: at(NOW) };

/** In-test revocation list, by jti; both forms. */
function revocationList(revoked: Set<string>, calls: unknown[] = []): RevocationChecker {
  return {
    isRevoked: async (claims) => {
      calls.push(claims);
      return revoked.has(claims.jti as string);
    },
    isRevokedSync: (claims) => {
      calls.push(claims);
      return revoked.has(claims.jti as string);
    },
  };
}

describe.each(MODES)('$name: claims, typ, revocation, strict', ({ verify }) => {
  it('exp at the boundary, with and without tolerance', async () => {
    const key = await hsKey();
    const t = (exp: number) => signJwt({ ...base, exp }, key, { issuedAt: false });
    expect((await verify(await t(NOW + 1), key, O)).payload.exp).toBe(NOW + 1);
    await expectCode(verify(await t(NOW), key, O), 'ERR_JWT_EXPIRED', { claim: 'exp', reason: 'expired' });
    await expectCode(verify(await t(NOW - 1), key, O), 'ERR_JWT_EXPIRED', { claim: 'exp', reason: 'expired' });
    expect((await verify(await t(NOW - 30), key, { ...O, clockTolerance: 60 })).payload.sub).toBe('u');
    await expectCode(verify(await t(NOW - 60), key, { ...O, clockTolerance: '1m' }), 'ERR_JWT_EXPIRED');
    await expectCode(verify(await t(NOW - 30), key, { ...O, clockTolerance: 0 }), 'ERR_JWT_EXPIRED');
  });

  it('nbf and iat at the boundary; maxTokenAge needs iat', async () => {
    const key = await hsKey();
    const s = (claims: object) => signJwt({ ...base, ...claims }, key, { issuedAt: false });
    expect((await verify(await s({ nbf: NOW }), key, O)).payload.nbf).toBe(NOW);
    await expectCode(verify(await s({ nbf: NOW + 1 }), key, O), FAIL, { claim: 'nbf', reason: 'not_yet_valid' });
    expect((await verify(await s({ nbf: NOW + 5 }), key, { ...O, clockTolerance: 5 })).payload.nbf).toBe(NOW + 5);
    await expectCode(verify(await s({ iat: NOW + 3600 }), key, { ...O, maxTokenAge: '1h' }), FAIL, {
      claim: 'iat',
      reason: 'future',
    });
    const noIat = await signJwt({ iss: ISS, aud: 'api' }, key, { issuedAt: false });
    await expectCode(verify(noIat, key, { ...O, maxTokenAge: 60 }), FAIL, { claim: 'iat', reason: 'missing' });
    await expectCode(verify(await s({ iat: NOW - 61 }), key, { ...O, maxTokenAge: 60 }), FAIL, {
      claim: 'iat',
      reason: 'too_old',
    });
  });

  it('A43: mistyped time claims in a validly signed token', async () => {
    const key = await hsKey();
    const h = JSON.stringify({ alg: 'HS256' });
    const c = '"iss":"https://idp.example","aud":"api"';
    for (const [claim, v] of [
      ['exp', '"9999999999"'],
      ['exp', '1e400'],
      ['exp', 'null'],
      ['exp', '[9999999999]'],
      ['nbf', '1e400'],
      ['nbf', '"0"'],
      ['iat', 'true'],
    ] as const) {
      await expectCode(verify(rawHs256(h, `{${c},"${claim}":${v}}`), key, O), FAIL, { claim, reason: 'invalid' });
    }
    for (const exp of ['0', '-1', '-0']) {
      await expectCode(verify(rawHs256(h, `{${c},"exp":${exp}}`), key, O), 'ERR_JWT_EXPIRED');
    }
    await expectCode(verify(rawHs256(h, `{${c},"exp":1.9e12}`), key, { ...O, maxExpiresIn: '1d' }), FAIL, {
      claim: 'exp',
      reason: 'future',
    });
  });

  it('A45, A46, A49: issuer and audience', async () => {
    const key = await hsKey();
    const s = (claims: object) => signJwt({ ...base, ...claims }, key);
    await expectCode(verify(await s({ iss: 'https://idp.example.evil' }), key, O), FAIL, {
      claim: 'iss',
      reason: 'mismatch',
    });
    const issArray = rawHs256('{"alg":"HS256"}', JSON.stringify({ ...base, iss: [ISS] }));
    await expectCode(verify(issArray, key, O), FAIL, { claim: 'iss', reason: 'invalid' });
    await expectCode(verify(await s({ aud: 'API' }), key, O), FAIL, { claim: 'aud', reason: 'mismatch' });
    await expectCode(verify(await s({ aud: [] }), key, O), FAIL, { claim: 'aud', reason: 'missing' });
    expect((await verify(await s({ aud: ['x', 'api'] }), key, O)).payload.aud).toEqual(['x', 'api']);
    // A49: no audience configured
    const svcA = await s({ aud: 'svc-a' });
    const noAud = { issuer: ISS, currentDate: at(NOW) };
    await expectCode(verify(svcA, key, noAud), FAIL, { claim: 'aud', reason: 'mismatch' });
    await expectCode(verify(svcA, key, { ...noAud, audience: 'svc-b' }), FAIL, { claim: 'aud', reason: 'mismatch' });
    expect((await verify(svcA, key, { ...noAud, allowAnyAudience: true })).payload.aud).toBe('svc-a');
    const both = await s({ aud: ['svc-a', 'svc-b'] });
    await expectCode(verify(both, key, { ...noAud, audience: 'svc-b', singleAudience: true }), FAIL, { claim: 'aud' });
    expect((await verify(await signJwt({}, key), key)).payload.iat).toBeTypeOf('number');
  });

  it('A48: typ with media-type normalisation, checked after the signature', async () => {
    const key = await hsKey();
    const o = { ...O, typ: 'at+jwt' };
    for (const typ of ['at+jwt', 'at+JWT', 'application/at+jwt', 'application/AT+JWT']) {
      expect((await verify(await signJwt(base, key, { typ }), key, o)).protectedHeader.typ).toBe(typ);
    }
    for (const typ of ['JWT', 'at+jwt ', 'logout+jwt']) {
      await expectCode(verify(await signJwt(base, key, { typ }), key, o), FAIL, { claim: 'typ', reason: 'mismatch' });
    }
    await expectCode(verify(await signJwt(base, key, { typ: false }), key, o), FAIL, {
      claim: 'typ',
      reason: 'missing',
    });
    const arrayTyp = await signJwt(base, key, { typ: false, header: { typ: ['at+jwt'] } });
    await expectCode(verify(arrayTyp, key, o), FAIL, { claim: 'typ', reason: 'invalid' });
    const forged = `${(await signJwt(base, key, { typ: 'JWT' })).slice(0, -3)}AAA`;
    await expectCode(verify(forged, key, o), 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED');
  });

  it('A50: an unauthenticated token never gets a claim error, and no error carries its claims', async () => {
    const key = await hsKey();
    const other = await importKey(new TextEncoder().encode('a different secret of 32 bytes!!'), { alg: 'HS256' });
    const expired = await signJwt({ ...base, exp: NOW - 100, nbf: NOW + 100 }, other, { typ: 'x' });
    const e = (await expectCode(
      verify(expired, key, { ...O, typ: 'at+jwt' }),
      'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
    )) as JotError;
    expect(Object.keys(e)).not.toContain('payload');
    expect(JSON.stringify(e)).not.toContain('"sub"');
    expect(JSON.stringify(e.toJSON())).not.toContain(expired);
    const { privateKey } = await keysFor('HS384');
    const wrongAlg = await signJwt({ ...base, nbf: NOW + 100 }, privateKey);
    await expectCode(verify(wrongAlg, key, O), 'ERR_JOSE_ALG_NOT_ALLOWED');
    const good = await signJwt({ ...base, exp: NOW - 100 }, key);
    const x = (await expectCode(verify(good, key, O), 'ERR_JWT_EXPIRED')) as JwtClaimError;
    expect(x.payload.sub).toBe('u');
  });

  it('revocation: checked after the claims, with the verified claims; fails closed', async () => {
    const key = await hsKey();
    const calls: unknown[] = [];
    const revocation = revocationList(new Set(['j1']), calls);
    const revoked = await signJwt(base, key);
    await expectCode(verify(revoked, key, { ...O, revocation }), 'ERR_JWT_REVOKED');
    expect((calls[0] as { sub: string }).sub).toBe('u');
    const fine = await signJwt({ ...base, jti: 'j2' }, key);
    expect((await verify(fine, key, { ...O, revocation })).payload.jti).toBe('j2');
    const expiredRevoked = await signJwt({ ...base, exp: NOW - 1 }, key);
    await expectCode(verify(expiredRevoked, key, { ...O, revocation }), 'ERR_JWT_EXPIRED');
    calls.length = 0;
    await expectCode(
      verify(`${revoked.slice(0, -3)}AAA`, key, { ...O, revocation }),
      'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
    );
    expect(calls).toEqual([]);
    const down = () => {
      throw new JotError('ERR_REVOCATION_STORE_UNAVAILABLE', 'store down');
    };
    const unavailable = { isRevoked: async () => down(), isRevokedSync: down } as RevocationChecker;
    await expectCode(verify(fine, key, { ...O, revocation: unavailable }), 'ERR_REVOCATION_STORE_UNAVAILABLE');
    const broken = { isRevoked: async () => null, isRevokedSync: () => null } as unknown as RevocationChecker;
    await expectCode(verify(fine, key, { ...O, revocation: broken }), 'ERR_REVOCATION_STORE_UNAVAILABLE');
    const typeError = () => {
      throw new TypeError('bug');
    };
    const buggy = { isRevoked: async () => typeError(), isRevokedSync: typeError } as RevocationChecker;
    await expectCode(verify(fine, key, { ...O, revocation: buggy }), 'ERR_REVOCATION_STORE_UNAVAILABLE');
    await expectCode(verify(fine, key, { ...O, revocation: {} as RevocationChecker }), 'ERR_INVALID_OPTION');
  });

  it('strict: algorithms (or a bound key), issuer and audience stated; exp required', async () => {
    const key = await hsKey();
    const unbound = await importKey(SECRET);
    const good = await signJwt(base, key, { expiresIn: '1h', currentDate: at(NOW) });
    const strict = { ...O, strict: true };
    expect((await verify(good, key, strict)).payload.sub).toBe('u');
    await expectCode(verify(good, key, { strict: true, audience: 'api' }), 'ERR_INVALID_OPTION');
    await expectCode(verify(good, key, { strict: true, issuer: ISS }), 'ERR_INVALID_OPTION');
    await expectCode(
      verify(good, () => key, strict),
      'ERR_INVALID_OPTION',
    );
    expect((await verify(good, () => key, { ...strict, algorithms: ['HS256'] })).key).toBe(key);
    await expectCode(verify(good, unbound, strict), 'ERR_INVALID_OPTION');
    await expectCode(verify(await signJwt(base, key), key, strict), FAIL, { claim: 'exp', reason: 'missing' });
    await expectCode(verify(good, key, { ...O, strict: 'yes' as never }), 'ERR_INVALID_OPTION');
  });

  it('option guard rails (A44)', async () => {
    const key = await hsKey();
    const t = await signJwt(base, key);
    const bad: object[] = [
      { clockTolerance: Number.POSITIVE_INFINITY },
      { clockTolerance: Number.NaN },
      { clockTolerance: -5 },
      { clockTolerance: '1e309' },
      { clockTolerance: '5 minutes' },
      { clockTolerance: 1e12 },
      { clockTolerance: '2d' },
      { currentDate: new Date(Number.NaN) },
      { currentDate: NOW },
      { audience: [] },
      { audience: '' },
      { audience: ['api', 5] },
      { issuer: [] },
      { issuer: 5 },
      { typ: '' },
      { subject: '' },
      { requiredClaims: 'exp' },
      { requiredClaims: [''] },
      { maxTokenAge: 'forever' },
      { maxTokenAge: -1 },
      { maxExpiresIn: 0 },
      { allowAnyAudience: 'yes' },
      { allowAnyAudience: true, audience: 'api' },
      { singleAudience: 1 },
      { algorithms: [] },
      { algorithms: ['HS256', 'none'] },
      { algorithms: ['hs256'] },
      { algorithms: 'HS256' },
      { crit: [] },
      { maxTokenLength: 0 },
      { maxTokenLength: 1.5 },
      { detachedPayload: 'x' },
      { unknownOption: 1 },
    ];
    for (const o of bad) await expectCode(verify(t, key, o as never), 'ERR_INVALID_OPTION');
    await expectCode(verify(t, key, 'strict' as never), 'ERR_INVALID_OPTION');
  });
});
