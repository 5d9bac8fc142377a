// validateClaims: every rule at its boundary, pinning code, claim and reason (A43-A46, A48, A49).
import { describe, expect, it } from 'vitest';
import { type JotErrorCode, JwtClaimError } from '../../src/errors.js';
import { validateClaims } from '../../src/jwt/claims.js';
import { at, expectCode, NOW } from '../helpers/index.js';

const ok = (payload: object, options: object = {}, now: number | Date = NOW, header?: object) =>
  expect(validateClaims(payload, options, now, header as Record<string, unknown> | undefined)).toBe(payload);
const bad = (
  payload: object,
  options: object,
  code: JotErrorCode,
  claim: string,
  reason: string,
  now: number | Date = NOW,
  header?: object,
) =>
  expectCode(() => validateClaims(payload, options, now, header as Record<string, unknown> | undefined), code, {
    claim,
    reason,
  });
const FAIL = 'ERR_JWT_CLAIM_VALIDATION_FAILED';

describe('exp', () => {
  it('accepts exp one second ahead, rejects exactly at exp and one second after', async () => {
    ok({ exp: NOW + 1 });
    await bad({ exp: NOW }, {}, 'ERR_JWT_EXPIRED', 'exp', 'expired');
    await bad({ exp: NOW - 1 }, {}, 'ERR_JWT_EXPIRED', 'exp', 'expired');
  });
  it('tolerance: exp = now - tol is expired, one second later is not', async () => {
    ok({ exp: NOW - 59 }, { clockTolerance: 60 });
    await bad({ exp: NOW - 60 }, { clockTolerance: 60 }, 'ERR_JWT_EXPIRED', 'exp', 'expired');
    ok({ exp: NOW - 30 }, { clockTolerance: '1m' });
    await bad({ exp: NOW - 30 }, { clockTolerance: 0 }, 'ERR_JWT_EXPIRED', 'exp', 'expired');
  });
  it('fractional exp is valid and compared exactly', async () => {
    ok({ exp: NOW + 0.5 });
    await bad({ exp: NOW + 0.5 }, {}, 'ERR_JWT_EXPIRED', 'exp', 'expired', NOW + 0.5);
  });
  it('0, -1 and -0 are expired (never skipped as falsy)', async () => {
    for (const exp of [0, -1, -0]) await bad({ exp }, {}, 'ERR_JWT_EXPIRED', 'exp', 'expired');
  });
  it('the expired error carries the payload, not enumerable', async () => {
    const payload = { exp: NOW - 1, sub: 'u' };
    const e = (await bad(payload, {}, 'ERR_JWT_EXPIRED', 'exp', 'expired')) as JwtClaimError;
    expect(e).toBeInstanceOf(JwtClaimError);
    expect(e.payload).toBe(payload);
    expect(JSON.stringify(e)).not.toContain('"sub"');
  });
  it('wrong JSON types and non-finite values are invalid, never coerced (A43)', async () => {
    const values = ['9999999999', '1e10', ' 1700000000', true, null, [], {}, [9999999999], Infinity, -Infinity, NaN];
    for (const exp of values) await bad({ exp }, {}, FAIL, 'exp', 'invalid');
    await bad(JSON.parse('{"exp":1e400}'), {}, FAIL, 'exp', 'invalid');
    await bad(JSON.parse('{"exp":-1e400}'), {}, FAIL, 'exp', 'invalid');
    await bad({ exp: '2030-01-01T00:00:00Z' }, {}, FAIL, 'exp', 'invalid');
  });
  it('maxExpiresIn rejects exp too far ahead (milliseconds, never-expiring tokens)', async () => {
    ok({ exp: NOW + 3600 }, { maxExpiresIn: '1h' });
    await bad({ exp: NOW + 3601 }, { maxExpiresIn: '1h' }, FAIL, 'exp', 'future');
    await bad({ exp: 1.9e12 }, { maxExpiresIn: '7d' }, FAIL, 'exp', 'future');
    ok({ exp: NOW + 3610 }, { maxExpiresIn: '1h', clockTolerance: 10 });
  });
});

describe('nbf', () => {
  it('nbf = now accepted, nbf = now + 1 rejected', async () => {
    ok({ nbf: NOW });
    await bad({ nbf: NOW + 1 }, {}, FAIL, 'nbf', 'not_yet_valid');
  });
  it('tolerance: nbf = now + tol accepted, + tol + 1 rejected', async () => {
    ok({ nbf: NOW + 30 }, { clockTolerance: 30 });
    await bad({ nbf: NOW + 31 }, { clockTolerance: 30 }, FAIL, 'nbf', 'not_yet_valid');
  });
  it('types (1e400 would make a never-valid token, 0 is fine)', async () => {
    ok({ nbf: 0 });
    for (const nbf of ['1', null, true, {}]) await bad({ nbf }, {}, FAIL, 'nbf', 'invalid');
    await bad(JSON.parse('{"nbf":1e400}'), {}, FAIL, 'nbf', 'invalid');
  });
});

describe('iat', () => {
  it('iat in the future beyond tolerance is rejected', async () => {
    ok({ iat: NOW });
    await bad({ iat: NOW + 1 }, {}, FAIL, 'iat', 'future');
    ok({ iat: NOW + 5 }, { clockTolerance: 5 });
    await bad({ iat: NOW + 3600 }, { clockTolerance: 5, maxTokenAge: 600 }, FAIL, 'iat', 'future');
  });
  it('types', async () => {
    for (const iat of ['1', null, false, []]) await bad({ iat }, {}, FAIL, 'iat', 'invalid');
  });
  it('maxTokenAge: exactly the age accepted, one second older rejected; iat required', async () => {
    ok({ iat: NOW - 600 }, { maxTokenAge: '10m' });
    await bad({ iat: NOW - 601 }, { maxTokenAge: 600 }, FAIL, 'iat', 'too_old');
    ok({ iat: NOW - 601 }, { maxTokenAge: 600, clockTolerance: 1 });
    await bad({ exp: NOW + 10 }, { maxTokenAge: 600 }, FAIL, 'iat', 'missing');
  });
});

describe('iss (A46)', () => {
  const issuer = 'https://idp.example.com';
  it('exact match with one or several issuers', () => {
    ok({ iss: issuer }, { issuer });
    ok({ iss: 'https://b' }, { issuer: ['https://a', 'https://b'] });
  });
  it('missing, wrong type, near misses', async () => {
    await bad({}, { issuer }, FAIL, 'iss', 'missing');
    for (const iss of [['https://evil.test', issuer], 1, {}, null])
      await bad({ iss }, { issuer }, FAIL, 'iss', 'invalid');
    for (const iss of [
      '',
      'https://idp.example',
      'idp.example.com',
      `${issuer}.evil.test`,
      'https://IDP.example.com',
    ]) {
      await bad({ iss }, { issuer }, FAIL, 'iss', 'mismatch');
    }
    await bad({ iss: 'https://a https://b' }, { issuer: ['https://a', 'https://b'] }, FAIL, 'iss', 'mismatch');
  });
  it('without an issuer configured, iss must still be a string', async () => {
    ok({ iss: 'anything' });
    await bad({ iss: 5 }, {}, FAIL, 'iss', 'invalid');
  });
});

describe('aud (A45, A49)', () => {
  const audience = 'https://api.example.com';
  it('string or array, any intersection', () => {
    ok({ aud: audience }, { audience });
    ok({ aud: ['attacker', audience] }, { audience });
    ok({ aud: 'b' }, { audience: ['a', 'b'] });
  });
  it('missing or empty is "missing"', async () => {
    for (const p of [{}, { aud: '' }, { aud: [] }]) await bad(p, { audience }, FAIL, 'aud', 'missing');
  });
  it('wrong types are "invalid"', async () => {
    const values = [null, [''], { 0: audience }, [[audience]], 123, [audience, 1]];
    for (const aud of values) await bad({ aud }, { audience }, FAIL, 'aud', 'invalid');
  });
  it('near misses are "mismatch" (exact, case-sensitive)', async () => {
    const values = [`${audience}.evil.test`, `${audience}/`, 'HTTPS://API.EXAMPLE.COM', `${audience}\u0000`];
    for (const aud of values) await bad({ aud }, { audience }, FAIL, 'aud', 'mismatch');
  });
  it('A49: a token naming an audience fails when none is configured, unless allowAnyAudience', async () => {
    await bad({ aud: 'svc-a' }, {}, FAIL, 'aud', 'mismatch');
    await bad({ aud: ['svc-a'] }, {}, FAIL, 'aud', 'mismatch');
    await bad({ aud: 'svc-a' }, { audience: 'svc-b' }, FAIL, 'aud', 'mismatch');
    ok({ aud: 'svc-a' }, { allowAnyAudience: true });
    ok({});
    await bad({ aud: 5 }, { allowAnyAudience: true }, FAIL, 'aud', 'invalid');
  });
  it('A49 (c): singleAudience refuses several audiences', async () => {
    ok({ aud: ['svc-b'] }, { audience: 'svc-b', singleAudience: true });
    await bad({ aud: ['svc-a', 'svc-b'] }, { audience: 'svc-b', singleAudience: true }, FAIL, 'aud', 'invalid');
  });
});

describe('sub, jti, requiredClaims', () => {
  it('sub', async () => {
    ok({ sub: 'u' }, { subject: 'u' });
    await bad({}, { subject: 'u' }, FAIL, 'sub', 'missing');
    await bad({ sub: 'v' }, { subject: 'u' }, FAIL, 'sub', 'mismatch');
    await bad({ sub: 1 }, {}, FAIL, 'sub', 'invalid');
  });
  it('jti must be a string', async () => {
    ok({ jti: 'x' });
    await bad({ jti: 1 }, {}, FAIL, 'jti', 'invalid');
  });
  it('requiredClaims: absent or null is missing', async () => {
    ok({ exp: NOW + 1, role: false }, { requiredClaims: ['exp', 'role'] });
    await bad({}, { requiredClaims: ['exp'] }, FAIL, 'exp', 'missing');
    await bad({ role: null }, { requiredClaims: ['role'] }, FAIL, 'role', 'missing');
  });
  it('an inherited claim does not count (own properties only)', async () => {
    const payload = Object.create({ sub: 'u', exp: 1 }) as object;
    await bad(payload, { subject: 'u' }, FAIL, 'sub', 'missing');
    await bad(payload, { requiredClaims: ['exp'] }, FAIL, 'exp', 'missing');
  });
});

describe('typ (A48)', () => {
  const o = { typ: 'at+jwt' };
  it('media-type normalisation (the function itself: header.test.ts)', () => {
    for (const typ of ['at+jwt', 'at+JWT', 'application/at+jwt', 'application/AT+JWT']) ok({}, o, NOW, { typ });
    ok({}, { typ: 'application/at+jwt' }, NOW, { typ: 'AT+jwt' });
  });
  it('missing, non-string and near misses', async () => {
    await bad({}, o, FAIL, 'typ', 'missing', NOW, {});
    await bad({}, o, FAIL, 'typ', 'missing');
    for (const typ of [['at+jwt'], 1, null]) await bad({}, o, FAIL, 'typ', 'invalid', NOW, { typ });
    for (const typ of ['JWT', 'at+jwt ', 'logout+jwt', 'application/application/at+jwt']) {
      await bad({}, o, FAIL, 'typ', 'mismatch', NOW, { typ });
    }
  });
});

describe('now and the payload', () => {
  it('now as a Date, as seconds, from currentDate, or the clock', async () => {
    ok({ exp: NOW + 1 }, {}, at(NOW));
    ok({ exp: NOW + 1 }, { currentDate: at(NOW) }, undefined as unknown as number);
    const live = { exp: Date.now() / 1000 + 60 };
    expect(validateClaims(live)).toEqual(live);
    await expectCode(() => validateClaims({}, {}, Number.NaN), 'ERR_INVALID_OPTION');
    await expectCode(() => validateClaims({}, {}, new Date(Number.NaN)), 'ERR_INVALID_OPTION');
  });
  it('the payload must be an object', async () => {
    for (const p of [null, [], 'x', 1]) await expectCode(() => validateClaims(p as object), 'ERR_JWT_INVALID');
  });
  it('a __proto__ claim stays an own data property and pollutes nothing (A38)', () => {
    const payload = JSON.parse('{"__proto__":{"admin":true},"sub":"u"}') as object;
    ok(payload, { subject: 'u' });
    expect(({} as { admin?: unknown }).admin).toBeUndefined();
  });
});
