/**
 * Strict JSON (attacks A37, A41, A42): JSON.parse syntax plus duplicate member names compared after unescaping,
 * lone surrogates, bounded depth, and object-only top levels; and fatal UTF-8.
 */
import { describe, expect, it } from 'vitest';
import {
  isObject,
  own,
  parseJson,
  parseJsonObject,
  toBytes,
  utf8Decode,
  utf8Encode,
} from '../../src/encoding/index.js';
import { expectCode } from '../helpers/index.js';

const invalid = (text: string) => expectCode(() => parseJson(text, 'ERR_JWT_INVALID'), 'ERR_JWT_INVALID');

describe('parseJson', () => {
  it('parses what JSON.parse parses, when nothing is duplicated', () => {
    for (const text of [
      '{}',
      '[]',
      '1',
      '"s"',
      'null',
      '{"a":[1,{"b":"}"},"\\"a\\""],"c":{"a":1}}',
      '[{"a":1},{"a":1}]',
    ]) {
      expect(parseJson(text, 'ERR_JWS_INVALID')).toEqual(JSON.parse(text));
    }
  });

  it('rejects duplicate member names, compared after unescaping, at any depth', async () => {
    for (const text of [
      '{"a":1,"a":2}',
      '{"alg":"HS256","\\u0061lg":"none"}',
      '{"\\/":1,"/":2}',
      '{"a\\\\":1,"a\\\\":2}',
      '{"":1,"":2}',
      '{"\\ud83d\\ude00":1,"😀":2}',
      '{"x":{"a":1,"b":2,"a":3}}',
      '[{"a":1,"a":1}]',
      '{"a":{},"a":[]}',
      '{"a":1,"b":{"c":[{"d":1}]},"a":2}',
    ]) {
      await invalid(text);
    }
    // Look-alikes that are not duplicates.
    for (const text of ['{"a":1,"A":2}', '{"a":"},\\"a\\":{","b":1}', '{"a":1,"b":{"a":2}}', '{"a ":1,"a":2}']) {
      expect(parseJson(text, 'ERR_JWT_INVALID')).toEqual(JSON.parse(text));
    }
  });

  it('rejects lone surrogates (escaped or raw), in names and values, and lenient syntax', async () => {
    for (const text of [
      '"\\ud800"',
      '"\\udc00"',
      '{"a":"\\ud800x"}',
      '{"\\ud800":1}',
      '{"a":"\\ud800\\u0041"}',
      '{"a":"\\udc00\\ud800"}',
      '{"a":"\ud800"}',
      '["\udfff"]',
      'NaN',
      '{"a":Infinity}',
      '{"a":1,}',
      "{'a':1}",
      '{"a":1}/**/',
      '\ufeff{}',
      '{"a":01}',
      '',
      '{"a":1} {"b":2}',
    ]) {
      await invalid(text);
    }
    expect(parseJson('{"a":"\\ud83d\\ude00","b":"😀"}', 'ERR_JWT_INVALID')).toEqual({ a: '😀', b: '😀' });
  });

  it('bounds the depth (32 by default, configurable) with ERR_LIMIT_EXCEEDED', async () => {
    const nest = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
    expect(parseJson(nest(32), 'ERR_JWS_INVALID')).toEqual(JSON.parse(nest(32)));
    await expectCode(() => parseJson(nest(33), 'ERR_JWS_INVALID'), 'ERR_LIMIT_EXCEEDED');
    await expectCode(() => parseJson(`{"a":${nest(32)}}`, 'ERR_JWS_INVALID'), 'ERR_LIMIT_EXCEEDED');
    await expectCode(() => parseJson(nest(5), 'ERR_JWS_INVALID', 'x', { maxDepth: 4 }), 'ERR_LIMIT_EXCEEDED');
    // Deep input does not overflow the stack: it is refused.
    await expectCode(() => parseJson(nest(100_000), 'ERR_JWS_INVALID'), ['ERR_LIMIT_EXCEEDED', 'ERR_JWS_INVALID']);
  });

  it('parseJsonObject wants an object at the top', async () => {
    for (const text of ['[]', '1', '"s"', 'null', 'true']) {
      await expectCode(() => parseJsonObject(text, 'ERR_JWK_INVALID'), 'ERR_JWK_INVALID');
    }
    expect(parseJsonObject('{"a":1}', 'ERR_JWK_INVALID')).toEqual({ a: 1 });
  });

  it('own and isObject read own properties only', () => {
    const o = Object.create({ inherited: 1 }) as Record<string, unknown>;
    o.mine = 2;
    expect(own(o, 'mine')).toBe(2);
    expect(own(o, 'inherited')).toBeUndefined();
    expect(own({}, 'toString')).toBeUndefined();
    expect(own(JSON.parse('{"__proto__":{"x":1}}'), '__proto__')).toEqual({ x: 1 });
    expect([isObject({}), isObject([]), isObject(null), isObject('x')]).toEqual([true, false, false, false]);
  });
});

describe('UTF-8', () => {
  it('decodes fatally: invalid, overlong and surrogate sequences are errors, never U+FFFD', async () => {
    for (const bytes of [[0xc3, 0x28], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf0, 0x90, 0x80], [0xff], [0xe2, 0x82]]) {
      await expectCode(() => utf8Decode(Uint8Array.from(bytes), 'ERR_JWS_INVALID'), 'ERR_JWS_INVALID');
    }
    expect(utf8Decode(utf8Encode('’ – 😀'), 'ERR_JWS_INVALID')).toBe('’ – 😀');
    // A BOM is kept, so that JSON refuses it rather than silently dropping it.
    expect(utf8Decode(Uint8Array.of(0xef, 0xbb, 0xbf, 0x41), 'ERR_JWS_INVALID')).toBe('\ufeffA');
  });

  it('toBytes', async () => {
    expect(toBytes('é', 'ERR_JWS_INVALID')).toEqual(Uint8Array.of(0xc3, 0xa9));
    const b = Uint8Array.of(1);
    expect(toBytes(b, 'ERR_JWS_INVALID')).toBe(b);
    for (const v of [1, null, {}, [1]])
      await expectCode(() => toBytes(v as never, 'ERR_JWE_INVALID'), 'ERR_JWE_INVALID');
  });
});
