import { request } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import {
  createKeyRing,
  createLocalJwkSet,
  createRemoteJwkSet,
  decodeUnverified,
  generateSecret,
  jwkThumbprint,
  memoryKeyRingStore,
  verifyJwt,
} from '../../src/index.js';
import { createRevocationList } from '../../src/revocation/index.js';
import { HAND_SCHEDULE, manualClock } from './_server.js';

const MIN = 60_000;
const DAY = 86_400_000;

function ring(clock = manualClock(), extra: Record<string, unknown> = {}) {
  return createKeyRing({
    alg: 'ES256',
    ...HAND_SCHEDULE,
    now: clock.now,
    ...extra,
  });
}
const kidOf = (t: string) => decodeUnverified(t).header.kid;

describe('createKeyRing', () => {
  it('signs with a thumbprint kid and publishes only public keys', async () => {
    const r = ring();
    await r.ready();
    const token = await r.sign({ sub: 'u' });
    const [info] = r.keys();
    expect(info).toMatchObject({ alg: 'ES256', state: 'current' });
    expect(kidOf(token)).toBe(info!.kid);
    const jwks = r.jwks();
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).not.toHaveProperty('d');
    expect(await jwkThumbprint(jwks.keys[0]!)).toBe(info!.kid);
    expect((await verifyJwt(token, createLocalJwkSet(jwks), { algorithms: ['ES256'] })).key.kid).toBe(info!.kid);
  });

  it('publishes the next key at least publishAhead before signing with it; retires old keys after the grace', async () => {
    const clock = manualClock();
    const r = ring(clock);
    await r.ready();
    const first = r.keys()[0]!.kid;
    expect(r.maxAge()).toBe(600);
    clock.advance(DAY - 20 * MIN - 1);
    expect(await r.maintain()).toBe(false);
    clock.advance(1);
    expect(await r.maintain()).toBe(true);
    const [cur, next] = r.keys();
    expect(cur).toMatchObject({ kid: first, state: 'current' });
    expect(next).toMatchObject({ state: 'next', activatesAt: cur!.activatesAt + DAY });
    expect(kidOf(await r.sign({}))).toBe(first);
    // A token signed just before the rotation verifies after it, against the published set.
    const before = await r.sign({ sub: 'before' });
    clock.advance(20 * MIN);
    const after = await r.sign({ sub: 'after' });
    expect(kidOf(after)).toBe(next!.kid);
    const set = createLocalJwkSet(r.jwks());
    expect((await verifyJwt(before, set, { algorithms: ['ES256'] })).key.kid).toBe(first);
    expect((await verifyJwt(after, set, { algorithms: ['ES256'] })).key.kid).toBe(next!.kid);
    expect(r.keys().map((k) => k.state)).toEqual(['retired', 'current']);
    clock.advance(2 * 3_600_000);
    await r.maintain();
    expect(r.keys().map((k) => k.kid)).toEqual([next!.kid]);
  });

  it('Cache-Control shrinks when a key is due and not yet published', async () => {
    const clock = manualClock();
    const r = ring(clock);
    await r.ready();
    clock.advance(DAY - 5 * MIN); // maintenance late: the next key is due in 5 minutes
    expect(r.maxAge()).toBe(300);
    await r.maintain();
    expect(r.maxAge()).toBe(600);
  });

  it('serves the JWKS over node:http with Cache-Control, ETag and 304, consumed by a remote set', async () => {
    const r = ring();
    await r.ready();
    const server = createServer(r.handler());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`;
    try {
      const res = await fetch(url);
      expect(res.headers.get('cache-control')).toBe('public, max-age=600');
      expect(res.headers.get('content-type')).toBe('application/jwk-set+json');
      const etag = res.headers.get('etag')!;
      expect(await res.json()).toEqual(r.jwks());
      expect((await fetch(url, { headers: { 'if-none-match': etag } })).status).toBe(304);
      expect((await fetch(url, { method: 'POST' })).status).toBe(405);
      const head = await new Promise<number>((resolve) =>
        request(url, { method: 'HEAD' }, (x) => resolve(x.statusCode!)).end(),
      );
      expect(head).toBe(200);
      const notReady = createServer(ring(manualClock()).handler());
      await new Promise<void>((resolve) => notReady.listen(0, '127.0.0.1', resolve));
      const res503 = await fetch(`http://127.0.0.1:${(notReady.address() as AddressInfo).port}/`);
      expect(res503.status).toBe(503);
      await new Promise((resolve) => notReady.close(resolve));
      const remote = createRemoteJwkSet(url, { allowHttp: true });
      expect((await verifyJwt(await r.sign({}), remote, { algorithms: ['ES256'] })).key.kid).toBe(r.keys()[0]!.kid);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('revokeKey: stops signing and publishing at once, rotates immediately, records the kid', async () => {
    const clock = manualClock();
    const revocation = createRevocationList();
    const r = ring(clock, { revocation });
    await r.ready();
    const leaked = r.keys()[0]!.kid;
    const old = await r.sign({ sub: 'u' });
    await r.revokeKey(leaked);
    const fresh = await r.sign({ sub: 'u' });
    expect(kidOf(fresh)).not.toBe(leaked);
    expect(r.jwks().keys.map((k) => k.kid)).toEqual([kidOf(fresh)]);
    expect(await revocation.isKeyRevoked(leaked)).toBe(true);
    const set = createLocalJwkSet(r.jwks());
    await expect(verifyJwt(old, set, { algorithms: ['ES256'] })).rejects.toMatchObject({
      code: 'ERR_JWKS_NO_MATCHING_KEY',
    });
    await expect(verifyJwt(fresh, set, { algorithms: ['ES256'], revocation })).resolves.toBeDefined();
    await revocation.close();
  });

  it('revokeKey promotes a published next key, which verifiers already hold', async () => {
    const clock = manualClock();
    const r = ring(clock);
    await r.ready();
    await r.rotate();
    const [cur, next] = r.keys();
    expect(next!.state).toBe('next');
    await r.revokeKey(cur!.kid);
    expect(r.keys()).toMatchObject([{ kid: next!.kid, state: 'current' }]);
    expect(kidOf(await r.sign({}))).toBe(next!.kid);
  });

  it('rotate() publishes a next key ahead; signer() follows the current key', async () => {
    const clock = manualClock();
    const r = ring(clock, { signer: { issuer: 'https://idp.example', expiresIn: '5m' } });
    await r.ready();
    const signer = r.signer();
    const first = kidOf(signer.signSync({}));
    await r.rotate();
    await r.rotate(); // no-op while one is pending
    expect(r.keys().map((k) => k.state)).toEqual(['current', 'next']);
    clock.advance(20 * MIN);
    const t = signer.signSync({ sub: 'x' });
    expect(kidOf(t)).not.toBe(first);
    expect(decodeUnverified(t).payload).toMatchObject({ iss: 'https://idp.example' });
  });

  it('validates options: asymmetric alg, schedule bounds, clear text only on request', async () => {
    const bad: Record<string, unknown>[] = [
      { alg: 'HS256' },
      { alg: 'nope' },
      { alg: 'ES256', maxAge: '10m', publishAhead: '5m' },
      { alg: 'ES256', rotateEvery: '10m', publishAhead: '20m' },
      { alg: 'ES256', signer: { kid: 'x' } },
      { alg: 'ES256', retireAfter: '1h', signer: { expiresIn: '2h' } },
      { alg: 'ES256', unknown: 1 },
      { alg: 'ES256', store: { persistent: true, load() {}, save() {}, close() {} } },
      { alg: 'ES256', passphrase: 'short' },
      { alg: 'ES256', encryptionKey: new Uint8Array(16) },
      { alg: 'ES256', encryptionKey: new Uint8Array(32), insecurePlaintext: true },
    ];
    for (const o of bad)
      expect(() => createKeyRing(o as never), JSON.stringify(o)).toThrow(
        expect.objectContaining({ code: 'ERR_INVALID_OPTION' }),
      );
    expect(() =>
      createKeyRing({ alg: 'ES256', encryptionKey: new Uint8Array(32), store: memoryKeyRingStore() }),
    ).not.toThrow();
    expect(() => createKeyRing({ alg: 'EdDSA', encryptionKey: generateSecret('A256GCMKW') as never })).toThrow();
  });
});
