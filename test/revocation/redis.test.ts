import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRevocationList, redisStore } from '../../src/revocation/index.js';
import { distEntry } from '../helpers/dist.js';
import { crossProcessLatencies, runListChild } from './_child.js';
import { type RedisServer, redisAvailable, redisCli, startRedis } from './_redis.js';
import { behaviourSuite } from './_suite.js';
import { expectPropagation } from '../helpers/timing.js';

const available = redisAvailable();

describe.skipIf(!available)('redisStore (standalone)', () => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await startRedis();
  });
  afterAll(async () => {
    await server?.stop();
  });

  behaviourSuite({
    name: 'redis',
    create: (key) => redisStore({ url: server.url }, { namespace: key }),
    shared: true,
    runs: 50,
  });

  it('stores one key per jti with a TTL to its expiry, and cut-offs in one hash', async () => {
    const list = createRevocationList({ store: redisStore({ url: server.url }, { namespace: 'layout' }) });
    const exp = Math.floor(Date.now() / 1000) + 100;
    await list.revoke({ jti: 'j:1{x}', exp });
    await list.revokeSubject('s1', { issuedBefore: exp - 110 });
    expect(await redisCli(server.port, 'get', '{layout}:jti:j:1{x}')).toBe(`${exp}\n`);
    const pttl = Number(await redisCli(server.port, 'pttl', '{layout}:jti:j:1{x}'));
    expect(pttl).toBeGreaterThan(95_000);
    expect(pttl).toBeLessThanOrEqual(100_000);
    expect(await redisCli(server.port, 'hget', '{layout}:sub', 's1')).toBe(`${exp - 110} ${exp - 110 + 2_592_000}\n`);
    await list.close();
  });

  it('uses a node-redis client it is given, opening it if needed and never closing it', async () => {
    const client = createClient({ url: server.url });
    client.on('error', () => {});
    const list = createRevocationList({ store: redisStore({ client }, { namespace: 'given' }) });
    await list.ready();
    expect(client.isOpen).toBe(true);
    await list.revoke({ jti: 'g', exp: Date.now() / 1000 + 60 });
    expect(list.isRevokedSync({ jti: 'g' })).toBe(true);
    await list.close();
    expect(client.isReady).toBe(true);
    expect(await client.get('{given}:jti:g')).not.toBeNull();
    await client.close();
  });

  it('refuses to acknowledge writes the server would not fsync, unless told to trust it', async () => {
    await redisCli(server.port, 'config', 'set', 'appendfsync', 'everysec');
    try {
      const strict = createRevocationList({ store: redisStore({ url: server.url }, { namespace: 'fsync' }) });
      await expect(strict.revoke({ jti: 'a', exp: Date.now() / 1000 + 60 })).rejects.toMatchObject({
        code: 'ERR_REVOCATION_STORE_UNAVAILABLE',
      });
      await strict.close();
      const trusting = redisStore({ url: server.url }, { namespace: 'fsync', durability: 'server' });
      const list = createRevocationList({ store: trusting });
      await list.revoke({ jti: 'a', exp: Date.now() / 1000 + 60 });
      await list.close();
    } finally {
      await redisCli(server.port, 'config', 'set', 'appendfsync', 'always');
    }
  });

  it('validates its target and options', () => {
    const invalid = expect.objectContaining({ code: 'ERR_INVALID_OPTION' });
    const targets = [undefined, {}, { url: 1 }, { rootNodes: [] }, { url: 'redis://x', client: {} }, { client: 'x' }];
    for (const target of targets) expect(() => redisStore(target as never)).toThrow(invalid);
    const options = [
      { namespace: 'a b' },
      { namespace: '' },
      { durability: 'maybe' },
      { commandTimeout: -1 },
      { heartbeatInterval: 2, maxStaleness: 1 },
    ];
    for (const o of options) expect(() => redisStore({ url: server.url }, o as never)).toThrow(invalid);
  });

  describe('two processes sharing one Redis', () => {
    const index = distEntry('revocation');

    it('see each other’s revocations within 100 ms', async () => {
      const ns = 'twoproc';
      const child = runListChild(index, { kind: 'redis', url: server.url, namespace: ns });
      const list = createRevocationList({ store: redisStore({ url: server.url }, { namespace: ns }) });
      try {
        await list.ready();
        const latencies = await crossProcessLatencies(list, child);
        const max = Math.max(...latencies);
        console.log(`cross-process propagation: max ${max.toFixed(2)} ms over ${latencies.length} revocations`);
        expectPropagation(latencies, 100);
      } finally {
        await child.kill();
        await list.close();
      }
    });
  });
});
