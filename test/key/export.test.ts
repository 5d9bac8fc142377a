// exportJwk/exportPem round trips are in import.test.ts (every material form); here the thumbprints.
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { importKey, type JWK, jwkThumbprint, jwkThumbprintUri } from '../../src/index.js';
import { expectCode } from '../helpers/index.js';

const P256 = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ format: 'jwk' }) as JWK;
const { d: _d, ...P256_PUBLIC } = P256;
const SECRET = { kty: 'oct', k: Buffer.alloc(64, 9).toString('base64url') };

describe('thumbprints', () => {
  it('depend only on the required public members; Key and JWK agree; digests and URIs', async () => {
    const key = await importKey(P256, { alg: 'ES256', kid: 'a' });
    const tp = await jwkThumbprint(P256_PUBLIC);
    expect(await jwkThumbprint(P256)).toBe(tp);
    expect(await jwkThumbprint(key)).toBe(tp);
    expect(await jwkThumbprint({ ...P256_PUBLIC, kid: 'other', use: 'sig' })).toBe(tp);
    expect(tp).toMatch(/^[\w-]{43}$/);
    expect(await jwkThumbprint(P256_PUBLIC, 'sha512')).toMatch(/^[\w-]{86}$/);
    expect(await jwkThumbprintUri(key)).toBe(`urn:ietf:params:oauth:jwk-thumbprint:sha-256:${tp}`);
    await expectCode(jwkThumbprint(P256_PUBLIC, 'md5' as 'sha256'), 'ERR_INVALID_OPTION');
    await expectCode(jwkThumbprint(P256_PUBLIC, '__proto__' as 'sha256'), 'ERR_INVALID_OPTION');
    await expectCode(jwkThumbprint({ ...P256_PUBLIC, x: 'AAAA' }), 'ERR_JWK_INVALID');
    await expectCode(jwkThumbprint('not a key' as unknown as JWK), 'ERR_KEY_INVALID');
    const secretTp = await jwkThumbprint(await importKey(SECRET));
    expect(secretTp).toBe(await jwkThumbprint(SECRET));
  });
});
