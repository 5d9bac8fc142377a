// decodeUnverified: display only, but strict all the same.
import { describe, expect, it } from 'vitest';
import { decodeUnverified, signJwt } from '../../src/jwt/index.js';
import { b64u, expectCode, hsKey, json } from './helpers.js';

describe('decodeUnverified', () => {
  it('decodes header and claims without checking the signature', async () => {
    const t = await signJwt({ sub: 'u' }, await hsKey(), { issuedAt: false });
    expect(decodeUnverified(`${t.slice(0, -2)}xx`)).toEqual({
      header: { alg: 'HS256', typ: 'JWT' },
      payload: { sub: 'u' },
    });
  });
  it('is strict: segments, base64url, UTF-8, JSON objects, duplicates, size', async () => {
    const h = json({ alg: 'HS256' });
    const bad = [`${h}.${json({})}`, `${h}.${json({})}.a.b`, `${h}.${b64u('[]')}.`, `${h}.${b64u('{"a":1,"a":2}')}.`];
    bad.push(`${h}.${b64u(Uint8Array.from([0xc3, 0x28]))}.`, `${h}.e30=.`, `${b64u('null')}.${json({})}.`);
    for (const t of bad) await expectCode(() => decodeUnverified(t), 'ERR_JWT_INVALID');
    await expectCode(() => decodeUnverified(5 as never), 'ERR_JWT_INVALID');
    await expectCode(() => decodeUnverified(`${h}.${json({ p: 'x'.repeat(70_000) })}.`), 'ERR_LIMIT_EXCEEDED');
  });
});
