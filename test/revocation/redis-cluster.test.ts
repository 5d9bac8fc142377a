import { createCluster } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRevocationList, redisStore } from '../../src/revocation/index.js';
import { type RedisCluster, redisAvailable, redisCli, startCluster } from './_redis.js';
import { behaviourSuite, eventually } from './_suite.js';

const available = redisAvailable();

describe.skipIf(!available)('redisStore on a three-node Redis Cluster', () => {
  let cluster: RedisCluster;
  beforeAll(async () => {
    cluster = await startCluster();
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  behaviourSuite({
    name: 'redis cluster',
    create: (key) => redisStore({ rootNodes: cluster.urls }, { namespace: key }),
    shared: true,
    runs: 30,
  });

  it('keeps a namespace in one hash slot, so its multi-key scripts are legal', async () => {
    const list = createRevocationList({ store: redisStore({ rootNodes: cluster.urls }, { namespace: 'slot' }) });
    const exp = Date.now() / 1000 + 60;
    await Promise.all(Array.from({ length: 300 }, (_, i) => list.revoke({ jti: `j${i}`, exp })));
    await list.revokeSubject('s');
    const counts = await Promise.all(
      cluster.nodes.map(
        async (n) => (await redisCli(n.port, '--scan', '--pattern', '{slot}:*')).split('\n').length - 1,
      ),
    );
    expect(counts.sort((a, b) => a - b)).toEqual([0, 0, 301]);
    await list.close();
  });

  it('fails closed when the node carrying the subscription dies, and recovers when it is back', async () => {
    const options = { namespace: 'nodekill', heartbeatInterval: 0.2, maxStaleness: 1, commandTimeout: 0.5 };
    const list = createRevocationList({ store: redisStore({ rootNodes: cluster.urls }, options) });
    await list.ready();
    await list.revoke({ jti: 'before', exp: Date.now() / 1000 + 600 });
    const channels = await Promise.all(cluster.nodes.map((n) => redisCli(n.port, 'pubsub', 'channels')));
    const node = cluster.nodes[channels.findIndex((c) => c.includes('{nodekill}:revocations'))]!;
    await node.kill('SIGKILL');
    const probe = () => {
      try {
        list.isRevokedSync({ jti: 'before' });
        return false;
      } catch (e) {
        return (e as { code?: string }).code === 'ERR_REVOCATION_STORE_UNAVAILABLE';
      }
    };
    expect(await eventually(probe, 3000)).toBe(true);
    await node.restart();
    expect(await eventually(() => !probe(), 15_000)).toBe(true);
    expect(list.isRevokedSync({ jti: 'before' })).toBe(true);
    await list.close();
  });

  it('uses a node-redis cluster client it is given, and shares it between processes’ worth of stores', async () => {
    const client = createCluster({ rootNodes: cluster.urls.map((url) => ({ url })) });
    client.on('error', () => {});
    const a = createRevocationList({ store: redisStore({ client }, { namespace: 'given' }) });
    const b = createRevocationList({ store: redisStore({ rootNodes: cluster.urls }, { namespace: 'given' }) });
    await Promise.all([a.ready(), b.ready()]);
    await a.revoke({ jti: 'g', exp: Date.now() / 1000 + 60 });
    expect(await eventually(() => b.isRevokedSync({ jti: 'g' }), 100)).toBe(true);
    await b.revokeSubject('u');
    expect(await eventually(() => a.isRevokedSync({ sub: 'u', iat: 1 }), 100)).toBe(true);
    await Promise.all([a.close(), b.close()]);
    expect(client.isOpen).toBe(true);
    await client.close();
  });
});
