// The verification behaviour suite, part 1: structure, algorithm and key policy (A01-A03, A30, A32, A36, A37, A41,
// A42), run against every verification mode.
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signJwt } from '../../src/jwt/index.js';
import { importKey } from '../../src/key/index.js';
import { SYNC_CRYPTO } from '../helpers/runtime.js';
import { MODES } from './modes.js';
import { expectCode, hsKey, jsonB64u, keysFor, rawHs256, rawHs256Segments, SECRET, toB64u } from '../helpers/index.js';

const CLAIMS = { sub: 'admin', iss: 'https://idp.example', aud: 'api', exp: 4_102_444_800 };
const O = { issuer: 'https://idp.example', audience: 'api' };

describe.each(MODES)('$name: structure and algorithm policy', ({ verify, sync }) => {
  it('verifies a good token and reports header and key', async () => {
    const key = await hsKey();
    const token = await signJwt(CLAIMS, key, { kid: 'k' });
    const r = await verify(token, key, O);
    expect(r.payload).toMatchObject(CLAIMS);
    expect(r.protectedHeader).toEqual({ alg: 'HS256', typ: 'JWT', kid: 'k' });
    expect(Object.isFrozen(r.protectedHeader)).toBe(true);
    expect(r.key).toBe(key);
  });

  it('A01: none in every spelling, with every key kind and signature form', async () => {
    const hs = await hsKey();
    const { publicKey: rs } = await keysFor('RS256');
    const spellings = ['none', 'None', 'NONE', 'nOnE', 'nonE', 'none ', ' none', 'none\u0000'];
    const good = (await signJwt(CLAIMS, hs)).split('.')[2]!;
    for (const alg of spellings) {
      const h = jsonB64u({ alg, typ: 'JWT' });
      for (const sig of ['', good, 'AA']) {
        const token = `${h}.${jsonB64u(CLAIMS)}.${sig}`;
        await expectCode(verify(token, hs, O), 'ERR_JOSE_ALG_NOT_ALLOWED');
        await expectCode(verify(token, hs, { ...O, algorithms: ['HS256'] }), 'ERR_JOSE_ALG_NOT_ALLOWED');
        await expectCode(verify(token, rs, O), 'ERR_JOSE_ALG_NOT_ALLOWED');
        await expectCode(
          verify(token, () => hs, { ...O, algorithms: ['HS256'] }),
          'ERR_JOSE_ALG_NOT_ALLOWED',
        );
      }
    }
    await expectCode(
      verify(`${jsonB64u({ alg: 'none' })}.${jsonB64u(CLAIMS)}.`, hs, { algorithms: ['none'] }),
      'ERR_INVALID_OPTION',
    );
  });

  it('A02: missing or empty keys and resolver results never disable verification', async () => {
    const token = rawHs256Segments(jsonB64u({ alg: 'HS256' }), jsonB64u(CLAIMS), new Uint8Array(0));
    for (const key of [undefined, null, '', false, new Uint8Array(0), { alg: 'HS256' }]) {
      await expectCode(verify(token, key as never, { ...O, algorithms: ['HS256'] }), 'ERR_KEY_INVALID');
    }
    for (const result of ['', undefined, null, new Uint8Array(0), 'secret']) {
      const e = (await expectCode(
        verify(token, (() => result) as never, { ...O, algorithms: ['HS256'] }),
        result === '' || result === undefined || result === null ? 'ERR_JWKS_NO_MATCHING_KEY' : 'ERR_KEY_INVALID',
      )) as Error;
      expect(e.message).not.toContain(token);
    }
    const asyncEmpty = verify(token, (async () => undefined) as never, { ...O, algorithms: ['HS256'] });
    // A sync mode refuses the promise; on WebCrypto the sync call is refused first and the async form answers.
    await expectCode(asyncEmpty, sync && SYNC_CRYPTO ? 'ERR_JOSE_NOT_SUPPORTED' : 'ERR_JWKS_NO_MATCHING_KEY');
    const throwing = () => {
      throw new TypeError('boom');
    };
    await expectCode(verify(token, throwing, { ...O, algorithms: ['HS256'] }), 'ERR_JWKS_NO_MATCHING_KEY');
  });

  it('A03: stripped, null and truncated signatures', async () => {
    const key = await hsKey();
    const token = await signJwt(CLAIMS, key);
    const [h, p, s] = token.split('.') as [string, string, string];
    const mac = Buffer.from(s, 'base64url');
    await expectCode(verify(`${h}.${p}`, key, O), 'ERR_JWS_INVALID');
    for (const sig of ['', 'AA', toB64u(mac.subarray(0, 16)), toB64u(Buffer.concat([mac, mac]))]) {
      await expectCode(verify(`${h}.${p}.${sig}`, key, O), 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED');
    }
    const either = ['ERR_JWS_SIGNATURE_VERIFICATION_FAILED', 'ERR_JWS_INVALID'] as const;
    for (const cut of [1, 2, 3, 4]) await expectCode(verify(`${h}.${p}.${s.slice(0, -cut)}`, key, O), either);
    for (const [alg, lengths] of [
      ['RS256', [1, 255, 257]],
      ['ES256', [32, 63, 65]],
      ['EdDSA', [32, 63]],
    ] as const) {
      const { privateKey, publicKey } = await keysFor(alg);
      const [ah, ap] = (await signJwt(CLAIMS, privateKey)).split('.') as [string, string];
      for (const n of lengths) {
        const sig = toB64u(new Uint8Array(n).fill(1));
        await expectCode(verify(`${ah}.${ap}.${sig}`, publicKey, O), 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED');
      }
    }
  });

  it('A30: JWE-shaped input and headers with enc are not JWTs', async () => {
    const key = await hsKey();
    await expectCode(verify('eyJhbGciOiJSU0EtT0FFUC0yNTYiLCJlbmMiOiJBMjU2R0NNIn0.a.b.c.d', key, O), 'ERR_JWS_INVALID');
    const withEnc = rawHs256(JSON.stringify({ alg: 'HS256', enc: 'A256GCM' }), JSON.stringify(CLAIMS));
    await expectCode(verify(withEnc, key, O), 'ERR_JWS_INVALID');
  });

  it('A32: a compact/JSON polyglot is refused', async () => {
    const key = await hsKey();
    const [h, p, s] = (await signJwt(CLAIMS, key)).split('.') as [string, string, string];
    const f = jsonB64u({ ...CLAIMS, sub: 'root' });
    for (const sp of ['', ' ']) {
      const polyglot = `{"${h}":${sp}".${f}.",${sp}"protected":"${h}","payload":"${p}","signature":"${s}"}`;
      await expectCode(verify(polyglot, key, O), 'ERR_JWS_INVALID');
    }
  });

  it('A36: b64 other than absent or true is ERR_JWT_INVALID; crit b64 is refused as an option', async () => {
    const key = await hsKey();
    const claims = '{"sub":"admin"}';
    const o = { allowAnyAudience: true };
    for (const header of [
      { alg: 'HS256', b64: false, crit: ['b64'] },
      { alg: 'HS256', b64: false },
      { alg: 'HS256', b64: 'false' },
      { alg: 'HS256', b64: 0 },
    ]) {
      const h = jsonB64u(header);
      const unencoded = `${h}.${claims}.${createHmac('sha256', SECRET).update(`${h}.${claims}`).digest('base64url')}`;
      await expectCode(verify(unencoded, key, o), 'ERR_JWT_INVALID');
      await expectCode(verify(rawHs256(JSON.stringify(header), claims), key, o), 'ERR_JWT_INVALID');
    }
    const ok = rawHs256(JSON.stringify({ alg: 'HS256', b64: true, crit: ['b64'] }), claims);
    expect((await verify(ok, key, o)).payload.sub).toBe('admin');
    await expectCode(verify(ok, key, { ...o, crit: { b64: true } }), 'ERR_INVALID_OPTION');
  });

  it('A37: duplicate member names in header or claims, also behind escapes', async () => {
    const key = await hsKey();
    const c = JSON.stringify(CLAIMS).slice(1, -1);
    const headers = [
      '{"alg":"HS256","alg":"none"}',
      '{"alg":"none","alg":"HS256"}',
      '{"alg":"HS256","\\u0061lg":"none"}',
    ];
    for (const h of headers) await expectCode(verify(rawHs256(h, JSON.stringify(CLAIMS)), key, O), 'ERR_JWS_INVALID');
    const claims = [`{${c},"sub":"user"}`, `{${c},"exp":1}`, `{${c},"aud":"b"}`, `{${c},"s\\u0075b":"x"}`];
    for (const p of claims) await expectCode(verify(rawHs256('{"alg":"HS256"}', p), key, O), 'ERR_JWT_INVALID');
    const distinct = rawHs256('{"Alg":"none","alg":"HS256"}', JSON.stringify(CLAIMS));
    expect((await verify(distinct, key, O)).protectedHeader.Alg).toBe('none');
  });

  it('A38: __proto__ in header and claims is inert data', async () => {
    const key = await hsKey();
    const h = '{"alg":"HS256","__proto__":{"alg":"none","crit":["x"]}}';
    const p = `{"__proto__":{"admin":true},"constructor":{"prototype":{"admin":true}},${JSON.stringify(CLAIMS).slice(1)}`;
    const r = await verify(rawHs256(h, p), key, O);
    expect(Object.hasOwn(r.payload, '__proto__')).toBe(true);
    expect((r.payload as { admin?: unknown }).admin).toBeUndefined();
    expect(({} as { admin?: unknown }).admin).toBeUndefined();
    expect(r.protectedHeader.alg).toBe('HS256');
  });

  it('A41: headers that are not JSON objects or not UTF-8 are ERR_JWS_INVALID', async () => {
    const key = await hsKey();
    const p = jsonB64u(CLAIMS);
    const texts = [
      'null',
      '[]',
      '"alg"',
      '123',
      '{}',
      '{"alg":"HS256"',
      '{"alg":"HS256"}garbage',
      '\uFEFF{"alg":"HS256"}',
    ];
    const raw = [...texts.map((t) => toB64u(t)), toB64u(Buffer.from('{"alg":"HS256"}', 'utf16le'))];
    raw.push(
      ...[
        [0xc3, 0x28],
        [0xc0, 0xaf],
        [0xed, 0xa0, 0x80],
      ].map((b) => toB64u(Uint8Array.from(b))),
    );
    raw.push(toB64u('{"alg":"HS256","x":"\\ud800"}'), toB64u('{"alg":"HS256","x":NaN}'), toB64u("{'alg':'HS256'}"));
    raw.push(toB64u('{"alg":"HS256",}'), toB64u('{"alg":"HS256"/*c*/}'), '', '!!!!', 'eyJhbGciOiJIUzI1NiJ9=');
    for (const h of raw) await expectCode(verify(rawHs256Segments(h, p), key, O), 'ERR_JWS_INVALID');
  });

  it('A41: validly signed claims that are not a UTF-8 JSON object are ERR_JWT_INVALID', async () => {
    const key = await hsKey();
    const h = jsonB64u({ alg: 'HS256' });
    const payloads = ['[]', '"s"', 'null', '1', 'true', '', '\uFEFF{}', '{"a":1}x', '{"a":NaN}'].map((t) => toB64u(t));
    payloads.push(toB64u(Uint8Array.from([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x3a, 0x31, 0x7d])));
    for (const p of payloads) await expectCode(verify(rawHs256Segments(h, p), key, O), 'ERR_JWT_INVALID');
    await expectCode(verify(rawHs256Segments(h, 'e30='), key, O), 'ERR_JWS_INVALID'); // padded base64
  });

  it('A42: length and depth limits', async () => {
    const key = await hsKey();
    const deep = `{"a":${'['.repeat(100)}${']'.repeat(100)}}`;
    await expectCode(verify(rawHs256('{"alg":"HS256"}', deep), key, O), 'ERR_LIMIT_EXCEEDED');
    const big = await signJwt({ ...CLAIMS, pad: 'x'.repeat(70_000) }, key);
    await expectCode(verify(big, key, O), 'ERR_LIMIT_EXCEEDED');
    expect((await verify(big, key, { ...O, maxTokenLength: 100_000 })).payload.sub).toBe('admin');
    const small = await signJwt(CLAIMS, key);
    await expectCode(verify(small, key, { ...O, maxTokenLength: 100 }), 'ERR_LIMIT_EXCEEDED');
    await expectCode(verify('.'.repeat(10_000), key, O), 'ERR_JWS_INVALID');
    await expectCode(verify(5 as never, key, O), 'ERR_JWT_INVALID');
  });

  it('algorithm allow-list and key binding', async () => {
    const key = await hsKey();
    const unbound = await importKey(new Uint8Array(64).fill(7));
    const token = await signJwt(CLAIMS, unbound, { alg: 'HS256' });
    await expectCode(verify(token, unbound, O), 'ERR_INVALID_OPTION');
    expect((await verify(token, unbound, { ...O, algorithms: ['HS256'] })).key).toBe(unbound);
    await expectCode(verify(token, key, O), 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED');
    await expectCode(verify(token, unbound, { ...O, algorithms: ['HS384'] }), 'ERR_JOSE_ALG_NOT_ALLOWED');
    await expectCode(verify(await signJwt(CLAIMS, key), key, { ...O, algorithms: ['HS384'] }), 'ERR_INVALID_OPTION');
    const hs384 = await signJwt(CLAIMS, unbound, { alg: 'HS384' });
    await expectCode(verify(hs384, key, O), 'ERR_JOSE_ALG_NOT_ALLOWED');
    await expectCode(verify(hs384, key, { ...O, algorithms: ['HS256', 'HS384'] }), 'ERR_JOSE_ALG_NOT_ALLOWED');
    await expectCode(
      verify(token, () => unbound, O),
      'ERR_INVALID_OPTION',
    );
    const { publicKey } = await keysFor('RS256');
    const confused = rawHs256Segments(jsonB64u({ alg: 'HS256' }), jsonB64u(CLAIMS));
    await expectCode(verify(confused, publicKey, O), 'ERR_JOSE_ALG_NOT_ALLOWED');
  });

  it('crit: unknown extensions fail, declared ones pass', async () => {
    const key = await hsKey();
    const t = rawHs256(JSON.stringify({ alg: 'HS256', crit: ['urn:x'], 'urn:x': 1 }), JSON.stringify(CLAIMS));
    await expectCode(verify(t, key, O), 'ERR_JOSE_NOT_SUPPORTED');
    expect((await verify(t, key, { ...O, crit: { 'urn:x': true } })).payload.sub).toBe('admin');
    const absent = rawHs256(JSON.stringify({ alg: 'HS256', crit: ['urn:x'] }), JSON.stringify(CLAIMS));
    await expectCode(verify(absent, key, { ...O, crit: { 'urn:x': true } }), 'ERR_JWS_INVALID');
  });

  it('nested tokens (cty: JWT, any case, with or without application/) are refused with ERR_JWT_INVALID', async () => {
    const key = await hsKey();
    for (const cty of ['JWT', 'jwt', 'application/JWT', 'application/jwt']) {
      const t = await signJwt(CLAIMS, key, { header: { cty } });
      const e = (await expectCode(verify(t, key, O), 'ERR_JWT_INVALID')) as Error;
      expect(e.message).toMatch(/nested/);
    }
    await expectCode(verify(await signJwt(CLAIMS, key, { header: { cty: 5 } }), key, O), 'ERR_JWT_INVALID');
    const plain = await signJwt(CLAIMS, key, { header: { cty: 'json' } });
    expect((await verify(plain, key, O)).protectedHeader.cty).toBe('json');
  });

  it('resolvers see the header and the token; kid picks among configured keys', async () => {
    const a = await importKey(SECRET, { alg: 'HS256', kid: 'a' });
    const b = await importKey(new TextEncoder().encode('another secret of 32 bytes!!!!!!'), { alg: 'HS256', kid: 'b' });
    const seen: unknown[] = [];
    const resolver = (header: { kid?: string }, token: unknown) => {
      seen.push(header.kid, typeof token);
      return header.kid === 'a' ? a : b;
    };
    const r = await verify(await signJwt(CLAIMS, b), resolver, O);
    expect(r.key).toBe(b);
    expect(seen.slice(0, 2)).toEqual(['b', 'string']);
    const forged = await signJwt(CLAIMS, a, { kid: 'b' });
    await expectCode(verify(forged, resolver, O), 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED');
  });
});
