// signJwt and createSigner: header and claim defaults, durations, conflicts, refused claims and options.
import { describe, expect, it } from 'vitest';
import { decodeUnverified } from '../../src/jwt/decode.js';
import { createSigner, signJwt, verifyJwt } from '../../src/jwt/index.js';
import { generateKeyPair, generateSecret, importKey } from '../../src/key/index.js';
import { at, expectCode, hsKey, keysFor, NOW, SECRET } from '../helpers/index.js';
import { syncOrRefused } from '../helpers/runtime.js';

const currentDate = at(NOW + 0.75); // iat is floored to whole seconds

describe('signJwt', () => {
  it('defaults: alg from the key, typ JWT, kid from the key, iat now', async () => {
    const key = await importKey(SECRET, { alg: 'HS256', kid: 'k1' });
    const t = await signJwt({ sub: 'u' }, key, { currentDate });
    expect(decodeUnverified(t)).toEqual({
      encrypted: false,
      header: { alg: 'HS256', typ: 'JWT', kid: 'k1' },
      payload: { sub: 'u', iat: NOW },
    });
    const h = decodeUnverified(await signJwt({}, key, { kid: 'k2', typ: 'at+jwt', currentDate })).header;
    expect(h).toEqual({ alg: 'HS256', typ: 'at+jwt', kid: 'k2' });
    const bare = decodeUnverified(await signJwt({}, key, { kid: false, typ: false, issuedAt: false }));
    expect(bare).toEqual({ encrypted: false, header: { alg: 'HS256' }, payload: {} });
  });
  it('sets registered claims from options', async () => {
    const key = await hsKey();
    const t = await signJwt({ scope: 'read' }, key, {
      currentDate,
      expiresIn: '15m',
      notBefore: '1m',
      issuer: 'https://idp.example',
      audience: ['a', 'b'],
      subject: 'user-1',
      jwtId: 'id-1',
    });
    expect(decodeUnverified(t).payload).toEqual({
      scope: 'read',
      iat: NOW,
      exp: NOW + 900,
      nbf: NOW + 60,
      iss: 'https://idp.example',
      aud: ['a', 'b'],
      sub: 'user-1',
      jti: 'id-1',
    });
  });
  it('durations: seconds, units, weeks, absolute Dates; numbers are always relative', async () => {
    const key = await hsKey();
    const exp = async (expiresIn: unknown) =>
      decodeUnverified(await signJwt({}, key, { currentDate, expiresIn } as never)).payload!.exp;
    expect(await exp(3600)).toBe(NOW + 3600);
    expect(await exp('30s')).toBe(NOW + 30);
    expect(await exp('2h')).toBe(NOW + 7200);
    expect(await exp('7d')).toBe(NOW + 604_800);
    expect(await exp('1w')).toBe(NOW + 604_800);
    expect(await exp(at(NOW + 99))).toBe(NOW + 99);
    for (const bad of [
      '15M',
      '1y',
      '5 minutes',
      -1,
      0,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      '1e309',
      new Date(Number.NaN),
    ]) {
      await expectCode(signJwt({}, key, { expiresIn: bad } as never), 'ERR_INVALID_OPTION');
    }
    await expectCode(signJwt({}, key, { expiresIn: '1m', notBefore: '2m' }), 'ERR_INVALID_OPTION');
    await expectCode(signJwt({}, key, { issuedAt: 1 } as never), 'ERR_INVALID_OPTION');
  });
  it('jwtId: true makes a fresh random 128-bit base64url id', async () => {
    const key = await hsKey();
    const signer = createSigner({ key, jwtId: true });
    const first = await syncOrRefused(
      () => signer.signSync({}),
      () => signer.sign({}),
    );
    const a = decodeUnverified(first).payload!.jti as string;
    const b = decodeUnverified(await signer.sign({})).payload!.jti as string;
    expect(a).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(a).not.toBe(b);
  });
  it('iat: claims win over the default, issuedAt false or a Date', async () => {
    const key = await hsKey();
    expect(decodeUnverified(await signJwt({ iat: 5 }, key)).payload!.iat).toBe(5);
    expect(decodeUnverified(await signJwt({}, key, { issuedAt: at(NOW + 0.9) })).payload!.iat).toBe(NOW);
    expect(decodeUnverified(await signJwt({}, key, { issuedAt: false })).payload).toEqual({});
  });
  it('a claim set both in the claims and by an option is refused (no silent winner)', async () => {
    const key = await hsKey();
    const cases: [object, object][] = [
      [{ exp: NOW }, { expiresIn: 60 }],
      [{ nbf: NOW }, { notBefore: 0 }],
      [{ iat: NOW }, { issuedAt: true }],
      [{ iss: 'a' }, { issuer: 'b' }],
      [{ aud: 'a' }, { audience: 'a' }],
      [{ sub: 'a' }, { subject: 'a' }],
      [{ jti: 'a' }, { jwtId: true }],
      [{ jti: 'a' }, { jwtId: 'b' }],
    ];
    for (const [claims, options] of cases) await expectCode(signJwt(claims, key, options), 'ERR_INVALID_OPTION');
  });
  it('refuses claims that are not plain JSON objects or carry mistyped registered claims', async () => {
    const key = await hsKey();
    class Claims {
      sub = 'u';
    }
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const bad: unknown[] = [
      null,
      [],
      'x',
      new Map(),
      new Claims(),
      { exp: '9999999999' },
      { exp: Number.POSITIVE_INFINITY },
      { iat: Number.NaN },
      { nbf: null },
      { iss: 1 },
      { sub: {} },
      { jti: 2 },
      { aud: [''] },
      { aud: 5 },
      { n: 1n },
      cyclic,
      { toJSON: () => 'x' },
      Object.defineProperty({}, 'exp', {
        enumerable: true,
        get() {
          throw new Error('getter');
        },
      }),
    ];
    for (const claims of bad) await expectCode(signJwt(claims as object, key), 'ERR_JWT_INVALID');
    const nullProto = Object.assign(Object.create(null), { sub: 'u' }) as object;
    expect(decodeUnverified(await signJwt(nullProto, key, { issuedAt: false })).payload).toEqual({ sub: 'u' });
  });
  it('keeps a __proto__ claim as data', async () => {
    const key = await hsKey();
    const claims = JSON.parse('{"__proto__":{"admin":true},"sub":"u"}') as object;
    const t = await signJwt(claims, key, { issuedAt: false });
    expect(Buffer.from(t.split('.')[1]!, 'base64url').toString()).toBe('{"__proto__":{"admin":true},"sub":"u"}');
  });
  it('header option: extra parameters; alg, enc, b64, zip refused; duplicates refused', async () => {
    const key = await hsKey();
    const t = await signJwt({}, key, { header: { x5t: 'abc', typ: 'dpop+jwt' } });
    expect(decodeUnverified(t).header).toEqual({ alg: 'HS256', x5t: 'abc', typ: 'dpop+jwt' });
    for (const name of ['alg', 'enc', 'b64', 'zip']) {
      await expectCode(signJwt({}, key, { header: { [name]: 'x' } }), 'ERR_INVALID_OPTION');
    }
    await expectCode(signJwt({}, key, { header: { kid: 'a' }, kid: 'b' }), 'ERR_INVALID_OPTION');
    await expectCode(signJwt({}, key, { header: { typ: 'a' }, typ: 'b' }), 'ERR_INVALID_OPTION');
    await expectCode(signJwt({}, key, { header: { n: 1n } }), 'ERR_INVALID_OPTION');
    await expectCode(signJwt({}, key, { header: [] as never }), 'ERR_INVALID_OPTION');
    await expectCode(signJwt({}, key, { header: { crit: ['x'] } }), 'ERR_JWS_INVALID');
  });
  it('algorithm and key policy', async () => {
    const hs = await hsKey();
    const unbound = await importKey(SECRET);
    await expectCode(signJwt({}, unbound), 'ERR_INVALID_OPTION');
    expect(decodeUnverified(await signJwt({}, unbound, { alg: 'HS256' })).header.alg).toBe('HS256');
    await expectCode(signJwt({}, hs, { alg: 'HS384' }), 'ERR_JOSE_ALG_NOT_ALLOWED');
    for (const alg of ['none', 'None', 'NONE'])
      await expectCode(signJwt({}, unbound, { alg }), 'ERR_JOSE_ALG_NOT_ALLOWED');
    await expectCode(signJwt({}, unbound, { alg: 'HS999' }), 'ERR_JOSE_NOT_SUPPORTED');
    await expectCode(signJwt({}, unbound, { alg: 5 } as never), 'ERR_INVALID_OPTION');
    const { publicKey } = await keysFor('ES256');
    await expectCode(signJwt({}, publicKey), 'ERR_KEY_INVALID');
    let called = false;
    const fake = {
      toString: () => {
        called = true;
        return 'secret';
      },
      alg: 'HS256',
    };
    await expectCode(signJwt({}, fake as never), 'ERR_KEY_INVALID');
    expect(called).toBe(false);
    await expectCode(signJwt({}, hs, { expiresIn: 60, bogus: 1 } as never), 'ERR_INVALID_OPTION');
    await expectCode(signJwt({}, hs, 'x' as never), 'ERR_INVALID_OPTION');
  });
});

describe('createSigner', () => {
  it('signs what signJwt signs; signSync and sign agree', async () => {
    const key = await generateSecret('HS512');
    const options = { currentDate, issuer: 'i', audience: 'a', expiresIn: '1h' } as const;
    const signer = createSigner({ key, ...options });
    const expected = await signJwt({ n: 1 }, key, options);
    expect(
      await syncOrRefused(
        () => signer.signSync({ n: 1 }),
        () => signer.sign({ n: 1 }),
      ),
    ).toBe(expected);
    expect(await signer.sign({ n: 1 })).toBe(expected);
  });
  it('checks options once, when built', async () => {
    const key = await hsKey();
    await expectCode(() => createSigner({ key, expiresIn: 'soon' } as never), 'ERR_INVALID_OPTION');
    await expectCode(() => createSigner({} as never), 'ERR_KEY_INVALID');
    await expectCode(() => createSigner({ key, alg: 'none' }), 'ERR_JOSE_ALG_NOT_ALLOWED');
    await expectCode(() => createSigner({ key, extra: 1 } as never), 'ERR_INVALID_OPTION');
  });
  it('each token verifies', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const signer = createSigner({ key: privateKey, issuer: 'i', audience: 'a', expiresIn: 60 });
    const token = await syncOrRefused(
      () => signer.signSync({ sub: 'u' }),
      () => signer.sign({ sub: 'u' }),
    );
    const { payload } = await verifyJwt(token, publicKey, { issuer: 'i', audience: 'a' });
    expect(payload.sub).toBe('u');
  });
});
