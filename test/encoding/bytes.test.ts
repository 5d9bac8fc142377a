// concatAll: the one byte join (signing inputs, DER, JWE MACs, streamed bodies).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { concatAll } from '../../src/encoding/index.js';

describe('concatAll', () => {
  it('joins no parts into an empty array', () => {
    const out = concatAll([]);
    expect(out).toBeInstanceOf(Uint8Array);
    expect(out.byteLength).toBe(0);
  });

  it('copies a single part: the result is never the part itself', () => {
    const part = Uint8Array.of(1, 2, 3);
    const out = concatAll([part]);
    expect(out).toEqual(Uint8Array.of(1, 2, 3));
    expect(out).not.toBe(part);
    expect(out.buffer).not.toBe(part.buffer);
    part[0] = 9;
    expect(out[0]).toBe(1);
  });

  it('joins many parts in order, empty ones included, and owns its bytes', () => {
    const a = Uint8Array.of(1);
    const b = Uint8Array.of(2, 3);
    const out = concatAll([a, new Uint8Array(0), b, new Uint8Array(0), Uint8Array.of(4, 5, 6)]);
    expect(out).toEqual(Uint8Array.of(1, 2, 3, 4, 5, 6));
    a[0] = 0;
    b.fill(0);
    expect(out).toEqual(Uint8Array.of(1, 2, 3, 4, 5, 6));
  });

  it('reads only the viewed range of a part that is a view into a larger buffer', () => {
    const big = Uint8Array.of(0, 1, 2, 3, 4, 5);
    expect(concatAll([big.subarray(1, 3), big.subarray(4)])).toEqual(Uint8Array.of(1, 2, 4, 5));
  });

  // Spreading 200,000 arguments already overflows the stack on node 20: a list is taken, never spread.
  it.each([100_000, 300_000])('joins %i parts', (count) => {
    const parts = Array.from({ length: count }, (_, i) => Uint8Array.of(i & 0xff, (i >> 8) & 0xff).subarray(0, i % 3));
    const out = concatAll(parts);
    const expected = parts.reduce((n, p) => n + p.byteLength, 0);
    expect(out.byteLength).toBe(expected);
    let at = 0;
    for (let i = 0; i < count; i++) {
      const p = parts[i]!;
      for (let j = 0; j < p.byteLength; j++) if (out[at + j] !== p[j]) expect.fail(`part ${i} byte ${j}`);
      at += p.byteLength;
    }
  });

  it('equals the parts laid end to end (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 30 }), (parts) => {
        const out = concatAll(parts);
        expect([...out]).toEqual(parts.flatMap((p) => [...p]));
        if (parts.length > 0) expect(parts.some((p) => p.buffer === out.buffer)).toBe(false);
      }),
    );
  });
});
