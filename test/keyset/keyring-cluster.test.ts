// The Redis key ring store on a real three-node Redis Cluster: the same behaviour as on a single node (publish,
// rotate, retire; fencing and the lock; concurrent writers; another process sees a rotation), with every key of a
// ring in one hash slot.
import { randomBytes } from 'node:crypto';
import { createCluster } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeyRing, createLocalJwkSet, verifyJwt } from '../../src/index.js';
import { type KeyRingStore, redisKeyRingStore } from '../../src/keyring/index.js';
import { type RedisCluster, redisAvailable, redisCli, startCluster } from '../revocation/_redis.js';
import { eventually } from '../revocation/_suite.js';
import { distEntry } from '../helpers/dist.js';
import { ask, expectFencingAndLock, type RingState, ringChild } from './_ring.js';
import { HAND_SCHEDULE, manualClock } from './_server.js';

const available = redisAvailable();
const KEY = randomBytes(32);
const MIN = 60_000;
const DAY = 86_400_000;
let cluster: RedisCluster;
const ringIndex = distEntry('keyring');
let n = 0;
const fresh = (prefix: string) => `${prefix}${++n}${Math.random().toString(36).slice(2, 8)}`;

describe.skipIf(!available)('the Redis key ring store on a three-node Redis Cluster', () => {
  beforeAll(async () => {
    cluster = await startCluster();
  }, 120_000);
  afterAll(async () => {
    await cluster?.stop();
  });

  const store = (namespace: string): KeyRingStore =>
    redisKeyRingStore({ rootNodes: cluster.urls }, { namespace, name: 'signing' });
  const ring = (namespace: string, clock: ReturnType<typeof manualClock>) =>
    createKeyRing({
      alg: 'ES256',
      encryptionKey: KEY,
      store: store(namespace),
      ...HAND_SCHEDULE,
      now: clock.now,
    });

  it('keeps the ring and its lock in one hash slot, on one node', async () => {
    const ns = fresh('slot');
    const s = store(ns);
    try {
      expect(await s.save('doc', 0)).toBe(true);
      const release = await s.lock!(60_000);
      expect(release).toBeDefined();
      const counts = await Promise.all(
        cluster.nodes.map(
          async (node) => (await redisCli(node.port, '--scan', '--pattern', `{${ns}}:*`)).split('\n').length - 1,
        ),
      );
      expect(counts.sort((a, b) => a - b)).toEqual([0, 0, 2]);
      await release!();
    } finally {
      await s.close();
    }
  });

  it('publishes, rotates and retires on the same schedule as on a single node; a restart loads the same keys', async () => {
    const ns = fresh('schedule');
    const clock = manualClock();
    const r = ring(ns, clock);
    try {
      await r.ready();
      const first = r.keys()[0]!.kid;
      clock.advance(DAY - 20 * MIN - 1);
      expect(await r.maintain()).toBe(false);
      clock.advance(1);
      expect(await r.maintain()).toBe(true);
      const next = r.keys()[1]!;
      expect(r.keys().map((k) => k.state)).toEqual(['current', 'next']);
      const before = await r.sign({ sub: 'before' });
      clock.advance(20 * MIN);
      const after = await r.sign({ sub: 'after' });
      const set = createLocalJwkSet(r.jwks());
      expect((await verifyJwt(before, set, { algorithms: ['ES256'] })).key.kid).toBe(first);
      expect((await verifyJwt(after, set, { algorithms: ['ES256'] })).key.kid).toBe(next.kid);
      expect(r.keys().map((k) => k.state)).toEqual(['retired', 'current']);
      clock.advance(2 * 3_600_000);
      expect(await r.maintain()).toBe(true);
      expect(r.keys().map((k) => k.kid)).toEqual([next.kid]);
      const again = ring(ns, clock);
      try {
        await again.ready();
        expect(again.keys()).toEqual(r.keys());
      } finally {
        await again.close();
      }
    } finally {
      await r.close();
    }
  });

  it('fences a stale writer; the lock has one holder until it expires, and only its owner releases it', async () => {
    const ns = fresh('fence');
    const [s1, s2] = [store(ns), store(ns)];
    try {
      await expectFencingAndLock(s1, s2);
    } finally {
      await s1.close();
      await s2.close();
    }
  });

  it('concurrent writers lose no write: ten of them append with compare-and-set until each wrote five times', async () => {
    const ns = fresh('race');
    const stores = Array.from({ length: 10 }, () => store(ns));
    try {
      const first = await Promise.all(stores.map((s, i) => s.save(`w${i}`, 0)));
      expect(first.filter(Boolean)).toHaveLength(1);
      await Promise.all(
        stores.map(async (s, i) => {
          for (let k = 0; k < 5; k++) {
            for (;;) {
              const cur = (await s.load())!;
              if (await s.save(`${cur.data} w${i}.${k}`, cur.version)) break;
            }
          }
        }),
      );
      const final = (await stores[0]!.load())!;
      expect(final.version).toBe(51);
      const writes = final.data.split(' ').slice(1);
      expect(writes).toHaveLength(50);
      expect(new Set(writes).size).toBe(50);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });

  it('five rings due for rotation at once: exactly one writes, and every ring ends with the same keys', async () => {
    const ns = fresh('rotate');
    const clock = manualClock();
    const rings = Array.from({ length: 5 }, () => ring(ns, clock));
    try {
      await Promise.all(rings.map((r) => r.ready()));
      const kids = rings[0]!.keys().map((k) => k.kid);
      for (const r of rings) expect(r.keys().map((k) => k.kid)).toEqual(kids);
      clock.advance(DAY - 20 * MIN);
      const wrote = await Promise.all(rings.map((r) => r.maintain()));
      expect(wrote.filter(Boolean)).toHaveLength(1);
      await Promise.all(rings.map((r) => r.reload()));
      const keys = rings[0]!.keys();
      expect(keys.map((k) => k.state)).toEqual(['current', 'next']);
      for (const r of rings) expect(r.keys()).toEqual(keys);
    } finally {
      await Promise.all(rings.map((r) => r.close()));
    }
  });

  it('another process sees a rotation through the change channel, whichever node carries its subscription', async () => {
    const ns = fresh('fleet');
    const where = cluster.urls.join(',');
    const a = ringChild(ringIndex, 'cluster', where, ns, KEY);
    const b = ringChild(ringIndex, 'cluster', where, ns, KEY);
    try {
      await Promise.all([ask(a, 'ready'), ask(b, 'ready')]);
      const [sa, sb] = [await ask<RingState>(a, 'state'), await ask<RingState>(b, 'state')];
      expect(sa.keys).toEqual(sb.keys);
      expect(sa.saves + sb.saves).toBe(1);
      // Only `a` is told the time has come: `b` (no polling, checkEvery 0) learns of the new key from the channel.
      await ask(a, `advance ${DAY - 20 * MIN}`);
      expect(await ask<boolean>(a, 'maintain')).toBe(true);
      const deadline = Date.now() + 5000;
      let seen: RingState;
      do seen = await ask<RingState>(b, 'state');
      while (seen.keys.length < 2 && Date.now() < deadline);
      expect(seen.keys).toEqual((await ask<RingState>(a, 'state')).keys);
      expect(seen.keys.map((k) => k.state)).toEqual(['current', 'next']);
    } finally {
      await a.kill();
      await b.kill();
    }
  });

  it('uses a node-redis cluster client it is given and leaves it open', async () => {
    const client = createCluster({ rootNodes: cluster.urls.map((url) => ({ url })) });
    client.on('error', () => {});
    const ns = fresh('given');
    const given = redisKeyRingStore({ client }, { namespace: ns });
    const own = redisKeyRingStore({ rootNodes: cluster.urls }, { namespace: ns });
    let changed = 0;
    own.watch!(() => changed++);
    try {
      await own.load(); // subscribed
      expect(await given.save('x', 0)).toBe(true);
      expect(await own.load()).toEqual({ version: 1, data: 'x' });
      expect(await eventually(() => changed > 0, 2000)).toBe(true);
    } finally {
      await given.close();
      await own.close();
    }
    expect(client.isOpen).toBe(true);
    await client.close();
  });
});
