// The web entry's key ring (src/keyset/keyring-web.ts): the same ring as Node's without the node:http handler. Run by
// both projects; in the `web` project every key generation, signature, thumbprint and seal goes through WebCrypto.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { decodeUnverified, type JWKS, type JwtSigner, verifyJwt } from '../../src/index.js';
import { createLocalJwkSet } from '../../src/keyset/local.js';
import { createKeyRing } from '../../src/keyset/keyring-web.js';
import type { KeyRingStore, StoredKeyRing } from '../../src/keyset/keyring-store.js';
import { syncOrRefused } from '../helpers/runtime.js';
import { HAND_SCHEDULE, manualClock } from './_server.js';

const MIN = 60_000;
const kidOf = (t: string) => decodeUnverified(t).header.kid as string;
const verify = (token: string, jwks: JWKS) => verifyJwt(token, createLocalJwkSet(jwks), { algorithms: ['ES256'] });

/** A persistent store in a variable: what a Worker would keep in its KV or Durable Object storage. */
function sharedStore(): KeyRingStore & { doc: StoredKeyRing | undefined } {
  const s = {
    persistent: true,
    doc: undefined as StoredKeyRing | undefined,
    load: async () => s.doc,
    async save(data: string, expected: number) {
      if ((s.doc?.version ?? 0) !== expected) return false;
      s.doc = { data, version: expected + 1 };
      return true;
    },
    close: async () => {},
  };
  return s;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('createKeyRing (web entry)', () => {
  it('signs with a thumbprint kid, publishes public keys only, and has no node:http handler', async () => {
    const ring = createKeyRing({ alg: 'ES256', checkEvery: 0, signer: { issuer: 'https://idp.example' } });
    await ring.ready();
    const token = await ring.sign({ sub: 'u' });
    const [info] = ring.keys();
    expect(kidOf(token)).toBe(info!.kid);
    expect(ring.jwks().keys).toHaveLength(1);
    expect(ring.jwks().keys[0]).not.toHaveProperty('d');
    const { payload, key } = await verify(token, ring.jwks());
    expect(payload).toMatchObject({ sub: 'u', iss: 'https://idp.example' });
    expect(key.kid).toBe(info!.kid);
    expect(ring).not.toHaveProperty('handler');
    expect(ring.maxAge()).toBeGreaterThan(0);
    // Typed without signSync (WebCrypto signs asynchronously), but a JavaScript caller still finds it: it signs on
    // node:crypto and throws ERR_JOSE_NOT_SUPPORTED on WebCrypto.
    const signer = ring.signer() as JwtSigner;
    const t = await syncOrRefused(
      () => signer.signSync({ sub: 's' }),
      () => signer.sign({ sub: 's' }),
    );
    expect(kidOf(t)).toBe(info!.kid);
    await ring.close();
  });

  it('rotates on schedule and revokes a key at once', async () => {
    const clock = manualClock();
    const ring = createKeyRing({
      alg: 'ES256',
      ...HAND_SCHEDULE,
      now: clock.now,
    });
    await ring.ready();
    const first = ring.keys()[0]!.kid;
    await ring.rotate();
    expect(ring.keys().map((k) => k.state)).toEqual(['current', 'next']);
    clock.advance(20 * MIN);
    const second = kidOf(await ring.sign({}));
    expect(second).not.toBe(first);
    await ring.revokeKey(second);
    const third = kidOf(await ring.sign({}));
    expect(third).not.toBe(second);
    expect(ring.jwks().keys.map((k) => k.kid)).not.toContain(second);
    await ring.close();
  });

  it('seals the ring at rest (passphrase: PBES2; encryptionKey: A256GCMKW); a second instance opens it', async () => {
    for (const seal of [
      { passphrase: 'correct horse battery staple' },
      { encryptionKey: crypto.getRandomValues(new Uint8Array(32)) },
    ]) {
      const store = sharedStore();
      const a = createKeyRing({ alg: 'ES256', checkEvery: 0, store, ...seal });
      await a.ready();
      expect(store.doc!.data).not.toContain('"d"');
      expect(store.doc!.data.split('.')).toHaveLength(5); // a compact JWE
      const b = createKeyRing({ alg: 'ES256', checkEvery: 0, store, ...seal });
      await b.ready();
      const token = await a.sign({ sub: 'a' });
      expect((await verify(token, b.jwks())).payload).toMatchObject({ sub: 'a' });
      expect(b.keys()).toEqual(a.keys());
      // An edited document is refused.
      const parts = store.doc!.data.split('.');
      parts[3] = `${parts[3]!.slice(0, -2)}${parts[3]!.endsWith('AA') ? 'BA' : 'AA'}`;
      store.doc = { data: parts.join('.'), version: store.doc!.version + 1 };
      await expect(b.reload()).rejects.toMatchObject({ code: 'ERR_KEY_INVALID' });
      await a.close();
      await b.close();
    }
  });

  it('a persistent store without a seal, and bad options, are ERR_INVALID_OPTION', () => {
    for (const o of [{ alg: 'ES256', store: sharedStore() }, { alg: 'HS256' }, { alg: 'ES256', passphrase: 'x' }]) {
      expect(() => createKeyRing(o as never)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTION' }));
    }
    expect(() => createKeyRing(null as never)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTION' }));
  });

  it('runs its maintenance timer where setInterval returns a number (browsers, workers, Deno)', async () => {
    const ids: number[] = [];
    const cleared: unknown[] = [];
    vi.stubGlobal('setInterval', (_f: () => void, _ms: number) => ids.push(ids.length + 41) + 40);
    vi.stubGlobal('clearInterval', (id: unknown) => cleared.push(id));
    const ring = createKeyRing({ alg: 'ES256', checkEvery: '1s' });
    await ring.ready(); // a timer without unref() is fine
    expect(ids).toEqual([41]);
    await ring.close();
    expect(cleared).toEqual([41]);
  });
});
