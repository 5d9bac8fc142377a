/**
 * Regression tests, one per bug found while writing the issue 2 suites, each named after the bug.
 */
import { describe, expect, it } from 'vitest';
import { importKey, signCompact, signJson, verifyCompact, verifyJson } from '../../src/index.js';
import { hex, keysFor, rejects, segments, text } from './_support.js';

const B64_FALSE = { alg: 'HS256', b64: false, crit: ['b64'] };
const CRIT = { crit: { b64: true } };

describe('regressions', () => {
  it('signCompact refused a detached unencoded payload containing "." (RFC 7797 4.2 could not be produced)', async () => {
    const { privateKey: key } = await keysFor('HS256');
    const jws = await signCompact('$.02', B64_FALSE, key, { detached: true });
    expect(segments(jws)[1]).toBe('');
    expect(text((await verifyCompact(jws, key, { ...CRIT, detachedPayload: '$.02' })).payload)).toBe('$.02');
    // Inline, the "." would add a segment: still refused.
    await rejects(signCompact('$.02', B64_FALSE, key), 'ERR_JWS_INVALID');
  });

  it('signCompact signed a truncated UTF-8 sequence (F0 90 80) as U+FFFD text: an unverifiable token', async () => {
    const { privateKey: key } = await keysFor('HS256');
    // Lossy decoding turned these 3 bytes into U+FFFD, also 3 bytes, so the old length check let them through.
    await rejects(signCompact(hex('41f09080'), B64_FALSE, key), 'ERR_JWS_INVALID');
    // Detached, the bytes never become text: any bytes are fine.
    const jws = await signCompact(hex('41f09080'), B64_FALSE, key, { detached: true });
    const r = await verifyCompact(jws, key, { ...CRIT, detachedPayload: hex('41f09080') });
    expect(r.payload).toEqual(hex('41f09080'));
  });

  it('signJson wrote invalid UTF-8 unencoded payloads lossily: a JWS that never verifies', async () => {
    const { privateKey: key } = await keysFor('HS256');
    await rejects(signJson(hex('ff'), [{ protectedHeader: B64_FALSE, key }]), 'ERR_JWS_INVALID');
    const detached = await signJson(hex('ff'), [{ protectedHeader: B64_FALSE, key }], { detached: true });
    expect(detached).not.toHaveProperty('payload');
    await verifyJson(detached, key, { ...CRIT, detachedPayload: hex('ff') });
  });

  it('verified payloads were node Buffers (possibly views into the shared pool), not plain Uint8Arrays', async () => {
    const key = await importKey(new Uint8Array(32).fill(7), { alg: 'HS256' });
    const jws = await signCompact('abc', { alg: 'HS256' }, key);
    const a = (await verifyCompact(jws, key)).payload;
    const [h, p, s] = segments(jws);
    const b = (await verifyJson({ protected: h, payload: p, signature: s }, key)).payload;
    for (const payload of [a, b]) {
      expect(Object.getPrototypeOf(payload)).toBe(Uint8Array.prototype);
      expect(payload.buffer.byteLength).toBe(3);
    }
  });
});
