// revokeKey / isKeyRevoked on every store, consulted by verifyJwt and createVerifier (cache hits included).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVerifier, generateKeyPair, signJwt, verifyJwt } from '../../src/index.js';
import {
  createRevocationList,
  memoryStore,
  type RevocationStore,
  redisStore,
  sqliteStore,
} from '../../src/revocation/index.js';
import { distEntry } from '../helpers/dist.js';
import { runListChild, wallMs } from './_child.js';
import { type RedisServer, redisAvailable, startRedis } from './_redis.js';
import { expectPropagation } from '../helpers/timing.js';

const available = redisAvailable();
let server: RedisServer | undefined;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'jot-keys-'));
  if (available) server = await startRedis();
});
afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const stores: [string, () => RevocationStore][] = [
  ['memory', () => memoryStore()],
  ['sqlite', () => sqliteStore({ path: join(dir, `${Math.random()}.db`) })],
  ...(available
    ? [['redis', () => redisStore({ url: server!.url }, { namespace: `k${Math.random()}` })] as const]
    : []),
] as [string, () => RevocationStore][];

describe.each(stores)('revokeKey on the %s store', (_name, create) => {
  it('refuses every token naming the kid, on fresh verifications and cache hits, sync and async', async () => {
    const list = createRevocationList({ store: create() });
    await list.ready();
    try {
      const { privateKey, publicKey } = await generateKeyPair('ES256', { kid: 'leaked' });
      const other = await generateKeyPair('ES256', { kid: 'fine' });
      const token = await signJwt({ sub: 'u', exp: Math.floor(Date.now() / 1000) + 600 }, privateKey);
      const fine = await signJwt({ sub: 'u' }, other.privateKey);
      const verifier = createVerifier({ key: publicKey, revocation: list, cache: { max: 10 } });
      await verifier.verify(token); // cached now
      expect(verifier.verifySync(token).payload.sub).toBe('u');
      expect(await list.isKeyRevoked('leaked')).toBe(false);

      await list.revokeKey('leaked');
      expect(await list.isKeyRevoked('leaked')).toBe(true);
      expect(list.isKeyRevokedSync('leaked')).toBe(true);
      expect(list.isKeyRevokedSync('fine')).toBe(false);
      await expect(verifier.verify(token)).rejects.toMatchObject({ code: 'ERR_JWT_REVOKED' });
      expect(() => verifier.verifySync(token)).toThrow(expect.objectContaining({ code: 'ERR_JWT_REVOKED' }));
      await expect(verifyJwt(token, publicKey, { revocation: list })).rejects.toMatchObject({
        code: 'ERR_JWT_REVOKED',
      });
      await expect(verifyJwt(fine, other.publicKey, { revocation: list })).resolves.toBeDefined();
      // The claims alone (no header) never name a key.
      expect(await list.isRevoked({ sub: 'u' })).toBe(false);
      expect(await list.isRevoked({ sub: 'u' }, { kid: 'leaked' })).toBe(true);
      expect(list.isRevokedSync({ sub: 'u' }, { kid: 'leaked' })).toBe(true);
      for (const header of [{ kid: 1 }, { kid: '' }, null, { kid: 'x'.repeat(2000) }]) {
        expect(await list.isRevoked({ sub: 'u' }, header as never)).toBe(false);
      }
      // A past `until` stores nothing; bad values are refused.
      await list.revokeKey('old', { until: new Date(Date.now() - 1000) });
      expect(await list.isKeyRevoked('old')).toBe(false);
      for (const bad of ['', 5, 'x'.repeat(1025)]) {
        await expect(list.revokeKey(bad as never)).rejects.toMatchObject({ code: 'ERR_INVALID_OPTION' });
      }
      await expect(list.revokeKey('k', { until: Number.NaN })).rejects.toMatchObject({ code: 'ERR_INVALID_OPTION' });
    } finally {
      await list.close();
    }
  });

  it('expires a key revocation at `until` and purges it', async () => {
    let now = 1_800_000_000;
    const list = createRevocationList({ store: create(), clock: () => now, purgeInterval: 0, keyRetention: 100 });
    await list.ready();
    try {
      await list.revokeKey('a');
      await list.revokeKey('b', { until: now + 1000 });
      now += 101;
      expect(await list.isKeyRevoked('a')).toBe(false);
      expect(await list.isKeyRevoked('b')).toBe(true);
      await list.purge();
      expect(await list.isKeyRevoked('b')).toBe(true);
    } finally {
      await list.close();
    }
  });
});

it('a store without the kid methods cannot revoke keys and never reports one revoked', async () => {
  const base = memoryStore();
  const { addKid: _a, hasKid: _b, hasKidSync: _c, ...store } = base;
  const list = createRevocationList({ store: store as RevocationStore });
  await expect(list.revokeKey('k')).rejects.toMatchObject({ code: 'ERR_INVALID_OPTION' });
  expect(await list.isKeyRevoked('k')).toBe(false);
  expect(list.isRevokedSync({ sub: 'x' }, { kid: 'k' })).toBe(false);
  await list.close();
});

describe.skipIf(!available)('revokeKey across processes (Redis)', () => {
  const index = distEntry('revocation');

  it('another process refuses a revoked kid within 100 ms', async () => {
    const ns = 'kidproc';
    const child = runListChild(index, { kind: 'redis', url: server!.url, namespace: ns });
    const list = createRevocationList({ store: redisStore({ url: server!.url }, { namespace: ns }) });
    try {
      await list.ready();
      await child.line('ready');
      const latencies: number[] = [];
      for (let i = 0; i < 10; i++) {
        child.send(`watchkid k${i}`);
        await child.line(`watching k${i}`);
        await list.revokeKey(`k${i}`);
        const revokedAt = wallMs();
        const seenAt = Number((await child.line(`seen k${i} `)).split(' ')[2]);
        latencies.push(seenAt - revokedAt);
      }
      const max = Math.max(...latencies);
      console.log(`kid revocation propagation: max ${max.toFixed(2)} ms over ${latencies.length}`);
      expectPropagation(latencies, 100);
    } finally {
      await child.kill();
      await list.close();
    }
  });
});
