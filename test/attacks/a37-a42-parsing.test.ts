/**
 * A37-A42: duplicate members, prototype members (in process; the polluted-prototype child is
 * a38-prototype-child.test.ts), lenient base64url, compact structure, non-object or non-UTF-8 JSON, oversized and
 * deeply nested input. test/jws/format.test.ts and test/jwt/verify-policy.test.ts cover verifyCompact, verifyJson
 * and verifyJwt; this suite adds JWK/JWKS, JWE and decryptJwt, createVerifier, and the size and time bounds.
 */
import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { exportJwk, importKey, type JWK, type Key, verifyJson } from '../../src/index.js';
import { decryptCompact, decryptJson, decryptJwt, encryptCompact } from '../../src/jwe/index.js';
import { decodeUnverified, signJwt, validateClaims, verifyJwt } from '../../src/jwt/index.js';
import { createLocalJwkSet } from '../../src/keyset/index.js';
import { expectJotError } from '../helpers/attack.js';
import { b64u, hsKey, pair, rawHs256, refusedEverywhere, SECRET, segments, utf8, verifiers } from './_fixtures.js';
import { cpuMs } from '../helpers/timing.js';

const MB = 1024 * 1024;

/** Time and heap growth of one call, which must fail with `codes`. */
async function bounded(f: () => unknown, codes: Parameters<typeof expectJotError>[1], ms = 1000, bytes = 32 * MB) {
  const before = process.memoryUsage();
  // CPU time (every thread), not wall time: the bound is on work done, whatever else the machine is doing.
  const { ms: elapsed, result } = await cpuMs(async () => {
    await expectJotError(f, codes);
    return 'refused as expected';
  });
  if (result !== 'refused as expected') throw result; // the assertion on the error code failed
  const after = process.memoryUsage();
  expect(elapsed).toBeLessThan(ms);
  expect(after.heapUsed + after.arrayBuffers - before.heapUsed - before.arrayBuffers).toBeLessThan(bytes);
}

describe('A37: duplicate member names, compared after unescaping', () => {
  it('in JWKs and key sets: ERR_JWKS_INVALID; never a silent last-wins', async () => {
    const jwk = await exportJwk((await pair('RS256')).publicKey);
    const other = await exportJwk((await pair('PS256')).publicKey);
    const text = JSON.stringify({ keys: [jwk] });
    const dupN = text.replace('"n":', `"n":"${other.n}","n":`);
    const dupEscaped = text.replace('"n":', `"n":"${other.n}","\\u006e":`);
    const twoKeys = `{"keys":[],"keys":${JSON.stringify([jwk])}}`;
    for (const t of [dupN, dupEscaped, twoKeys]) await expectJotError(() => createLocalJwkSet(t), 'ERR_JWKS_INVALID');
    expect(createLocalJwkSet(text)({ alg: 'RS256' }).kty).toBe('RSA');
  });

  it('in headers and claims, on every entry point; "Alg" is another member and is ignored', async () => {
    const key = await hsKey();
    const claims = '{"sub":"user"}';
    for (const h of [
      '{"alg":"HS256","alg":"none"}',
      '{"alg":"none","alg":"HS256"}',
      '{"alg":"HS256","\\u0061lg":"none"}',
    ]) {
      await refusedEverywhere(rawHs256(h, claims), verifiers(key), ['ERR_JWS_INVALID', 'ERR_JWT_INVALID']);
    }
    for (const c of [
      '{"sub":"user","sub":"admin"}',
      '{"exp":1,"exp":9999999999}',
      '{"aud":"a","aud":"b"}',
      '{"sub":"user","s\\u0075b":"admin"}',
    ]) {
      await refusedEverywhere(rawHs256('{"alg":"HS256"}', c), verifiers(key).slice(2), ['ERR_JWT_INVALID']);
    }
    const alg = rawHs256('{"Alg":"none","alg":"HS256"}', claims);
    for (const [, verify] of verifiers(key)) expect(await verify(alg)).toBeDefined();
    const dir = await importKey(new Uint8Array(32).fill(1), { alg: 'dir' });
    const t = await encryptCompact('{"sub":"u","sub":"admin"}', { alg: 'dir', enc: 'A256GCM' }, dir);
    await expectJotError(decryptJwt(t, dir), 'ERR_JWT_INVALID');
    const [, ...rest] = t.split('.');
    await expectJotError(
      decryptCompact([b64u('{"alg":"dir","enc":"A256GCM","enc":"A128GCM"}'), ...rest].join('.'), dir),
      'ERR_JWE_INVALID',
    );
  });
});

describe('A38 (in process): prototype members in claims, headers, key sets, options and key arguments', () => {
  it('__proto__ and constructor are inert data: no pollution, no selected behaviour', async () => {
    const key = await hsKey();
    const tokens = [
      rawHs256('{"alg":"HS256"}', '{"__proto__":{"admin":true},"sub":"u"}'),
      rawHs256('{"alg":"HS256"}', '{"constructor":{"prototype":{"admin":true}},"sub":"u"}'),
      rawHs256('{"alg":"HS256","__proto__":{"alg":"none"}}', '{"sub":"u"}'),
      rawHs256('{"alg":"HS256","__proto__":{"crit":["x"],"b64":false}}', '{"sub":"u"}'),
    ];
    for (const t of tokens) {
      for (const [name, verify] of verifiers(key).slice(2)) {
        const r = (await verify(t)) as { payload: Record<string, unknown>; protectedHeader: Record<string, unknown> };
        expect(r.payload.admin, name).toBeUndefined();
        expect(r.protectedHeader.alg).toBe('HS256');
        expect(r.protectedHeader.crit).toBeUndefined();
        expect(Object.getPrototypeOf(r.payload)).toBe(Object.prototype);
      }
      expect(({} as Record<string, unknown>).admin).toBeUndefined();
      const { payload } = decodeUnverified(t);
      expect(payload?.admin).toBeUndefined();
    }
    const claims = JSON.parse('{"__proto__":{"iss":"https://idp.example","exp":1},"sub":"u"}');
    await expectJotError(
      () => validateClaims(claims, { issuer: 'https://idp.example' }),
      'ERR_JWT_CLAIM_VALIDATION_FAILED',
    );
    expect(validateClaims(claims, {}).sub).toBe('u');
  });

  it('a key set with __proto__ members; options whose only member is __proto__', async () => {
    const jwk = await exportJwk((await pair('RS256')).publicKey);
    const evil = `{"keys":[${JSON.stringify(jwk)}],"__proto__":{"keys":[{"kty":"oct","k":"${b64u(SECRET)}"}]}}`;
    const set = createLocalJwkSet(evil);
    expect(set({ alg: 'RS256' }).kty).toBe('RSA');
    expect(() => set({ alg: 'HS256' })).toThrow(expect.objectContaining({ code: 'ERR_JWKS_NO_MATCHING_KEY' }));
    const protoKey = JSON.parse(`{"kty":"RSA","n":"${jwk.n}","e":"AQAB","__proto__":{"alg":"HS256","d":"AQAB"}}`);
    const k = await importKey(protoKey);
    expect([k.alg, k.isPrivate]).toEqual([undefined, false]);
    const key = await hsKey();
    const token = rawHs256('{"alg":"HS256"}', '{"sub":"u"}');
    const protoOptions = JSON.parse('{"__proto__":{"algorithms":["none"],"clockTolerance":1e12}}');
    await expectJotError(verifyJwt(token, key, protoOptions), 'ERR_INVALID_OPTION');
    expect((await importKey(new Uint8Array(32).fill(1), protoOptions)).alg).toBeUndefined();
  });

  it('look-alike key arguments are ERR_KEY_INVALID, and their toString never runs', async () => {
    let called = 0;
    const fake = {
      toString() {
        called++;
        return 'secret';
      },
    };
    const real = await hsKey();
    const lookAlikes: unknown[] = [
      fake,
      ['secret'],
      42,
      new Proxy(real, {}),
      Object.create(real),
      { ...real },
      { kty: 'oct', alg: 'HS256', isPrivate: true },
    ];
    const token = rawHs256('{"alg":"HS256"}', '{"sub":"u"}');
    for (const k of lookAlikes) {
      await refusedEverywhere(token, verifiers(k as Key, { algorithms: ['HS256'] }), ['ERR_KEY_INVALID']);
      await expectJotError(signJwt({}, k as Key), 'ERR_KEY_INVALID');
    }
    await expectJotError(importKey(fake as never), 'ERR_JWK_INVALID'); // an object is read as a JWK: no "kty"
    await expectJotError(importKey(42 as never), 'ERR_KEY_INVALID');
    expect(called).toBe(0);
  });
});

describe('A39: only canonical base64url', () => {
  it('in JWK members n, e, x, y, d and k: ERR_JWK_INVALID', async () => {
    const rsa = await exportJwk((await pair('RS256')).publicKey);
    const ec = await exportJwk((await pair('ES256')).privateKey, { includePrivate: true });
    const oct = { kty: 'oct', k: b64u(SECRET) };
    const spoil = (v: string): string[] => {
      const last = v.at(-1)!;
      const tweaked = v.length % 4 === 0 ? [] : [v.slice(0, -1) + String.fromCharCode(last.charCodeAt(0) + 1)];
      return [
        `${v}=`,
        `${v}==`,
        `${v.replace(/-/g, '+').replace(/_/g, '/')}+`,
        ` ${v}`,
        `${v}\n`,
        `${v}\u0000`,
        `${v.slice(0, 4)}%3D${v.slice(4)}`,
        `${v}\uff21`,
        `${v}\u00a0`,
        ...tweaked,
      ];
    };
    for (const [jwk, members] of [
      [rsa, ['n', 'e']],
      [ec, ['x', 'y', 'd']],
      [oct, ['k']],
    ] as [JWK, string[]][]) {
      for (const m of members) {
        for (const v of spoil(jwk[m] as string)) {
          await expectJotError(importKey({ ...jwk, [m]: v } as JWK), ['ERR_JWK_INVALID', 'ERR_KEY_INVALID']);
        }
      }
    }
  });

  it('in every JWS and JWE segment, on every entry point', async () => {
    const key = await hsKey();
    const token = await signJwt({ sub: 'u' }, key);
    const [h, p, s] = segments(token);
    const variants = [
      `${h}=.${p}.${s}`,
      `${h}.${p}=.${s}`,
      `${h}.${p}.${s}=`,
      `${h}.${p}.${s}%3D`,
      `${h}.${p}.${s.replace(/.$/, '\uff21')}`,
    ];
    variants.push(
      `${h}.${p}.\t${s}`,
      `${h}.${p}.${s} `,
      `${h}.${p}.${s}\u00a0`,
      `${h}.${p}.${s.slice(0, -1)}`,
      `${h}.${p}A.${s}`,
    );
    for (const t of variants)
      await refusedEverywhere(t, verifiers(key), [
        'ERR_JWS_INVALID',
        'ERR_JWT_INVALID',
        'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
      ]);
    const dir = await importKey(new Uint8Array(32).fill(1), { alg: 'dir' });
    const jwe = (await encryptCompact('x', { alg: 'dir', enc: 'A256GCM' }, dir)).split('.');
    for (const i of [0, 2, 3, 4]) {
      for (const bad of [`${jwe[i]}=`, `${jwe[i]}+`, `${jwe[i]} `]) {
        const t = jwe.map((x, j) => (j === i ? bad : x)).join('.');
        await expectJotError(decryptCompact(t, dir), 'ERR_JWE_INVALID');
        await expectJotError(decryptJwt(t, dir), 'ERR_JWE_INVALID');
      }
    }
  });
});

describe('A40: compact structure and separator amplification', () => {
  it('segment counts, whitespace, prefixes; 5 MB of dots and 1e6 trailing dots fail fast in O(1) memory', async () => {
    const key = await hsKey();
    const t = await signJwt({ sub: 'u' }, key);
    const [h, p, s] = segments(t);
    for (const bad of [
      '',
      '.',
      '..',
      `${h}.${p}`,
      `${t}.`,
      `${t}.X`,
      `${h}..${s}`,
      `.${p}.${s}`,
      ` ${t}`,
      `Bearer ${t}`,
      `${t}\n`,
      `${t}..`,
    ]) {
      await refusedEverywhere(bad, verifiers(key), [
        'ERR_JWS_INVALID',
        'ERR_JWT_INVALID',
        'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
      ]);
    }
    for (const huge of [`${t}${'.'.repeat(1e6)}`, '.'.repeat(5 * MB)]) {
      for (const [, verify] of verifiers(key)) await bounded(() => verify(huge), 'ERR_LIMIT_EXCEEDED', 1000, 16 * MB);
      await bounded(() => decodeUnverified(huge), 'ERR_LIMIT_EXCEEDED', 1000, 16 * MB);
    }
    const dir = await importKey(new Uint8Array(32).fill(1), { alg: 'dir' });
    const jwe = await encryptCompact('x', { alg: 'dir', enc: 'A256GCM' }, dir);
    for (const bad of [jwe.split('.').slice(0, 4).join('.'), `${jwe}.x`, `${jwe}.`, t]) {
      await expectJotError(decryptCompact(bad, dir), 'ERR_JWE_INVALID');
    }
    await refusedEverywhere(jwe, verifiers(key), ['ERR_JWS_INVALID', 'ERR_JWT_INVALID']);
  });
});

describe('A41: headers and claims that are not UTF-8 JSON objects', () => {
  it('JWE headers and decrypted claims: ERR_JWE_INVALID or ERR_JWT_INVALID, never lossy text', async () => {
    const dir = await importKey(new Uint8Array(32).fill(1), { alg: 'dir' });
    const raw: (string | Uint8Array)[] = [
      'null',
      '[]',
      '"s"',
      '1',
      'true',
      '{"sub":"u"',
      '{"sub":"u"}x',
      '\ufeff{"sub":"u"}',
    ];
    raw.push('{"sub":NaN}', '{"sub":Infinity}', '{"sub":"u",}', "{'sub':'u'}", '{"sub":"u"/*c*/}', '{"s":"\\ud800"}');
    raw.push(
      Buffer.from('{"sub":"u"}', 'utf16le'),
      Uint8Array.of(0x7b, 0xc3, 0x28, 0x7d),
      Uint8Array.of(0x22, 0xc0, 0xaf, 0x22),
    );
    raw.push(Uint8Array.of(0x22, 0xed, 0xa0, 0x80, 0x22));
    for (const pt of raw) {
      const t = await encryptCompact(typeof pt === 'string' ? utf8(pt) : pt, { alg: 'dir', enc: 'A256GCM' }, dir);
      await expectJotError(decryptJwt(t, dir), 'ERR_JWT_INVALID');
      const [, ...rest] = t.split('.');
      await expectJotError(decryptCompact([b64u(pt), ...rest].join('.'), dir), 'ERR_JWE_INVALID');
    }
  });
});

describe('A42: oversized and deeply nested input', () => {
  it('nesting, long strings and literals, many members: ERR_LIMIT_EXCEEDED, fast, no RangeError', async () => {
    const key = await hsKey();
    const roomy = { maxTokenLength: 16 * MB };
    const payloads = [
      `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`,
      `${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}`,
      `{"s":"${'x'.repeat(10 * MB)}"}`,
      `{"n":${'9'.repeat(1_000_000)}}`,
      `{"z":"${'\\u0000'.repeat(1_000_000)}"}`,
      `{${Array.from({ length: 100_000 }, (_, i) => `"c${i}":1`).join(',')}}`,
    ];
    for (const p of payloads) {
      const t = rawHs256('{"alg":"HS256"}', p);
      for (const [, verify] of verifiers(key)) await bounded(() => verify(t), 'ERR_LIMIT_EXCEEDED');
      // With the length cap raised, depth is still bounded; flat input within the length is simply parsed.
      const r = await verifyJwt(t, key, { ...roomy, allowAnyAudience: true }).then(
        () => 'ok',
        (e: { code: string }) => e.code,
      );
      expect(['ERR_LIMIT_EXCEEDED', 'ok']).toContain(r);
    }
    const deepJwk = rawHs256(`{"alg":"HS256","jwk":${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}}`, '{}');
    for (const [, verify] of verifiers(key)) await bounded(() => verify(deepJwk), 'ERR_LIMIT_EXCEEDED');
    await bounded(() => verifyJwt(deepJwk, key, roomy), 'ERR_LIMIT_EXCEEDED');
    const deepClaims = rawHs256('{"alg":"HS256"}', payloads[0]!);
    await bounded(() => verifyJwt(deepClaims, key, roomy), 'ERR_LIMIT_EXCEEDED');
    const hundredMb = Buffer.alloc(100 * MB, 'a').toString('latin1'); // a flat string, allocated before measuring
    for (const [, verify] of verifiers(key)) await bounded(() => verify(hundredMb), 'ERR_LIMIT_EXCEEDED', 1000, 4 * MB);
    await bounded(
      () => createLocalJwkSet(`{"keys":[${'['.repeat(100_000)}${']'.repeat(100_000)}]}`),
      'ERR_LIMIT_EXCEEDED',
    );
  });

  it('objects with as many members as the size limits allow are checked for duplicates in linear time', async () => {
    /** A JSON object of short distinct member names, as long as fits in `limit` characters. */
    const members = (limit: number): string => {
      const out: string[] = [];
      for (let i = 0, len = 2; ; i++) {
        const m = `"${i.toString(36)}":1`;
        len += m.length + 1;
        if (len > limit) break;
        out.push(m);
      }
      return `{${out.join(',')}}`;
    };
    const dir = await importKey(new Uint8Array(32).fill(1), { alg: 'dir' });
    const p = b64u('{"alg":"dir","enc":"A256GCM"}');
    const jwe = `{"protected":"${p}","unprotected":${members(262_000)},"iv":"AAAA","ciphertext":"AAAA","tag":"AAAA"}`;
    expect(jwe.length).toBeLessThanOrEqual(262_144); // about 33,000 members, within decryptJson's default cap
    await bounded(() => decryptJson(jwe, dir), 'ERR_JWE_INVALID', 1000);
    const key = await hsKey();
    const jws = `{"payload":"","protected":"${b64u('{"alg":"HS256"}')}","header":${members(65_400)},"signature":""}`;
    expect(jws.length).toBeLessThanOrEqual(65_536);
    await bounded(() => verifyJson(jws, key), 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED', 250);
    const claims = rawHs256('{"alg":"HS256"}', members(49_000));
    for (const [name, verify] of verifiers(key).slice(2)) {
      const t0 = performance.now();
      await verify(claims);
      expect(performance.now() - t0, name).toBeLessThan(250);
    }
  });
});
