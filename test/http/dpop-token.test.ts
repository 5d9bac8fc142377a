// createDpopProofChecker: DPoP proofs at a token endpoint (RFC 9449 sections 4.3 and 5), where no access token
// exists yet, so a proof must carry no `ath`.
import { describe, expect, it } from 'vitest';
import { isJotError } from '../../src/errors.js';
import { createDpopProof, createDpopProofChecker, dpopThumbprint } from '../../src/http/index.js';
import { generateKeyPair } from '../../src/key/index.js';
import { memoryStore, type ReplayStore } from '../../src/revocation/index.js';

const URL_ = 'https://as.example/token';
const request = (dpop?: string | string[], url = '/token', host = 'as.example') => ({
  method: 'POST',
  url,
  protocol: 'https',
  headers: { host, ...(dpop === undefined ? {} : { dpop }) },
});

describe('createDpopProofChecker', () => {
  it('accepts a valid proof and answers the key thumbprint, once', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const checker = createDpopProofChecker();
    const proof = await createDpopProof({ key: privateKey, method: 'POST', url: URL_ });
    const r = await checker.check(request(proof));
    expect(r).toEqual({ ok: true, jkt: await dpopThumbprint(publicKey), headers: {} });
    const again = await checker.check(request(proof));
    expect(again).toMatchObject({ ok: false, status: 400, error: 'invalid_dpop_proof' });
    expect(again.headers['cache-control']).toBe('no-store');
  });

  it('accepts a request without a proof unless required', async () => {
    expect(await createDpopProofChecker().check(request())).toEqual({ ok: true, jkt: undefined, headers: {} });
    expect(await createDpopProofChecker({ required: true }).check(request())).toMatchObject({
      ok: false,
      error: 'invalid_dpop_proof',
    });
  });

  it('refuses proofs with an ath, for another URI or method, duplicated, oversized or garbage', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    const checker = createDpopProofChecker({ origin: 'https://as.example' });
    const bad = [
      await createDpopProof({ key: privateKey, method: 'POST', url: URL_, accessToken: 'at' }),
      await createDpopProof({ key: privateKey, method: 'POST', url: 'https://as.example/other' }),
      await createDpopProof({ key: privateKey, method: 'GET', url: URL_ }),
      await createDpopProof({ key: privateKey, method: 'POST', url: URL_, iat: Math.floor(Date.now() / 1000) - 3600 }),
      'garbage',
      'a.b.c',
      'x'.repeat(20_000),
    ];
    for (const proof of bad) {
      expect(await checker.check(request(proof))).toMatchObject({
        ok: false,
        status: 400,
        error: 'invalid_dpop_proof',
      });
    }
    const p = await createDpopProof({ key: privateKey, method: 'POST', url: URL_ });
    expect(await checker.check(request([p, p]))).toMatchObject({ ok: false, error: 'invalid_dpop_proof' });
    // The configured origin, not the Host header, names the URI.
    const viaHost = await createDpopProof({ key: privateKey, method: 'POST', url: 'https://evil.example/token' });
    expect(await checker.check(request(viaHost, '/token', 'evil.example'))).toMatchObject({ ok: false });
  });

  it('asks for a nonce, then accepts a proof carrying it', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    const checker = createDpopProofChecker({ nonce: true });
    const first = await checker.check(request(await createDpopProof({ key: privateKey, method: 'POST', url: URL_ })));
    expect(first).toMatchObject({ ok: false, status: 400, error: 'use_dpop_nonce' });
    const nonce = first.headers['dpop-nonce'];
    expect(typeof nonce).toBe('string');
    const second = await checker.check(
      request(await createDpopProof({ key: privateKey, method: 'POST', url: URL_, nonce: nonce as string })),
    );
    expect(second.ok).toBe(true);
  });

  it('fails closed with 503 when the replay store fails', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    const broken: ReplayStore = {
      insertIfAbsent: () => Promise.reject(new Error('down')),
    };
    const r = await createDpopProofChecker({ replay: broken }).check(
      request(await createDpopProof({ key: privateKey, method: 'POST', url: URL_ })),
    );
    expect(r).toMatchObject({ ok: false, status: 503, error: 'temporarily_unavailable' });
  });

  it('refuses bad options with ERR_INVALID_OPTION', () => {
    for (const bad of [
      null,
      1,
      [],
      { replay: {} },
      { algorithms: ['HS256'] },
      { unknown: 1 },
      { maxHeaderLength: -1 },
    ]) {
      try {
        createDpopProofChecker(bad as never);
        expect.unreachable();
      } catch (e) {
        expect(isJotError(e) && e.code).toBe('ERR_INVALID_OPTION');
      }
    }
    expect(createDpopProofChecker({ replay: memoryStore() })).toBeDefined();
  });
});
