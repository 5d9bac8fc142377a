// The opt-in verified-token cache of createVerifier (A44, A53): bounded by the token and a TTL, per verifier, and
// re-checking claim times and revocation on every hit. Hits are observed through a counting crypto backend (a hit
// does no signature work); the key resolver is asked on every hit (test/jwt/cache-resolver.test.ts).
import { describe, expect, it, vi } from 'vitest';
import { createVerifier, signJwt } from '../../src/jwt/index.js';
import type { RevocationChecker } from '../../src/jwt/types.js';
import type { Key } from '../../src/key/index.js';
import { at, expectCode, hsKey, NOW } from '../helpers/index.js';
import { callVerifier } from '../helpers/runtime.js';

const ISS = 'https://idp.example';

const counts = vi.hoisted(() => ({ verify: 0, aesCbcDecrypt: 0 }));
vi.mock('#crypto/sig', async (original) =>
  (await import('../helpers/backend.js')).countingSig(await original(), counts),
);
const signatureChecks = (): number => counts.verify;

async function setup(cache: object = {}, extra: object = {}) {
  const key = await hsKey();
  const clock = at(NOW);
  const start = signatureChecks();
  const resolver = (): Key => key;
  const verifier = createVerifier({
    key: resolver,
    algorithms: ['HS256'],
    issuer: ISS,
    audience: 'api',
    currentDate: clock,
    cache,
    ...extra,
  });
  const sign = (claims: object = {}) =>
    signJwt({ iss: ISS, aud: 'api', sub: 'u', jti: 'j', ...claims }, key, { currentDate: at(NOW) });
  return { key, clock, verifier, sign, misses: () => signatureChecks() - start };
}

const setTime = (d: Date, seconds: number) => d.setTime(seconds * 1000);

describe.each(['verify', 'verifySync'] as const)('verified-token cache (%s)', (method) => {
  it('a hit skips signature work', async () => {
    const { verifier, sign, misses } = await setup();
    const t = await sign({ exp: NOW + 60 });
    await callVerifier(verifier, method, t);
    await callVerifier(verifier, method, t);
    await callVerifier(verifier, method, t);
    expect(misses()).toBe(1);
  });

  it('a cached entry expires with the token (and its tolerance)', async () => {
    const { verifier, sign, clock } = await setup({}, { clockTolerance: 30 });
    const t = await sign({ exp: NOW + 60 });
    expect((await callVerifier(verifier, method, t)).payload.exp).toBe(NOW + 60);
    setTime(clock, NOW + 89);
    expect((await callVerifier(verifier, method, t)).payload.exp).toBe(NOW + 60);
    setTime(clock, NOW + 90);
    await expectCode(() => callVerifier(verifier, method, t), 'ERR_JWT_EXPIRED', { claim: 'exp', reason: 'expired' });
    setTime(clock, NOW + 10);
    const { verifier: strict, sign: s2, clock: c2 } = await setup();
    const t2 = await s2({ exp: NOW + 60 });
    await callVerifier(strict, method, t2);
    setTime(c2, NOW + 60);
    await expectCode(() => callVerifier(strict, method, t2), 'ERR_JWT_EXPIRED');
  });

  it('the TTL caps an entry; a fresh verification follows', async () => {
    const { verifier, sign, clock, misses } = await setup({ ttl: '10s' });
    const t = await sign({ exp: NOW + 3600 });
    await callVerifier(verifier, method, t);
    setTime(clock, NOW + 9);
    await callVerifier(verifier, method, t);
    expect(misses()).toBe(1);
    setTime(clock, NOW + 10);
    await callVerifier(verifier, method, t);
    expect(misses()).toBe(2);
  });

  it('nbf is re-checked on a hit (a clock moved back)', async () => {
    const { verifier, sign, clock } = await setup();
    const t = await sign({ nbf: NOW, exp: NOW + 60 });
    await callVerifier(verifier, method, t);
    setTime(clock, NOW - 1);
    await expectCode(() => callVerifier(verifier, method, t), 'ERR_JWT_CLAIM_VALIDATION_FAILED', { claim: 'nbf' });
  });

  it('a token revoked after it was cached is rejected on the hit; revocation is consulted every time', async () => {
    const revoked = new Set<string>();
    let calls = 0;
    const check = (c: Readonly<Record<string, unknown>>) => {
      calls++;
      return revoked.has(c.jti as string);
    };
    const revocation: RevocationChecker = { isRevoked: async (c) => check(c), isRevokedSync: check };
    const { verifier, sign, misses } = await setup({}, { revocation });
    const t = await sign({ exp: NOW + 60 });
    await callVerifier(verifier, method, t);
    await callVerifier(verifier, method, t);
    expect(misses()).toBe(1);
    expect(calls).toBe(2);
    revoked.add('j');
    await expectCode(() => callVerifier(verifier, method, t), 'ERR_JWT_REVOKED');
    expect(misses()).toBe(1);
    await expectCode(() => callVerifier(verifier, method, t), 'ERR_JWT_REVOKED');
  });

  it('failures are never cached: a not-yet-valid token verifies once its time comes', async () => {
    const { verifier, sign, clock, misses } = await setup();
    const t = await sign({ nbf: NOW + 10, exp: NOW + 60 });
    await expectCode(() => callVerifier(verifier, method, t), 'ERR_JWT_CLAIM_VALIDATION_FAILED', { claim: 'nbf' });
    await expectCode(() => callVerifier(verifier, method, t), 'ERR_JWT_CLAIM_VALIDATION_FAILED', { claim: 'nbf' });
    expect(misses()).toBe(2);
    setTime(clock, NOW + 10);
    expect((await callVerifier(verifier, method, t)).payload.nbf).toBe(NOW + 10);
    const bad = `${t.slice(0, -3)}AAA`;
    await expectCode(() => callVerifier(verifier, method, bad), 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED');
    await expectCode(() => callVerifier(verifier, method, bad), 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED');
  });

  it('tokens never share an entry; results are fresh objects', async () => {
    const { verifier, sign } = await setup();
    const alice = await sign({ sub: 'alice', exp: NOW + 60 });
    const bob = await sign({ sub: 'bob', exp: NOW + 60 });
    expect((await callVerifier(verifier, method, alice)).payload.sub).toBe('alice');
    expect((await callVerifier(verifier, method, bob)).payload.sub).toBe('bob');
    const r = await callVerifier(verifier, method, alice);
    (r.payload as Record<string, unknown>).sub = 'mallory';
    expect((await callVerifier(verifier, method, alice)).payload.sub).toBe('alice');
  });

  it('the cache belongs to one verifier: another policy never sees its entries', async () => {
    const key = await hsKey();
    const t = await signJwt({ iss: ISS, aud: 'a', exp: NOW + 60 }, key, { currentDate: at(NOW) });
    const common = { key, issuer: ISS, currentDate: at(NOW), cache: {} };
    const forA = createVerifier({ ...common, audience: 'a' });
    const forB = createVerifier({ ...common, audience: 'b' });
    await callVerifier(forA, method, t);
    await expectCode(() => callVerifier(forB, method, t), 'ERR_JWT_CLAIM_VALIDATION_FAILED', { claim: 'aud' });
  });

  it('least recently used entries are evicted at max', async () => {
    const { verifier, sign, misses } = await setup({ max: 2 });
    const [t1, t2, t3] = await Promise.all([1, 2, 3].map((n) => sign({ n, exp: NOW + 60 })));
    await callVerifier(verifier, method, t1!);
    await callVerifier(verifier, method, t2!);
    await callVerifier(verifier, method, t1!); // hit: t1 becomes most recent
    await callVerifier(verifier, method, t3!); // evicts t2
    expect(misses()).toBe(3);
    await callVerifier(verifier, method, t1!);
    expect(misses()).toBe(3);
    await callVerifier(verifier, method, t2!);
    expect(misses()).toBe(4);
  });

  it('very long tokens are verified but not cached', async () => {
    const { verifier, sign, misses } = await setup();
    const t = await sign({ pad: 'x'.repeat(9000), exp: NOW + 60 });
    await callVerifier(verifier, method, t);
    await callVerifier(verifier, method, t);
    expect(misses()).toBe(2);
  });
});

describe('cache options', () => {
  it('are guard-railed when the verifier is built', async () => {
    const key = await hsKey();
    for (const cache of [
      { max: 0 },
      { max: 1.5 },
      { max: 2e6 },
      { ttl: 0 },
      { ttl: 'forever' },
      { ttl: '2d' },
      { x: 1 },
      'yes',
      [],
    ]) {
      await expectCode(() => createVerifier({ key, cache } as never), 'ERR_INVALID_OPTION');
    }
  });
});
