// Proof replay across instances: the one-time-use register (insertIfAbsent) of the revocation stores, and two
// servers sharing a real redis-server (and an SQLite file). A replay store that fails answers 503 (fail closed).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDpopProof, dpopThumbprint } from '../../src/http/index.js';
import { memoryStore, type ReplayStore, redisStore, sqliteStore } from '../../src/revocation/index.js';
import { type RedisServer, redisAvailable, startRedis } from '../revocation/_redis.js';
import { DPOP_ALGS, policies, REALM, type World, world } from './_fixtures.js';
import { send } from './_request.js';
import { expressAdapter, fastifyAdapter, honoAdapter, type Running } from './_servers.js';

const ORIGIN = 'https://api.example';
const available = redisAvailable();
let redis: RedisServer | undefined;
let dir: string;
let w: World;
let bound: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'jot-dpop-'));
  w = await world();
  bound = await w.sign({ cnf: { jkt: await dpopThumbprint(w.client.publicKey) } });
  if (available) redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const proof = () =>
  createDpopProof({ key: w.client.privateKey, method: 'GET', url: `${ORIGIN}/dpop`, accessToken: bound });
const headers = (p: string) => ({ authorization: `DPoP ${bound}`, dpop: p });
const USED = `DPoP realm="${REALM}", error="invalid_dpop_proof", error_description="The DPoP proof has been used before", algs="ES256 EdDSA"`;

async function twoInstances(a: ReplayStore, b: ReplayStore): Promise<[Running, Running]> {
  const dpop = (replay: ReplayStore) => ({
    ...policies(w).dpop,
    dpop: { algorithms: DPOP_ALGS, origin: ORIGIN, replay },
  });
  return [
    await expressAdapter({ ...policies(w), dpop: dpop(a) }),
    await fastifyAdapter({ ...policies(w), dpop: dpop(b) }),
  ];
}

describe('insertIfAbsent on every store', () => {
  const cases: [string, () => ReplayStore & { close(): Promise<void> }][] = [
    ['memory', () => memoryStore()],
    ['sqlite', () => sqliteStore({ path: join(dir, `once-${Math.random()}.db`) })],
  ];
  if (available)
    cases.push(['redis', () => redisStore({ url: redis!.url }, { namespace: `t${Math.random()}`.replace('.', '') })]);

  it.each(cases)('%s: first use true, a repeat false, and usable again once expired', async (_n, make) => {
    const store = make();
    try {
      const t = Date.now() / 1000;
      expect(await store.insertIfAbsent('a', t + 0.3, t)).toBe(true);
      expect(await store.insertIfAbsent('a', t + 100, t + 0.1)).toBe(false);
      expect(await store.insertIfAbsent('b', t + 0.3, t)).toBe(true);
      // Redis expires keys on its own clock: wait past the entry's life before asking again.
      await new Promise((r) => setTimeout(r, 500));
      expect(await store.insertIfAbsent('a', t + 100, t + 0.6)).toBe(true);
      // Concurrent callers: exactly one wins.
      const wins = await Promise.all(Array.from({ length: 20 }, () => store.insertIfAbsent('c', t + 100, t)));
      expect(wins.filter((x) => x)).toHaveLength(1);
      await expect(store.insertIfAbsent('', t + 1, t)).rejects.toMatchObject({ code: 'ERR_INVALID_OPTION' });
    } finally {
      await store.close();
    }
  });

  it('sqlite: two stores on one file share the register', async () => {
    const path = join(dir, 'shared.db');
    const a = sqliteStore({ path });
    const b = sqliteStore({ path });
    const t = Date.now() / 1000;
    expect(await a.insertIfAbsent('x', t + 60, t)).toBe(true);
    expect(await b.insertIfAbsent('x', t + 60, t)).toBe(false);
    await a.close();
    await b.close();
  });

  it('memory: a full store refuses (never forgets a live entry)', async () => {
    const store = memoryStore({ maxEntries: 2 });
    const t = Date.now() / 1000;
    expect(await store.insertIfAbsent('1', t + 60, t)).toBe(true);
    expect(await store.insertIfAbsent('2', t + 60, t)).toBe(true);
    await expect(store.insertIfAbsent('3', t + 60, t)).rejects.toMatchObject({ code: 'ERR_LIMIT_EXCEEDED' });
    expect(await store.insertIfAbsent('1', t + 60, t)).toBe(false);
  });
});

describe('a proof replayed on another instance', () => {
  it.runIf(available)('is refused through Redis', async () => {
    const [a, b] = await twoInstances(redisStore({ url: redis!.url }), redisStore({ url: redis!.url }));
    try {
      const p = await proof();
      expect((await send(a.origin, 'GET', '/dpop', headers(p))).status).toBe(200);
      const replay = await send(b.origin, 'GET', '/dpop', headers(p));
      expect(replay.status).toBe(401);
      expect(replay.headers['www-authenticate']).toBe(USED);
      expect((await send(b.origin, 'GET', '/dpop', headers(await proof()))).status).toBe(200);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('is refused through a shared SQLite file', async () => {
    const path = join(dir, 'replay.db');
    const [a, b] = await twoInstances(sqliteStore({ path }), sqliteStore({ path }));
    try {
      const p = await proof();
      expect((await send(b.origin, 'GET', '/dpop', headers(p))).status).toBe(200);
      expect((await send(a.origin, 'GET', '/dpop', headers(p))).headers['www-authenticate']).toBe(USED);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it.runIf(available)('fails closed (503) when the replay store is unreachable', async () => {
    const down = await startRedis();
    const store = redisStore({ url: down.url }, { commandTimeout: 1, connectTimeout: 1 });
    await store.ready();
    const s = await honoAdapter({
      ...policies(w),
      dpop: { ...policies(w).dpop, dpop: { origin: ORIGIN, replay: store } },
    });
    try {
      await down.kill();
      const a = await send(s.origin, 'GET', '/dpop', headers(await proof()));
      expect(a.status).toBe(503);
      expect(JSON.parse(a.body)).toEqual({
        error: 'temporarily_unavailable',
        error_description: 'Authentication is temporarily unavailable',
      });
    } finally {
      await s.close();
      await store.close().catch(() => {});
      await down.stop();
    }
  });
});
