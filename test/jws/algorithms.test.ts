/**
 * Every JWS algorithm of issue 2 signs and verifies in every serialization, and rejects any flipped bit in the
 * header, the payload and the signature.
 */
import { describe, expect, it } from 'vitest';
import { type GeneralJWS, signCompact, signJson, verifyCompact, verifyJson } from '../../src/index.js';
import { LACKS_SECP256K1 } from '../helpers/runtime.js';
import { expectCode, fromB64u, JWS_ALGS, keysFor, outcome, segments, text, toB64u } from '../helpers/index.js';

/** Every bit index of `bytes`, or a spread of them for long signatures (first and last bytes, then a stride). */
function bitPositions(length: number, all: boolean): number[] {
  const bits = length * 8;
  if (all || bits <= 512) return Array.from({ length: bits }, (_, i) => i);
  const out = new Set<number>();
  for (let i = 0; i < 64; i++) out.add(i).add(bits - 1 - i);
  for (let i = 0; i < bits; i += 13) out.add(i);
  return [...out];
}

function flip(segment: string, bit: number): string {
  const bytes = fromB64u(segment);
  bytes[bit >> 3] = bytes[bit >> 3]! ^ (1 << (bit & 7));
  return toB64u(bytes);
}

describe('every algorithm', () => {
  it('ES256K is ERR_JOSE_NOT_SUPPORTED where the implementation has no secp256k1', async () => {
    if (LACKS_SECP256K1) await expectCode(keysFor('ES256K'), 'ERR_JOSE_NOT_SUPPORTED');
    else expect((await keysFor('ES256K')).publicKey.crv).toBe('secp256k1');
  });
  for (const alg of JWS_ALGS.filter((a) => a !== 'ES256K' || !LACKS_SECP256K1)) {
    it(`${alg}: signs and verifies; every flipped bit in header, payload and signature is rejected`, async () => {
      const { privateKey, publicKey } = await keysFor(alg);
      const token = await signCompact('{"sub":"flip me"}', { alg, kid: 'abcdefgh' }, privateKey);
      const r = await verifyCompact(token, publicKey);
      expect(text(r.payload)).toBe('{"sub":"flip me"}');
      expect(r.protectedHeader).toEqual({ alg, kid: 'abcdefgh' });
      expect(r.key).toBe(publicKey);

      const [h, p, s] = segments(token);
      const seen = new Map<string, number>();
      const tally = (code: string) => seen.set(code, (seen.get(code) ?? 0) + 1);
      for (const bit of bitPositions(fromB64u(h).length, true)) {
        const got = await outcome(verifyCompact(`${flip(h, bit)}.${p}.${s}`, publicKey));
        expect(got, `header bit ${bit}`).not.toBe('ok');
        tally(got);
      }
      for (const bit of bitPositions(fromB64u(p).length, true)) {
        const got = await outcome(verifyCompact(`${h}.${flip(p, bit)}.${s}`, publicKey));
        expect(got, `payload bit ${bit}`).toBe('ERR_JWS_SIGNATURE_VERIFICATION_FAILED');
      }
      for (const bit of bitPositions(fromB64u(s).length, false)) {
        const got = await outcome(verifyCompact(`${h}.${p}.${flip(s, bit)}`, publicKey));
        expect(got, `signature bit ${bit}`).toBe('ERR_JWS_SIGNATURE_VERIFICATION_FAILED');
      }
      // A flip inside the kid value keeps the header valid JSON: only the signature can catch it.
      const kidAt = fromB64u(h).indexOf('a'.charCodeAt(0), 20) * 8;
      expect(await outcome(verifyCompact(`${flip(h, kidAt)}.${p}.${s}`, publicKey))).toBe(
        'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
      );
      // Other header flips break the JSON, the UTF-8 or the algorithm: all are JotErrors with documented codes.
      for (const code of seen.keys()) {
        expect([
          'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
          'ERR_JWS_INVALID',
          'ERR_JOSE_ALG_NOT_ALLOWED',
          'ERR_JOSE_NOT_SUPPORTED',
        ]).toContain(code);
      }
    });

    it(`${alg}: flattened, general and detached JSON serializations, and an unencoded payload`, async () => {
      const { privateKey, publicKey } = await keysFor(alg);
      const flat = await signJson('json', [{ protectedHeader: { alg }, key: privateKey }], { flattened: true });
      expect(text((await verifyJson(flat, publicKey)).payload)).toBe('json');
      const general = (await signJson('json', [{ protectedHeader: { alg }, key: privateKey }])) as GeneralJWS;
      expect(text((await verifyJson(JSON.stringify(general), publicKey)).payload)).toBe('json');
      const detached = await signCompact('json', { alg }, privateKey, { detached: true });
      expect(segments(detached)[1]).toBe('');
      await verifyCompact(detached, publicKey, { detachedPayload: 'json' });
      expect(await outcome(verifyCompact(detached, publicKey, { detachedPayload: 'jsoN' }))).toBe(
        'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
      );
      const unencoded = await signCompact('raw text', { alg, b64: false, crit: ['b64'] }, privateKey);
      expect(segments(unencoded)[1]).toBe('raw text');
      expect(text((await verifyCompact(unencoded, publicKey, { crit: { b64: true } })).payload)).toBe('raw text');
    });
  }
});
