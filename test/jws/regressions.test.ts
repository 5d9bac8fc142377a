/**
 * Regression tests, one per bug found while writing the issue 2 suites, each named after the bug.
 */
import { describe, expect, it } from 'vitest';
import { importKey, signCompact, signJson, verifyCompact, verifyJson } from '../../src/index.js';
import { expectCode, fromHex, keysFor, segments, text } from '../helpers/index.js';

const B64_FALSE = { alg: 'HS256', b64: false, crit: ['b64'] };
const CRIT = { crit: { b64: true } };

describe('regressions', () => {
  it('signCompact refused a detached unencoded payload holding "." (RFC 7797 4.2 was impossible)', async () => {
    const { privateKey: key } = await keysFor('HS256');
    const jws = await signCompact('$.02', B64_FALSE, key, { detached: true });
    expect(segments(jws)[1]).toBe('');
    expect(text((await verifyCompact(jws, key, { ...CRIT, detachedPayload: '$.02' })).payload)).toBe('$.02');
    // Inline, the "." would add a segment: still refused.
    await expectCode(signCompact('$.02', B64_FALSE, key), 'ERR_JWS_INVALID');
  });

  it('signCompact signed a truncated UTF-8 sequence (F0 90 80) as U+FFFD text: an unverifiable token', async () => {
    const { privateKey: key } = await keysFor('HS256');
    // Lossy decoding turned these 3 bytes into U+FFFD, also 3 bytes, so the old length check let them through.
    await expectCode(signCompact(fromHex('41f09080'), B64_FALSE, key), 'ERR_JWS_INVALID');
    // Detached, the bytes never become text: any bytes are fine.
    const jws = await signCompact(fromHex('41f09080'), B64_FALSE, key, { detached: true });
    const r = await verifyCompact(jws, key, { ...CRIT, detachedPayload: fromHex('41f09080') });
    expect(r.payload).toEqual(fromHex('41f09080'));
  });

  it('signJson wrote invalid UTF-8 unencoded payloads lossily: a JWS that never verifies', async () => {
    const { privateKey: key } = await keysFor('HS256');
    await expectCode(signJson(fromHex('ff'), [{ protectedHeader: B64_FALSE, key }]), 'ERR_JWS_INVALID');
    const detached = await signJson(fromHex('ff'), [{ protectedHeader: B64_FALSE, key }], { detached: true });
    expect(detached).not.toHaveProperty('payload');
    await verifyJson(detached, key, { ...CRIT, detachedPayload: fromHex('ff') });
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

  it('a BigInt or circular protected header escaped from signCompact as a TypeError', async () => {
    const { privateKey: key } = await keysFor('HS256');
    const circular: Record<string, unknown> = { alg: 'HS256' };
    circular.self = circular;
    await expectCode(signCompact('x', { alg: 'HS256', n: 1n } as never, key), 'ERR_JWS_INVALID');
    await expectCode(signCompact('x', circular as never, key), 'ERR_JWS_INVALID');
    await expectCode(signJson('x', [{ protectedHeader: circular as never, key }]), 'ERR_JWS_INVALID');
  });

  it('headers the verifier refuses (lone surrogate, nesting deeper than 32) were signed into dead tokens', async () => {
    const { privateKey: key } = await keysFor('HS256');
    await expectCode(signCompact('x', { alg: 'HS256', kid: '\ud800' }, key), 'ERR_JWS_INVALID');
    let deep: unknown = 1;
    for (let i = 0; i < 40; i++) deep = [deep];
    await expectCode(signCompact('x', { alg: 'HS256', deep }, key), 'ERR_LIMIT_EXCEEDED');
  });

  it('a header whose toJSON differs from its members was checked by its members but signed as its JSON', async () => {
    const { privateKey: key } = await keysFor('HS256');
    const header = { alg: 'HS256', toJSON: () => ({ alg: 'HS256', b64: false, crit: ['b64'] }) };
    // Checked as JSON now: the token is unencoded, as its header says, and it verifies.
    const jws = await signCompact('text', header as never, key);
    expect(segments(jws)[1]).toBe('text');
    await verifyCompact(jws, key, CRIT);
    await expectCode(signCompact('x', { alg: 'HS256', toJSON: () => ({ alg: 'none' }) } as never, key), [
      'ERR_JOSE_ALG_NOT_ALLOWED',
    ]);
  });
});
