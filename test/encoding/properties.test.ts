/**
 * Property-based tests of the strict decoders: they agree with the lenient platform decoders exactly on canonical
 * input, refuse everything else with a JotError, and detect any duplicated member however it is spelled.
 */
import { Buffer } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { b64uDecode, b64uEncode, isB64u, parseJson, utf8Decode } from '../../src/encoding/index.js';
import { JotError } from '../../src/errors.js';

function jotOnly(f: () => unknown): unknown {
  try {
    return f();
  } catch (e) {
    if (!(e instanceof JotError)) throw new Error(`escaped: ${String(e)}`);
    return e;
  }
}

describe('base64url properties', () => {
  it('bytes round-trip, and every encoding is canonical', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const s = b64uEncode(bytes);
        expect(isB64u(s)).toBe(true);
        expect(new Uint8Array(b64uDecode(s, 'ERR_JWS_INVALID'))).toEqual(bytes);
      }),
    );
  });

  it('a string is accepted exactly when it is the canonical encoding of what node would decode from it', () => {
    const chars = fc.constantFrom(...'AQgwB_-+/=. \n%é'.split(''), 'A', 'b', '9');
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit: chars, maxLength: 12 }), fc.string({ unit: 'binary', maxLength: 12 })),
        (s) => {
          const canonical = /^[A-Za-z0-9_-]*$/.test(s) && Buffer.from(s, 'base64url').toString('base64url') === s;
          expect(isB64u(s)).toBe(canonical);
          const r = jotOnly(() => b64uDecode(s, 'ERR_JWS_INVALID'));
          expect(r instanceof JotError).toBe(!canonical);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('strict JSON properties', () => {
  it('agrees with JSON.parse on JSON.stringify output (bounded depth, no duplicates possible)', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6, stringUnit: 'binary' }), (v) => {
        const text = JSON.stringify(v);
        expect(parseJson(text, 'ERR_JWS_INVALID')).toEqual(JSON.parse(text));
      }),
      { numRuns: 500 },
    );
  });

  it('arbitrary text yields a value or a JotError, never a SyntaxError or RangeError', () => {
    const jsonish = fc.string({
      unit: fc.constantFrom(...'{}[]":,\\u0123456789abcdefABCDEFtrnl-.eE \n'.split('')),
      maxLength: 60,
    });
    fc.assert(
      fc.property(fc.oneof(jsonish, fc.string({ unit: 'binary' }), fc.json()), (text) => {
        jotOnly(() => parseJson(text, 'ERR_JWS_INVALID'));
      }),
      { numRuns: 2000 },
    );
  });

  it('a duplicated member is always found, whether written plainly or with any character escaped', () => {
    const name = fc.string({ unit: 'binary', minLength: 1, maxLength: 8 });
    const escapeSome = (n: string, mask: number): string => {
      let out = '';
      let i = 0;
      for (const ch of n) {
        const code = ch.codePointAt(0)!;
        const units = code > 0xffff ? [0xd800 + ((code - 0x10000) >> 10), 0xdc00 + ((code - 0x10000) & 0x3ff)] : [code];
        out +=
          (mask >> i++) & 1
            ? units.map((u) => `\\u${u.toString(16).padStart(4, '0')}`).join('')
            : JSON.stringify(ch).slice(1, -1);
      }
      return `"${out}"`;
    };
    fc.assert(
      fc.property(
        fc.dictionary(name, fc.jsonValue({ maxDepth: 2 }), { minKeys: 1, maxKeys: 5 }),
        fc.nat(),
        fc.nat(255),
        fc.boolean(),
        (obj, pick, mask, nested) => {
          const keys = Object.keys(obj);
          const dup = keys[pick % keys.length]!;
          const body = JSON.stringify(obj).slice(1, -1);
          const text = `{${body},${escapeSome(dup, mask)}:0}`;
          const doc = nested ? `{"outer":[${text}]}` : text;
          const r = jotOnly(() => parseJson(doc, 'ERR_JWS_INVALID'));
          expect(r).toBeInstanceOf(JotError);
          expect((r as JotError).code).toBe('ERR_JWS_INVALID');
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('fatal UTF-8 decoding round-trips valid text and refuses anything that is not', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 16 }), (bytes) => {
        const r = jotOnly(() => utf8Decode(bytes, 'ERR_JWS_INVALID'));
        if (typeof r === 'string') expect(new TextEncoder().encode(r)).toEqual(bytes);
        else expect(() => new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes)).toThrow();
      }),
      { numRuns: 2000 },
    );
  });
});
