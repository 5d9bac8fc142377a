/**
 * Format and parser attacks on JWS (A35-A41, A38): `crit`, `b64`, duplicate members (also escaped aliases),
 * strict base64url, compact structure, headers that are not JSON objects or not UTF-8, prototype members.
 * Every token here carries a correct HS256 signature over its exact bytes, so each rejection is the format's.
 */
import { describe, expect, it } from 'vitest';
import { decodeUnverified, importKey, type JwsVerifyOptions, verifyCompact, verifyJson } from '../../src/index.js';
import { expectCode, segments, signRaw, text, toB64u, utf8 } from '../helpers/index.js';

const KEY = await importKey(new Uint8Array(32).fill(9), { alg: 'HS256' });

/** A compact token over exact header bytes (or text) and an exact payload segment, correctly signed. */
async function token(header: string | Uint8Array, payloadSegment = toB64u('{"sub":"user"}')): Promise<string> {
  const h = typeof header === 'string' ? toB64u(header) : toB64u(header);
  return `${h}.${payloadSegment}.${toB64u(await signRaw('HS256', KEY, utf8(`${h}.${payloadSegment}`)))}`;
}
const verify = (t: string, options?: JwsVerifyOptions) => verifyCompact(t, KEY, options);

describe('A35: crit', () => {
  it('unknown extensions are unsupported unless declared as own, true members of options.crit', async () => {
    const ext = await token('{"alg":"HS256","crit":["urn:x:mustcheck"],"urn:x:mustcheck":true}');
    await expectCode(verify(ext), 'ERR_JOSE_NOT_SUPPORTED');
    await expectCode(verify(ext, { crit: { 'urn:x:mustcheck': false } }), 'ERR_JOSE_NOT_SUPPORTED');
    await expectCode(verify(ext, { crit: Object.create({ 'urn:x:mustcheck': true }) }), 'ERR_JOSE_NOT_SUPPORTED');
    expect((await verify(ext, { crit: { 'urn:x:mustcheck': true } })).protectedHeader.crit).toEqual([
      'urn:x:mustcheck',
    ]);
    await expectCode(verify(await token('{"alg":"HS256","crit":["exp"],"exp":1}')), 'ERR_JOSE_NOT_SUPPORTED');
    const inherited = await token('{"alg":"HS256","crit":["toString"],"toString":1}');
    await expectCode(verify(inherited, { crit: {} }), 'ERR_JOSE_NOT_SUPPORTED');
    const proto = Object.prototype as Record<string, unknown>;
    proto['urn:x:mustcheck'] = true;
    try {
      await expectCode(verify(ext, { crit: {} }), 'ERR_JOSE_NOT_SUPPORTED');
    } finally {
      delete proto['urn:x:mustcheck'];
    }
  });

  it('malformed crit is invalid', async () => {
    for (const h of [
      '{"alg":"HS256","crit":[]}',
      '{"alg":"HS256","crit":"b64","b64":true}',
      '{"alg":"HS256","crit":[null]}',
      '{"alg":"HS256","crit":[""]}',
      '{"alg":"HS256","crit":["b64","b64"],"b64":true}',
      '{"alg":"HS256","crit":["x"]}',
      '{"alg":"HS256","crit":["alg"]}',
      '{"alg":"HS256","crit":["kid"],"kid":"a"}',
      '{"alg":"HS256","crit":{"0":"x"},"x":1}',
    ]) {
      await expectCode(verify(await token(h), { crit: { x: true } }), 'ERR_JWS_INVALID');
    }
  });

  it('crit must be integrity protected', async () => {
    const [h, p, s] = segments(await token('{"alg":"HS256"}'));
    await expectCode(
      verifyJson({ protected: h, header: { crit: ['x'], x: 1 }, payload: p, signature: s }, KEY),
      'ERR_JWS_INVALID',
    );
  });
});

describe('A36: b64', () => {
  const UNENCODED = '{"alg":"HS256","b64":false,"crit":["b64"]}';

  it('an unencoded payload is accepted only when the caller understands b64', async () => {
    const t = await token(UNENCODED, '{"sub":"admin"}');
    expect(segments(t)[1]).toBe('{"sub":"admin"}');
    await expectCode(verify(t), 'ERR_JWS_INVALID');
    expect(text((await verify(t, { crit: { b64: true } })).payload)).toBe('{"sub":"admin"}');
    // A base64url-looking unencoded payload is its literal text, never decoded.
    const looks = await token(UNENCODED, toB64u('{"sub":"admin"}'));
    expect(text((await verify(looks, { crit: { b64: true } })).payload)).toBe(toB64u('{"sub":"admin"}'));
  });

  it('b64 without crit, a non-boolean b64, or b64 outside the protected header is invalid', async () => {
    for (const h of ['{"alg":"HS256","b64":false}', '{"alg":"HS256","b64":"false","crit":["b64"]}']) {
      await expectCode(verify(await token(h, 'abc'), { crit: { b64: true } }), 'ERR_JWS_INVALID');
    }
    const [h, , s] = segments(await token('{"alg":"HS256"}', 'abc'));
    const jws = { protected: h, header: { b64: false }, payload: 'abc', signature: s };
    await expectCode(verifyJson(jws, KEY, { crit: { b64: true } }), 'ERR_JWS_INVALID');
  });

  it('a general JWS mixing encoded and unencoded signatures is invalid', async () => {
    const [h1, , s1] = segments(await token('{"alg":"HS256"}', 'abc'));
    const [h2, , s2] = segments(await token(UNENCODED, 'abc'));
    const jws = {
      payload: 'abc',
      signatures: [
        { protected: h1, signature: s1 },
        { protected: h2, signature: s2 },
      ],
    };
    await expectCode(verifyJson(jws, KEY, { crit: { b64: true } }), 'ERR_JWS_INVALID');
  });
});

describe('A37: duplicate member names, compared after unescaping', () => {
  it('in the protected header', async () => {
    for (const h of [
      '{"alg":"HS256","alg":"none"}',
      '{"alg":"none","alg":"HS256"}',
      '{"alg":"HS256","\\u0061lg":"none"}',
      '{"alg":"HS256","kid":"a","k\\u0069d":"b"}',
      '{"alg":"HS256","x":{"a":1,"a":2}}',
      '{"alg":"HS256","x":[{"a":1},{"b":1,"b":2}]}',
    ]) {
      await expectCode(verify(await token(h)), 'ERR_JWS_INVALID');
      await expectCode(async () => decodeUnverified(await token(h)), 'ERR_JWT_INVALID');
    }
    // Distinct names stay distinct: "Alg" is another, ignored member.
    expect((await verify(await token('{"Alg":"none","alg":"HS256"}'))).protectedHeader).toEqual({
      Alg: 'none',
      alg: 'HS256',
    });
  });

  it('in a JSON serialization and in claims seen by decodeUnverified', async () => {
    const [h, p, s] = segments(await token('{"alg":"HS256"}'));
    await expectCode(
      verifyJson(`{"protected":"${h}","payload":"${p}","signature":"${s}","signature":"x"}`, KEY),
      'ERR_JWS_INVALID',
    );
    await expectCode(
      verifyJson(`{"payload":"${p}","payload":"${p}","protected":"${h}","signature":"${s}"}`, KEY),
      'ERR_JWS_INVALID',
    );
    for (const claims of [
      '{"sub":"user","sub":"admin"}',
      '{"sub":"user","s\\u0075b":"admin"}',
      '{"exp":1,"exp":9999999999}',
    ]) {
      await expectCode(async () => decodeUnverified(await token('{"alg":"HS256"}', toB64u(claims))), 'ERR_JWT_INVALID');
    }
  });
});

describe('A39: strict base64url', () => {
  it('padding, the standard alphabet, stray characters and non-zero trailing bits are invalid', async () => {
    // A payload whose encoding holds "-" and "_", so that the standard alphabet differs.
    const t = await token('{"alg":"HS256"}', toB64u(Uint8Array.of(0xfb, 0xff, 0xbf, 0x00)));
    await verify(t);
    const [h, p, s] = segments(t);
    expect(p).toMatch(/[-_]/);
    const variants: string[] = [];
    for (const i of [0, 1, 2]) {
      const parts = [h, p, s];
      const seg = parts[i]!;
      const at = Math.floor(seg.length / 2);
      // A length of 1 mod 4 can never be base64url.
      const mod1 = seg.slice(0, seg.length - (seg.length % 4) - 3);
      const edits = [`${seg}=`, `${seg}==`, seg.replace(/-/g, '+').replace(/_/g, '/'), mod1];
      for (const c of ['!', '$', '%', '\t', ' ', '\n', '\u0000', '\u000b', '\u00a0', 'Ａ', '%3D', '?']) {
        edits.push(seg.slice(0, at) + c + seg.slice(at));
      }
      for (const e of edits) if (e !== seg) variants.push(parts.map((x, j) => (j === i ? e : x)).join('.'));
    }
    for (const v of variants) await expectCode(verify(v), 'ERR_JWS_INVALID');
    // Non-zero unused bits: "AB" would decode like "AA" in a lenient decoder.
    await expectCode(verify(await token('{"alg":"HS256"}', 'AB')), 'ERR_JWS_INVALID');
    await verify(await token('{"alg":"HS256"}', 'AA'));
    const last = s.at(-1)!;
    const sibling = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const twin = sibling[sibling.indexOf(last) ^ 1]!;
    await expectCode(verify(`${h}.${p}.${s.slice(0, -1)}${twin}`), 'ERR_JWS_INVALID');
  });

  it('the same in the JSON serialization members', async () => {
    const [h, p, s] = segments(await token('{"alg":"HS256"}'));
    for (const jws of [
      { protected: `${h}=`, payload: p, signature: s },
      { protected: h, payload: `${p} `, signature: s },
      { protected: h, payload: p, signature: `${s}=` },
      { protected: h, payload: p, signature: s.replace(/.$/, '+') },
    ]) {
      await expectCode(verifyJson(jws, KEY), 'ERR_JWS_INVALID');
    }
  });
});

describe('A40: compact structure', () => {
  it('wrong segment counts, empty header, whitespace and prefixes', async () => {
    const t = await token('{"alg":"HS256"}');
    const [h, p, s] = segments(t);
    for (const v of [
      '',
      '.',
      '..',
      '...',
      `${h}.${p}`,
      `${t}.`,
      `${t}.x`,
      `.${p}.${s}`,
      ` ${t}`,
      `Bearer ${t}`,
      `${t}\n`,
      `${t}\r`,
      `${h}.${p}.${s}.${s}.${s}`,
    ]) {
      await expectCode(verify(v), 'ERR_JWS_INVALID');
    }
    // An empty payload segment is an empty payload, and this signature is over another one.
    await expectCode(verify(`${h}..${s}`), 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED');
  });

  it('the length cap comes first, is configurable and validated', async () => {
    const t = await token('{"alg":"HS256"}');
    await expectCode(verify(t + '.'.repeat(1_000_000)), 'ERR_LIMIT_EXCEEDED');
    await expectCode(verify('.'.repeat(5 * 1024 * 1024)), 'ERR_LIMIT_EXCEEDED');
    await expectCode(verify(t, { maxTokenLength: t.length - 1 }), 'ERR_LIMIT_EXCEEDED');
    await verify(t, { maxTokenLength: t.length });
    for (const maxTokenLength of [0, -1, 1.5, 1e12, '100', Number.NaN]) {
      await expectCode(verify(t, { maxTokenLength } as never), 'ERR_INVALID_OPTION');
    }
    await expectCode(verify(t, { maxTokenLenght: 10 } as never), 'ERR_INVALID_OPTION');
  });

  it('inputs that are not strings or objects', async () => {
    for (const v of [undefined, null, 123, {}, [], ['a.b.c'], Buffer.from('a.b.c')]) {
      await expectCode(verifyCompact(v as string, KEY), 'ERR_JWS_INVALID');
    }
    for (const v of [undefined, null, 123, [], '[]', 'null', '"x"', '{}', '{"signatures":[]}', 'x']) {
      await expectCode(verifyJson(v as string, KEY), 'ERR_JWS_INVALID');
    }
  });
});

describe('A41/A38: headers that are not UTF-8 JSON objects, and prototype members', () => {
  const enc = (parts: (string | number[])[]): Uint8Array =>
    Uint8Array.from(parts.flatMap((x) => (typeof x === 'string' ? [...utf8(x)] : x)));

  it('non-objects, broken or lenient JSON, BOMs, UTF-16, invalid UTF-8 and lone surrogates are invalid', async () => {
    const headers: (string | Uint8Array)[] = [
      'null',
      '[]',
      '"alg"',
      '123',
      'true',
      '{}',
      '{"alg":"HS256"',
      '{"alg":"HS256"}garbage',
      '{"alg":"HS256"}{}',
      '\ufeff{"alg":"HS256"}',
      '{"alg":"HS256","x":NaN}',
      '{"alg":"HS256","x":Infinity}',
      '{"alg":"HS256"/*c*/}',
      '{"alg":"HS256",}',
      "{'alg':'HS256'}",
      '{"alg":"HS256","x":"\\ud800"}',
      '{"alg":"HS256","x":"\\udc00\\ud800"}',
      enc(['{"alg":"HS256","x":"', [0xc3, 0x28], '"}']),
      enc(['{"alg":"HS256","x":"', [0xc0, 0xaf], '"}']),
      enc(['{"alg":"HS256","x":"', [0xed, 0xa0, 0x80], '"}']),
      enc(['{"alg":"HS256","x":"', [0xff], '"}']),
      new Uint8Array(Buffer.from('{"alg":"HS256"}', 'utf16le')),
    ];
    for (const h of headers) {
      await expectCode(verify(await token(h)), 'ERR_JWS_INVALID');
      // decodeUnverified is for display: it needs a JSON object, not an "alg".
      if (h !== '{}') await expectCode(async () => decodeUnverified(await token(h)), 'ERR_JWT_INVALID');
    }
    const deep = `{"alg":"HS256","x":${'['.repeat(40)}${']'.repeat(40)}}`;
    await expectCode(verify(await token(deep)), 'ERR_LIMIT_EXCEEDED');
  });

  it('JWS payloads are bytes (any JSON or none); decodeUnverified wants a claims object', async () => {
    for (const claims of ['[]', '"s"', 'null', '1', 'true', 'not json']) {
      const t = await token('{"alg":"HS256"}', toB64u(claims));
      expect(text((await verify(t)).payload)).toBe(claims);
      expect(() => decodeUnverified(t)).toThrow(expect.objectContaining({ code: 'ERR_JWT_INVALID' }));
    }
  });

  it('"__proto__" is an ordinary own member: it neither supplies alg nor pollutes prototypes', async () => {
    const r = await verify(await token('{"alg":"HS256","__proto__":{"alg":"none","admin":true}}'));
    expect(r.protectedHeader.alg).toBe('HS256');
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
    await expectCode(verify(await token('{"__proto__":{"alg":"HS256"}}')), 'ERR_JWS_INVALID');
    // An inherited-looking crit is not a crit: only own members count.
    const r2 = await verify(await token('{"alg":"HS256","__proto__":{"crit":["x"]},"x":1}'));
    expect(Object.hasOwn(r2.protectedHeader, 'crit')).toBe(false);
    expect(r2.protectedHeader.crit).toBeUndefined();
  });
});
