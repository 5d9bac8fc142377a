// Interoperability with jose (v6), both directions, with issuer, audience, typ and maxTokenAge checks.
import * as jose from 'jose';
import { describe, expect, it } from 'vitest';
import { signJwt, verifyJwt } from '../../src/jwt/index.js';
import { exportJwk, type Key } from '../../src/key/index.js';
import { expectCode, keysFor } from '../helpers/index.js';

const ALGS = ['HS256', 'HS384', 'RS256', 'PS256', 'ES256', 'ES384', 'EdDSA', 'Ed25519'] as const;
const ISS = 'https://idp.example';
const AUD = 'https://api.example';

async function joseKey(key: Key, alg: string): Promise<jose.CryptoKey | Uint8Array> {
  const jwk = await exportJwk(key, { includePrivate: true });
  return (await jose.importJWK(jwk as jose.JWK, alg)) as jose.CryptoKey | Uint8Array;
}

describe.each(ALGS)('%s', (alg) => {
  it('jose signs, jot verifies with issuer, audience, typ and maxTokenAge', async () => {
    const { privateKey, publicKey } = await keysFor(alg);
    const token = await new jose.SignJWT({ scope: 'read', sub: 'u' })
      .setProtectedHeader({ alg, typ: 'at+jwt', kid: 'k1' })
      .setIssuer(ISS)
      .setAudience([AUD, 'other'])
      .setIssuedAt()
      .setExpirationTime('10m')
      .setJti('id-1')
      .sign(await joseKey(privateKey, alg));
    const options = {
      algorithms: [alg],
      issuer: ISS,
      audience: AUD,
      typ: 'application/at+jwt',
      maxTokenAge: '1h',
    } as const;
    const { payload, protectedHeader } = await verifyJwt<{ scope: string }>(token, publicKey, options);
    expect(payload.scope).toBe('read');
    expect(payload.aud).toEqual([AUD, 'other']);
    expect(protectedHeader).toEqual({ alg, typ: 'at+jwt', kid: 'k1' });
    await expectCode(verifyJwt(token, publicKey, { ...options, audience: 'nope' }), 'ERR_JWT_CLAIM_VALIDATION_FAILED');
    await expectCode(verifyJwt(token, publicKey, { ...options, typ: 'JWT' }), 'ERR_JWT_CLAIM_VALIDATION_FAILED');
  });

  it('jot signs, jose verifies with the same checks', async () => {
    const { privateKey, publicKey } = await keysFor(alg);
    const token = await signJwt({ scope: 'read' }, privateKey, {
      typ: 'at+jwt',
      issuer: ISS,
      audience: AUD,
      subject: 'u',
      expiresIn: '10m',
      jwtId: true,
    });
    const verifyKey = await joseKey(publicKey, alg);
    const options = { algorithms: [alg], issuer: ISS, audience: AUD, typ: 'at+jwt', maxTokenAge: '1h' };
    const { payload, protectedHeader } = await jose.jwtVerify(token, verifyKey, options);
    expect(payload).toMatchObject({ scope: 'read', iss: ISS, aud: AUD, sub: 'u' });
    expect(typeof payload.jti).toBe('string');
    expect(protectedHeader).toEqual({ alg, typ: 'at+jwt' });
    await expect(jose.jwtVerify(token, verifyKey, { ...options, issuer: 'nope' })).rejects.toThrow();
  });
});
