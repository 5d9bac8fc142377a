// Unsecured JWTs: their own door. Only the exact "none" with an empty signature; claim checks still apply (A01).
import { describe, expect, it } from 'vitest';
import { createUnsecuredJwt, createVerifier, signJwt, verifyJwt, verifyUnsecuredJwt } from '../../src/jwt/index.js';
import { at, expectCode, hsKey, jsonB64u, NOW, toB64u } from '../helpers/index.js';
import { syncOrRefused } from '../helpers/runtime.js';

const O = { issuer: 'test', audience: 'suite', currentDate: at(NOW) };

describe('createUnsecuredJwt / verifyUnsecuredJwt', () => {
  it('round trip with claim options and checks', () => {
    const t = createUnsecuredJwt(
      { role: 'x' },
      { issuer: 'test', audience: 'suite', expiresIn: '5m', currentDate: at(NOW) },
    );
    expect(t.endsWith('.')).toBe(true);
    const { payload, protectedHeader } = verifyUnsecuredJwt<{ role: string }>(t, O);
    expect(payload).toEqual({ role: 'x', iss: 'test', aud: 'suite', iat: NOW, exp: NOW + 300 });
    expect(protectedHeader).toEqual({ alg: 'none', typ: 'JWT' });
    expect(payload.role).toBe('x');
  });

  it('claim checks apply', async () => {
    const t = createUnsecuredJwt({ aud: 'suite', iss: 'test', exp: NOW - 1 }, { issuedAt: false });
    await expectCode(() => verifyUnsecuredJwt(t, O), 'ERR_JWT_EXPIRED');
    const other = createUnsecuredJwt({ aud: 'elsewhere', iss: 'test' }, { currentDate: at(NOW) });
    await expectCode(() => verifyUnsecuredJwt(other, O), 'ERR_JWT_CLAIM_VALIDATION_FAILED', { claim: 'aud' });
    const typed = createUnsecuredJwt({ aud: 'suite', iss: 'test' }, { typ: 'at+jwt', currentDate: at(NOW) });
    expect(verifyUnsecuredJwt(typed, { ...O, typ: 'application/at+jwt' }).payload.aud).toBe('suite');
    await expectCode(() => verifyUnsecuredJwt(typed, { ...O, typ: 'JWT' }), 'ERR_JWT_CLAIM_VALIDATION_FAILED', {
      claim: 'typ',
    });
    await expectCode(() => verifyUnsecuredJwt(typed, { ...O, algorithms: ['none'] } as never), 'ERR_INVALID_OPTION');
  });

  it('only the exact "none" with an empty signature segment', async () => {
    const p = jsonB64u({ iss: 'test', aud: 'suite' });
    for (const alg of ['None', 'NONE', 'nOnE', 'none ', ' none', 'none\u0000', 'HS256']) {
      await expectCode(() => verifyUnsecuredJwt(`${jsonB64u({ alg })}.${p}.`, O), 'ERR_JOSE_ALG_NOT_ALLOWED');
    }
    await expectCode(() => verifyUnsecuredJwt(`${jsonB64u({ typ: 'JWT' })}.${p}.`, O), 'ERR_JOSE_ALG_NOT_ALLOWED');
    for (const sig of ['AA', 'e30', toB64u(new Uint8Array(32))]) {
      await expectCode(() => verifyUnsecuredJwt(`${jsonB64u({ alg: 'none' })}.${p}.${sig}`, O), 'ERR_JWT_INVALID');
    }
    await expectCode(() => verifyUnsecuredJwt(`${jsonB64u({ alg: 'none' })}.${p}`, O), 'ERR_JWS_INVALID');
    const signed = await signJwt({ iss: 'test', aud: 'suite' }, await hsKey());
    await expectCode(() => verifyUnsecuredJwt(signed, O), 'ERR_JOSE_ALG_NOT_ALLOWED');
    await expectCode(
      () => verifyUnsecuredJwt(`${jsonB64u({ alg: 'none', enc: 'A128GCM' })}.${p}.`, O),
      'ERR_JWS_INVALID',
    );
    await expectCode(
      () => verifyUnsecuredJwt(`${jsonB64u({ alg: 'none', b64: false, crit: ['b64'] })}.${p}.`, O),
      'ERR_JWT_INVALID',
    );
    await expectCode(() => verifyUnsecuredJwt(`${jsonB64u({ alg: 'none', cty: 'JWT' })}.${p}.`, O), 'ERR_JWT_INVALID');
    await expectCode(() => verifyUnsecuredJwt(`${jsonB64u({ alg: 'none' })}.${toB64u('[]')}.`, O), 'ERR_JWT_INVALID');
    await expectCode(() => verifyUnsecuredJwt(7 as never), 'ERR_JWT_INVALID');
    await expectCode(
      () => verifyUnsecuredJwt(`${jsonB64u({ alg: 'none' })}.${p}.`, { maxTokenLength: 16 }),
      'ERR_LIMIT_EXCEEDED',
    );
  });

  it('no other function accepts an unsecured token, whatever the options', async () => {
    const key = await hsKey();
    const t = createUnsecuredJwt({ iss: 'test', aud: 'suite' });
    await expectCode(verifyJwt(t, key, O), 'ERR_JOSE_ALG_NOT_ALLOWED');
    await expectCode(
      verifyJwt(t, () => key, { ...O, algorithms: ['HS256'] }),
      'ERR_JOSE_ALG_NOT_ALLOWED',
    );
    const verifier = createVerifier({ key, ...O });
    await expectCode(
      syncOrRefused(
        () => verifier.verifySync(t),
        () => verifier.verify(t),
      ),
      'ERR_JOSE_ALG_NOT_ALLOWED',
    );
  });

  it('creation refuses an alg in the header and bad options', async () => {
    await expectCode(() => createUnsecuredJwt({}, { header: { alg: 'HS256' } }), 'ERR_INVALID_OPTION');
    await expectCode(() => createUnsecuredJwt({}, { expiresIn: 'later' } as never), 'ERR_INVALID_OPTION');
    await expectCode(() => createUnsecuredJwt({}, { alg: 'none' } as never), 'ERR_INVALID_OPTION');
    await expectCode(() => createUnsecuredJwt([] as never), 'ERR_JWT_INVALID');
  });
});
