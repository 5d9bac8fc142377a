// A verifier's cache never outlives the key (issue 10, class 2; A53, E03): with a key resolver, a cached token is a
// hit only while the resolver still answers the very key that verified it. A key removed from the set ends its
// tokens' hits at once; another key under the same kid makes the token be verified afresh; a fixed key is unchanged.
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { JotError } from '../../src/errors.js';
import { createVerifier, signJwt } from '../../src/jwt/index.js';
import { importKey, type JWK, type Key } from '../../src/key/index.js';
import { createLocalJwkSet } from '../../src/keyset/index.js';
import { at, expectCode, NOW } from '../helpers/index.js';
import { callVerifier } from '../helpers/runtime.js';

const counts = vi.hoisted(() => ({ verify: 0, aesCbcDecrypt: 0 }));
vi.mock('#crypto/sig', async (original) =>
  (await import('../helpers/backend.js')).countingSig(await original(), counts),
);
const signatureChecks = (): number => counts.verify;

function pair(kid: string) {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const pub = { ...(publicKey.export({ format: 'jwk' }) as JWK), kid, alg: 'ES256' } as JWK;
  return { privateKey, pub };
}

async function setup(async: boolean) {
  const a = pair('k1');
  const b = pair('k2');
  const signer = await importKey(a.privateKey, { alg: 'ES256', kid: 'k1' });
  let set = createLocalJwkSet({ keys: [a.pub, b.pub] });
  let calls = 0;
  const resolver = (h: Record<string, unknown>) => {
    calls++;
    return async ? Promise.resolve().then(() => set(h)) : set(h);
  };
  const verifier = createVerifier({
    key: resolver,
    algorithms: ['ES256'],
    allowAnyAudience: true,
    currentDate: at(NOW),
    cache: {},
  });
  const token = await signJwt({ sub: 'u', exp: NOW + 600 }, signer, { kid: 'k1', currentDate: at(NOW) });
  return {
    a,
    b,
    verifier,
    token,
    calls: () => calls,
    setKeys: (keys: JWK[]) => {
      set = createLocalJwkSet({ keys });
    },
  };
}

describe.each([
  ['verify', false],
  ['verify', true],
  ['verifySync', false],
] as const)('cache and key resolver (%s, async resolver: %s)', (method, async) => {
  it('a hit asks the resolver and does no signature work while it answers the same key', async () => {
    const { verifier, token, calls } = await setup(async);
    const before = signatureChecks();
    const first = await callVerifier(verifier, method, token);
    const second = await callVerifier(verifier, method, token);
    const third = await callVerifier(verifier, method, token);
    expect(signatureChecks() - before).toBe(1);
    expect(calls()).toBe(3);
    expect(second.key).toBe(first.key);
    expect(third.payload.sub).toBe('u');
  });

  it('a key removed from the set ends the hits of its tokens at once', async () => {
    const { verifier, token, setKeys, b } = await setup(async);
    await callVerifier(verifier, method, token);
    await callVerifier(verifier, method, token);
    setKeys([b.pub]);
    await expectCode(() => callVerifier(verifier, method, token), 'ERR_JWKS_NO_MATCHING_KEY');
    await expectCode(() => callVerifier(verifier, method, token), 'ERR_JWKS_NO_MATCHING_KEY');
  });

  it('another key under the same kid: the token is verified afresh (and fails), never served from the cache', async () => {
    const { verifier, token, setKeys } = await setup(async);
    await callVerifier(verifier, method, token);
    const impostor = pair('k1');
    setKeys([impostor.pub]);
    await expectCode(() => callVerifier(verifier, method, token), 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED');
  });

  it('the same key re-imported (a refreshed set): verified afresh, then cached again with the new key', async () => {
    const { verifier, token, setKeys, a } = await setup(async);
    const first = await callVerifier(verifier, method, token);
    setKeys([a.pub]);
    const before = signatureChecks();
    const second = await callVerifier(verifier, method, token);
    expect(signatureChecks() - before).toBe(1);
    expect(second.key).not.toBe(first.key);
    await callVerifier(verifier, method, token);
    expect(signatureChecks() - before).toBe(1);
  });

  it('a resolver that throws on a hit: its error (or ERR_JWKS_NO_MATCHING_KEY), and the entry is gone', async () => {
    let mode: 'ok' | 'plain' | 'jot' = 'ok';
    const p = pair('k1');
    const key = await importKey(p.privateKey, { alg: 'ES256' });
    const pubOfKey = await importKey(p.pub);
    const resolver = (): Key | Promise<Key> => {
      if (mode === 'plain') throw new TypeError('boom');
      if (mode === 'jot') throw new JotError('ERR_JWKS_FETCH_FAILED', 'down');
      return async ? Promise.resolve(pubOfKey) : pubOfKey;
    };
    const verifier = createVerifier({ key: resolver, algorithms: ['ES256'], currentDate: at(NOW), cache: {} });
    const token = await signJwt({ exp: NOW + 60 }, key, { currentDate: at(NOW) });
    await callVerifier(verifier, method, token);
    mode = 'plain';
    await expectCode(() => callVerifier(verifier, method, token), 'ERR_JWKS_NO_MATCHING_KEY');
    mode = 'jot';
    await expectCode(() => callVerifier(verifier, method, token), 'ERR_JWKS_FETCH_FAILED');
    mode = 'ok';
    const before = signatureChecks();
    await callVerifier(verifier, method, token);
    expect(signatureChecks() - before).toBe(1); // the entry was dropped
  });
});

describe('cache and key resolver: the edges', () => {
  it('verifySync on a hit with a resolver that now answers a promise: ERR_JOSE_NOT_SUPPORTED, no hit', async () => {
    const { privateKey, pub } = pair('k1');
    const signer = await importKey(privateKey, { alg: 'ES256' });
    const key = await importKey(pub);
    let asPromise = false;
    const verifier = createVerifier({
      key: () => (asPromise ? Promise.resolve(key) : key),
      algorithms: ['ES256'],
      currentDate: at(NOW),
      cache: {},
    });
    const token = await signJwt({ exp: NOW + 60 }, signer, { currentDate: at(NOW) });
    await callVerifier(verifier, 'verifySync', token);
    asPromise = true;
    await expectCode(() => verifier.verifySync(token), 'ERR_JOSE_NOT_SUPPORTED');
    expect((await verifier.verify(token)).key).toBe(key);
  });

  it('a fixed key: hits as before, no resolver involved', async () => {
    const { privateKey, pub } = pair('k1');
    const signer = await importKey(privateKey, { alg: 'ES256' });
    const key = await importKey(pub);
    const verifier = createVerifier({ key, algorithms: ['ES256'], currentDate: at(NOW), cache: {} });
    const token = await signJwt({ exp: NOW + 60 }, signer, { currentDate: at(NOW) });
    const before = signatureChecks();
    for (let i = 0; i < 5; i++) expect((await callVerifier(verifier, 'verifySync', token)).key).toBe(key);
    for (let i = 0; i < 5; i++) expect((await verifier.verify(token)).key).toBe(key);
    expect(signatureChecks() - before).toBe(1);
  });
});
