// decodeUnverified: display only, but strict all the same.
import { describe, expect, it } from 'vitest';
import { encryptJwt, generateKeyPair, generateSecret } from '../../src/index.js';
import { decodeUnverified, signJwt } from '../../src/jwt/index.js';
import { expectCode, hsKey, jsonB64u, toB64u } from '../helpers/index.js';

describe('decodeUnverified', () => {
  it('decodes header and claims without checking the signature', async () => {
    const t = await signJwt({ sub: 'u' }, await hsKey(), { issuedAt: false });
    expect(decodeUnverified(`${t.slice(0, -2)}xx`)).toEqual({
      encrypted: false,
      header: { alg: 'HS256', typ: 'JWT' },
      payload: { sub: 'u' },
    });
  });
  it("shows a JWE's protected header and says it is encrypted (no payload without the key)", async () => {
    const { publicKey } = await generateKeyPair('ECDH-ES+A256KW');
    const jwe = await encryptJwt({ sub: 'u' }, publicKey, { enc: 'A256GCM', kid: 'k1' });
    const decoded = decodeUnverified(jwe);
    expect(decoded.encrypted).toBe(true);
    expect(decoded.payload).toBeUndefined();
    expect(decoded.header).toMatchObject({ alg: 'ECDH-ES+A256KW', enc: 'A256GCM', kid: 'k1' });
    expect(Object.keys(decoded.header.epk as object).sort()).toEqual(['crv', 'kty', 'x', 'y']);
    const dir = await encryptJwt({ sub: 'u' }, await generateSecret('A128GCM'), { enc: 'A128GCM' });
    expect(decodeUnverified(dir)).toEqual({
      encrypted: true,
      header: { alg: 'dir', enc: 'A128GCM', typ: 'JWT' },
      payload: undefined,
    });
    // Five segments whose header has no "enc" are no JWE; four or six segments are nothing.
    const h = jsonB64u({ alg: 'HS256' });
    await expectCode(() => decodeUnverified(`${h}.a.b.c.d`), 'ERR_JWT_INVALID');
    await expectCode(() => decodeUnverified(`${h}.a.b.c`), 'ERR_JWT_INVALID');
    await expectCode(() => decodeUnverified(`${h}.a.b.c.d.e`), 'ERR_JWT_INVALID');
  });
  it('is strict: segments, base64url, UTF-8, JSON objects, duplicates, size', async () => {
    const h = jsonB64u({ alg: 'HS256' });
    const bad = [
      `${h}.${jsonB64u({})}`,
      `${h}.${jsonB64u({})}.a.b`,
      `${h}.${toB64u('[]')}.`,
      `${h}.${toB64u('{"a":1,"a":2}')}.`,
    ];
    bad.push(`${h}.${toB64u(Uint8Array.from([0xc3, 0x28]))}.`, `${h}.e30=.`, `${toB64u('null')}.${jsonB64u({})}.`);
    for (const t of bad) await expectCode(() => decodeUnverified(t), 'ERR_JWT_INVALID');
    await expectCode(() => decodeUnverified(5 as never), 'ERR_JWT_INVALID');
    await expectCode(() => decodeUnverified(`${h}.${jsonB64u({ p: 'x'.repeat(70_000) })}.`), 'ERR_LIMIT_EXCEEDED');
  });
});
