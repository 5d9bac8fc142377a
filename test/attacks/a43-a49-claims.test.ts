/**
 * A43-A49: claim validation. test/jwt/claims.test.ts (validateClaims) and test/jwt/verify-claims.test.ts (verifyJwt,
 * createVerifier) pin the rules; here the catalogue's exact values go through every claim-checking entry point at
 * once (verifyJwt, createVerifier verify/verifySync and its cache, validateClaims, decryptJwt, verifyUnsecuredJwt),
 * each failure checked for its code, claim and reason under the global invariants; and A47, which needs two issuers.
 */
import { describe, expect, it } from 'vitest';
import type { JotError, JotErrorCode } from '../../src/errors.js';
import { exportJwk, importKey, type Key } from '../../src/index.js';
import { encryptCompact } from '../../src/jwe/index.js';
import type { ClaimValidationOptions } from '../../src/jwt/index.js';
import {
  createVerifier,
  decryptJwt,
  signJwt,
  validateClaims,
  verifyJwt,
  verifyUnsecuredJwt,
} from '../../src/jwt/index.js';
import { createLocalJwkSet } from '../../src/keyset/index.js';
import {
  at,
  countingServer,
  expectJotError,
  hsKey,
  keysFor,
  NOW,
  rawHs256,
  sideEffectsOf,
  toB64u,
} from '../helpers/index.js';
import { callVerifier } from '../helpers/runtime.js';

const DIR = new Uint8Array(32).fill(0x2a);
let hs: Key;
let dir: Key;

/** Raw claims JSON text (so 1e400, -0 and 2^53 + 1 reach the parser as written). */
type Claims = string;

/** Every claim-checking entry point, each returning the verified claims. */
async function entryPoints(claims: Claims, options: ClaimValidationOptions, header = '{"alg":"HS256"}') {
  hs ??= await hsKey();
  dir ??= await importKey(DIR, { alg: 'dir' });
  const o = { currentDate: at(NOW), ...options };
  const token = rawHs256(header, claims);
  const typ = (JSON.parse(header) as { typ?: unknown }).typ;
  const jwe = await encryptCompact(
    claims,
    { alg: 'dir', enc: 'A256GCM', ...(typ === undefined ? {} : { typ }) } as never,
    dir,
  );
  const none = `${toB64u(JSON.stringify({ ...JSON.parse(header), alg: 'none' }))}.${toB64u(claims)}.`;
  return [
    ['verifyJwt', () => verifyJwt(token, hs, o)],
    ['createVerifier().verify', () => createVerifier({ ...o, key: hs }).verify(token)],
    ['createVerifier().verifySync', () => callVerifier(createVerifier({ ...o, key: hs }), 'verifySync', token)],
    ['createVerifier({ cache })', () => createVerifier({ ...o, key: hs, cache: {} }).verify(token)],
    ['validateClaims', async () => ({ payload: validateClaims(JSON.parse(claims), options, NOW, JSON.parse(header)) })],
    ['decryptJwt', () => decryptJwt(jwe, dir, o)],
    ['verifyUnsecuredJwt', async () => verifyUnsecuredJwt(none, o)],
  ] as const;
}

/** The claims must be refused everywhere with `code`, and `claim`/`reason` when given. */
async function refused(
  claims: Claims,
  options: ClaimValidationOptions,
  code: JotErrorCode,
  claim?: string,
  reason?: string,
  header?: string,
) {
  for (const [name, call] of await entryPoints(claims, options, header)) {
    let e: JotError;
    try {
      e = await expectJotError(call, code);
    } catch (x) {
      throw new Error(`${name} on ${claims}: ${(x as Error).message}`);
    }
    const c = e as JotError & { claim?: string; reason?: string };
    if (claim !== undefined) expect(c.claim, `${name} ${claims}`).toBe(claim);
    if (reason !== undefined) expect(c.reason, `${name} ${claims}`).toBe(reason);
  }
}

async function accepted(claims: Claims, options: ClaimValidationOptions, header?: string) {
  for (const [name, call] of await entryPoints(claims, options, header)) {
    const r = (await call().catch((e: unknown) => {
      throw new Error(`${name} refused ${claims}: ${(e as Error).message}`);
    })) as { payload: object };
    expect(r.payload, name).toEqual(JSON.parse(claims));
  }
}

describe('A43: exp, nbf and iat type confusion and numeric edge cases', () => {
  it('non-numbers and non-finite values are invalid, never coerced; 0, -1 and -0 are expired', async () => {
    const invalid = [
      '"9999999999"',
      '"1e10"',
      '" 1700000000"',
      'true',
      'null',
      '[]',
      '{}',
      '[9999999999]',
      '1e400',
      '-1e400',
      '"2030-01-01T00:00:00Z"',
    ];
    for (const claim of ['exp', 'nbf', 'iat']) {
      for (const v of invalid)
        await refused(`{"${claim}":${v}}`, {}, 'ERR_JWT_CLAIM_VALIDATION_FAILED', claim, 'invalid');
    }
    for (const v of ['0', '-1', '-0', '1700000000.5'])
      await refused(`{"exp":${v}}`, {}, 'ERR_JWT_EXPIRED', 'exp', 'expired');
    await accepted(`{"exp":${NOW + 0.5}}`, {});
    await accepted('{"exp":9007199254740993}', {}); // rounds to 2^53: far future, accepted unless maxExpiresIn
    await refused(
      '{"exp":9007199254740993}',
      { maxExpiresIn: '1d' } as ClaimValidationOptions,
      'ERR_JWT_CLAIM_VALIDATION_FAILED',
      'exp',
      'future',
    );
    await refused(
      `{"exp":${1.9e12}}`,
      { maxExpiresIn: 86_400 } as ClaimValidationOptions,
      'ERR_JWT_CLAIM_VALIDATION_FAILED',
      'exp',
      'future',
    );
    await accepted('{"nbf":0,"iat":0}', {});
  });
});

describe('A44: nbf/iat in the future and clock tolerance', () => {
  it('the catalogue table at a fixed now', async () => {
    await refused(`{"nbf":${NOW + 1}}`, {}, 'ERR_JWT_CLAIM_VALIDATION_FAILED', 'nbf', 'not_yet_valid');
    await accepted(`{"nbf":${NOW}}`, {});
    await refused(`{"exp":${NOW}}`, {}, 'ERR_JWT_EXPIRED', 'exp', 'expired');
    await accepted(`{"exp":${NOW + 1}}`, {});
    await accepted(`{"exp":${NOW - 30}}`, { clockTolerance: 60 });
    await refused(`{"exp":${NOW - 30}}`, { clockTolerance: 0 }, 'ERR_JWT_EXPIRED', 'exp');
    await refused(`{"iat":${NOW + 3600}}`, { maxTokenAge: 7200 }, 'ERR_JWT_CLAIM_VALIDATION_FAILED', 'iat', 'future');
    await refused('{}', { maxTokenAge: 7200 }, 'ERR_JWT_CLAIM_VALIDATION_FAILED', 'iat', 'missing');
  });

  it('unusable tolerances and dates are refused when the options are read, never taken as 0 or now', async () => {
    const key = await hsKey();
    const t = rawHs256('{"alg":"HS256"}', `{"exp":${NOW - 30}}`);
    for (const clockTolerance of [Number.POSITIVE_INFINITY, Number.NaN, -5, '1e309', '5 minutes', 1e12]) {
      await expectJotError(verifyJwt(t, key, { clockTolerance: clockTolerance as number }), 'ERR_INVALID_OPTION');
      await expectJotError(
        () => createVerifier({ key, clockTolerance: clockTolerance as number }),
        'ERR_INVALID_OPTION',
      );
      await expectJotError(
        () => validateClaims({}, { clockTolerance: clockTolerance as number }),
        'ERR_INVALID_OPTION',
      );
    }
    await expectJotError(verifyJwt(t, key, { currentDate: new Date(Number.NaN) }), 'ERR_INVALID_OPTION');
    await expectJotError(() => validateClaims({}, {}, Number.NaN), 'ERR_INVALID_OPTION');
  });

  it('a cached success never outlives exp, and a not-yet-valid token is not cached as a failure', async () => {
    const key = await hsKey();
    const now = at(NOW);
    const verifier = createVerifier({ key, currentDate: now, cache: { max: 8 } });
    const valid = rawHs256('{"alg":"HS256"}', `{"exp":${NOW + 60}}`);
    const early = rawHs256('{"alg":"HS256"}', `{"nbf":${NOW + 60}}`);
    await verifier.verify(valid);
    await expectJotError(verifier.verify(early), 'ERR_JWT_CLAIM_VALIDATION_FAILED');
    now.setTime((NOW + 61) * 1000);
    await expectJotError(verifier.verify(valid), 'ERR_JWT_EXPIRED');
    await expectJotError(() => callVerifier(verifier, 'verifySync', valid), 'ERR_JWT_EXPIRED');
    expect((await verifier.verify(early)).payload.nbf).toBe(NOW + 60);
  });
});

describe('A45: aud bypasses', () => {
  it('types, empty values, near misses; an array naming the audience passes unless one is required', async () => {
    const audience = 'https://api.example.com';
    const F = 'ERR_JWT_CLAIM_VALIDATION_FAILED';
    for (const [aud, reason] of [
      [undefined, 'missing'],
      ['null', 'invalid'],
      ['""', 'missing'],
      ['[]', 'missing'],
      ['[""]', 'invalid'],
      ['"https://api.example.com.evil.test"', 'mismatch'],
      ['"https://api.example.com/"', 'mismatch'],
      ['"HTTPS://API.EXAMPLE.COM"', 'mismatch'],
      ['"https://api.example.com\\u0000"', 'mismatch'],
      ['{"0":"https://api.example.com"}', 'invalid'],
      ['[["https://api.example.com"]]', 'invalid'],
      ['123', 'invalid'],
    ] as const) {
      await refused(aud === undefined ? '{}' : `{"aud":${aud}}`, { audience }, F, 'aud', reason);
    }
    await accepted(`{"aud":["attacker","${audience}"]}`, { audience });
    await refused(`{"aud":["attacker","${audience}"]}`, { audience, singleAudience: true }, F, 'aud', 'invalid');
    const key = await hsKey();
    for (const re of [/api.example.com/, /^https:\/\/api\.example\.com$/g, /(a+)+$/]) {
      await expectJotError(
        verifyJwt(rawHs256('{"alg":"HS256"}', '{"aud":"x"}'), key, { audience: re as never }),
        'ERR_INVALID_OPTION',
      );
    }
  });
});

describe('A46: iss bypasses', () => {
  it('arrays, substrings, case, types and a missing iss are refused; only an exact match passes', async () => {
    const issuer = 'https://idp.example.com';
    const F = 'ERR_JWT_CLAIM_VALIDATION_FAILED';
    const bad = ['["https://evil.test","https://idp.example.com"]', '""', '"https://idp.example"', '"idp.example.com"'];
    bad.push('"https://idp.example.com.evil.test"', '"https://IDP.example.com"', '1', '{}', 'null');
    for (const iss of bad) await refused(`{"iss":${iss}}`, { issuer }, F, 'iss');
    await refused('{}', { issuer }, F, 'iss', 'missing');
    await accepted(`{"iss":"${issuer}"}`, { issuer });
    await refused('{"iss":"https://a https://b"}', { issuer: ['https://a', 'https://b'] }, F, 'iss', 'mismatch');
    await accepted('{"iss":"https://b"}', { issuer: ['https://a', 'https://b'] });
  });
});

describe('A47: a key never vouches for another issuer', () => {
  it("per-issuer verifiers refuse each other's tokens; an unknown issuer makes no request", async () => {
    const a = await keysFor('ES256');
    const b = await keysFor('ES384');
    const setA = createLocalJwkSet({ keys: [{ ...(await exportJwk(a.publicKey)), kid: 'a' }] });
    const setB = createLocalJwkSet({ keys: [{ ...(await exportJwk(b.publicKey)), kid: 'b' }] });
    const verifierA = createVerifier({
      key: setA,
      issuer: 'https://a.example',
      algorithms: ['ES256'],
      allowAnyAudience: true,
    });
    const verifierB = createVerifier({
      key: setB,
      issuer: 'https://b.example',
      algorithms: ['ES384'],
      allowAnyAudience: true,
    });
    const claimsB = await signJwt({ iss: 'https://b.example' }, a.privateKey, { kid: 'a' }); // A's key, B's name
    const claimsA = await signJwt({ iss: 'https://a.example' }, b.privateKey, { kid: 'b' });
    await expectJotError(verifierB.verify(claimsB), ['ERR_JOSE_ALG_NOT_ALLOWED', 'ERR_JWKS_NO_MATCHING_KEY']);
    await expectJotError(verifierA.verify(claimsB), 'ERR_JWT_CLAIM_VALIDATION_FAILED');
    await expectJotError(verifierA.verify(claimsA), ['ERR_JOSE_ALG_NOT_ALLOWED', 'ERR_JWKS_NO_MATCHING_KEY']);
    // An application's multi-issuer resolver picks among configured anchors by the unverified iss; jot derives no
    // URL from it: a token naming an unknown issuer makes no request.
    const server = await countingServer({ keys: [] });
    try {
      const resolver = (_h: unknown, token: unknown) => {
        const iss = JSON.parse(Buffer.from(String(token).split('.')[1]!, 'base64url').toString()).iss;
        return ({ 'https://a.example': setA, 'https://b.example': setB } as Record<string, typeof setA>)[iss]?.(
          _h as never,
        ) as Key;
      };
      const c = await signJwt({ iss: server.origin }, a.privateKey, { kid: 'a' });
      const calls = await sideEffectsOf(() =>
        expectJotError(verifyJwt(c, resolver, { algorithms: ['ES256'], issuer: ['https://a.example'] }), [
          'ERR_JWKS_NO_MATCHING_KEY',
          'ERR_KEY_INVALID',
        ]),
      );
      expect(calls).toEqual([]);
      expect(server.hits()).toBe(0);
    } finally {
      await server.close();
    }
  });
});

describe('A48: token-type confusion', () => {
  it('typ compared as a media type, exactly; non-strings refused; ID and logout tokens refused', async () => {
    const o = { typ: 'at+jwt' };
    const F = 'ERR_JWT_CLAIM_VALIDATION_FAILED';
    for (const typ of ['at+JWT', 'application/at+jwt', 'application/AT+JWT'])
      await accepted('{}', o, JSON.stringify({ alg: 'HS256', typ }));
    for (const [typ, reason] of [
      ['JWT', 'mismatch'],
      ['at+jwt ', 'mismatch'],
      ['logout+jwt', 'mismatch'],
      [['at+jwt'], 'invalid'],
      [1, 'invalid'],
    ] as const) {
      await refused('{}', o, F, 'typ', reason, JSON.stringify({ alg: 'HS256', typ }));
    }
    await refused('{}', o, F, 'typ', 'missing');
    const idToken = '{"iss":"https://idp","aud":"client","nonce":"n","azp":"client"}';
    await refused(idToken, { ...o, audience: 'client' }, F, 'typ', 'mismatch', '{"alg":"HS256","typ":"JWT"}');
    const logout =
      '{"iss":"https://idp","aud":"client","events":{"http://schemas.openid.net/event/backchannel-logout":{}}}';
    await refused(
      logout,
      { typ: 'JWT', audience: 'client' },
      F,
      'typ',
      'mismatch',
      '{"alg":"HS256","typ":"logout+jwt"}',
    );
  });
});

describe('A49: cross-JWT substitution between services', () => {
  it('(a) another audience, (b) no audience configured, (c) several audiences where one is required', async () => {
    const F = 'ERR_JWT_CLAIM_VALIDATION_FAILED';
    await refused('{"aud":"svc-a"}', { audience: 'svc-b' }, F, 'aud', 'mismatch');
    await refused('{"aud":"svc-a"}', {}, F, 'aud', 'mismatch');
    await accepted('{"aud":"svc-a"}', { allowAnyAudience: true });
    await refused('{"aud":["svc-a","svc-b"]}', { audience: 'svc-b', singleAudience: true }, F, 'aud', 'invalid');
  });
});
