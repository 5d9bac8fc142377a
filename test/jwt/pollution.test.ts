// A38: options, headers and claims are read as own properties only. A polluted Object.prototype changes nothing.
// The prototype is polluted only around the calls under test (try/finally); assertions run after it is restored.
import { describe, expect, it } from 'vitest';
import { JotError } from '../../src/errors.js';
import { createSigner, createVerifier, signJwt, validateClaims, verifyJwt } from '../../src/jwt/index.js';
import { at, hsKey, jsonB64u, NOW, rawHs256 } from '../helpers/index.js';
import { syncOrRefused } from '../helpers/runtime.js';

const POLLUTION: Record<string, unknown> = {
  algorithms: ['none'],
  clockTolerance: 1e12,
  crit: { 'urn:x': true },
  allowAnyAudience: true,
  audience: 'svc',
  issuer: 'https://evil',
  maxTokenLength: 10,
  maxTokenAge: 1,
  requiredClaims: ['nope'],
  typ: 'nope',
  strict: true,
  cache: { max: 0 },
  revocation: { isRevoked: async () => true },
  currentDate: new Date(0),
  exp: 0,
  nbf: 1e12,
  iat: 1e12,
  aud: 'svc',
  b64: false,
  cty: 'JWT',
  enc: 'A128GCM',
  header: { alg: 'none' },
  expiresIn: 'soon',
};

async function polluted<T>(f: () => Promise<T>): Promise<T> {
  const proto = Object.prototype as Record<string, unknown>;
  for (const [k, v] of Object.entries(POLLUTION))
    Object.defineProperty(proto, k, { value: v, configurable: true, writable: true });
  try {
    return await f();
  } finally {
    for (const k of Object.keys(POLLUTION)) delete proto[k];
  }
}

const code = async (f: () => unknown): Promise<string> => {
  try {
    await f();
    return 'ok';
  } catch (e) {
    return e instanceof JotError ? e.code : `escaped: ${String(e)}`;
  }
};

describe('prototype pollution (A38)', () => {
  it('changes no verification outcome', async () => {
    const key = await hsKey();
    const good = await signJwt({ sub: 'u' }, key, { currentDate: at(NOW) });
    const expired = await signJwt({ sub: 'u', exp: NOW - 10 }, key, { issuedAt: false });
    const withAud = await signJwt({ aud: 'svc' }, key);
    const none = `${jsonB64u({ alg: 'none' })}.${jsonB64u({ sub: 'u' })}.`;
    const crit = rawHs256(JSON.stringify({ alg: 'HS256', crit: ['urn:x'], 'urn:x': 1 }), '{}');
    const outcomes = await polluted(async () => ({
      good: await code(() => verifyJwt(good, key, { currentDate: at(NOW) })),
      expired: await code(() => verifyJwt(expired, key, { currentDate: at(NOW) })),
      aud: await code(() => verifyJwt(withAud, key)),
      none: await code(() => verifyJwt(none, key)),
      crit: await code(() => verifyJwt(crit, key)),
      verifier: await code(() => {
        const v = createVerifier({ key, currentDate: at(NOW) });
        return syncOrRefused(
          () => v.verifySync(good),
          () => v.verify(good),
        );
      }),
      cachedExpired: await code(() => createVerifier({ key, cache: {}, currentDate: at(NOW) }).verify(expired)),
      claims: await code(() => validateClaims({ sub: 'u' }, {}, NOW)),
      signed: await signJwt({ sub: 'u' }, key, { issuedAt: false }),
      signer: await (() => {
        const signer = createSigner({ key, issuedAt: false });
        return syncOrRefused(
          () => signer.signSync({ sub: 'u' }),
          () => signer.sign({ sub: 'u' }),
        );
      })(),
    }));
    expect(outcomes).toEqual({
      good: 'ok',
      expired: 'ERR_JWT_EXPIRED',
      aud: 'ERR_JWT_CLAIM_VALIDATION_FAILED',
      none: 'ERR_JOSE_ALG_NOT_ALLOWED',
      crit: 'ERR_JOSE_NOT_SUPPORTED',
      verifier: 'ok',
      cachedExpired: 'ERR_JWT_EXPIRED',
      claims: 'ok',
      signed: await signJwt({ sub: 'u' }, key, { issuedAt: false }),
      signer: await signJwt({ sub: 'u' }, key, { issuedAt: false }),
    });
    expect(outcomes.signed.split('.')[0]).toBe(jsonB64u({ alg: 'HS256', typ: 'JWT' }));
  });
});
