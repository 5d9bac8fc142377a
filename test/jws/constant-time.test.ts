/**
 * HMAC signatures are compared in constant time (A51). node:crypto is wrapped so that every call to
 * timingSafeEqual is recorded: if the comparison were replaced by `===`, Buffer.equals or a loop that exits early,
 * these tests would fail.
 */
import { timingSafeEqual } from 'node:crypto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { digest } from '#crypto/digest';
import { importKey, signCompact, verifyCompact, verifyJson } from '../../src/index.js';
import { expectCode, fromB64u, segments, toB64u } from '../helpers/index.js';

vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>();
  return { ...actual, timingSafeEqual: vi.fn(actual.timingSafeEqual) };
});

const spy = vi.mocked(timingSafeEqual);
beforeEach(() => {
  spy.mockClear();
});

describe('constant-time HMAC comparison', () => {
  for (const [alg, size] of [
    ['HS256', 32],
    ['HS384', 48],
    ['HS512', 64],
  ] as const) {
    it(`${alg}: the MAC is compared with crypto.timingSafeEqual, whether it matches or not`, async () => {
      const key = await importKey(new Uint8Array(size).fill(3), { alg });
      const token = await signCompact('constant time', { alg }, key);
      const [h, p, s] = segments(token);
      spy.mockClear();
      await verifyCompact(token, key);
      expect(spy).toHaveBeenCalledTimes(1);
      const [a, b] = spy.mock.calls[0]!;
      expect([a.byteLength, b.byteLength]).toEqual([size, size]);
      expect(spy.mock.results[0]!.value).toBe(true);

      // A wrong MAC of the right length: compared the same way, and refused.
      const wrong = fromB64u(s);
      wrong[size - 1] = wrong[size - 1]! ^ 0x80;
      await expectCode(verifyCompact(`${h}.${p}.${toB64u(wrong)}`, key), 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED');
      expect(spy).toHaveBeenCalledTimes(2);
      expect(spy.mock.results[1]!.value).toBe(false);

      // The JSON serialization goes through the same comparison.
      await verifyJson({ protected: h, payload: p, signature: s }, key);
      expect(spy).toHaveBeenCalledTimes(3);
    });
  }

  it('a MAC of the wrong length is refused by its length, which is public, before any comparison', async () => {
    const key = await importKey(new Uint8Array(32).fill(3), { alg: 'HS256' });
    const [h, p, s] = segments(await signCompact('x', { alg: 'HS256' }, key));
    spy.mockClear();
    await expectCode(
      verifyCompact(`${h}.${p}.${toB64u(fromB64u(s).subarray(0, 31))}`, key),
      'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
    );
    expect(spy).not.toHaveBeenCalled();
  });

  it("the backend's own timingSafeEqual uses it too", () => {
    expect(digest.timingSafeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2]))).toBe(true);
    expect(digest.timingSafeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 3]))).toBe(false);
    expect(digest.timingSafeEqual(new Uint8Array([1]), new Uint8Array([1, 2]))).toBe(false);
    expect(spy).toHaveBeenCalledTimes(2);
  });
});
