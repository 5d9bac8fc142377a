// Redis going away: lookups fail closed (or open when configured) with the right code, and the
// store recovers after a restart without losing a revocation that revoke() acknowledged.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRevocationList, type RevocationList, redisStore } from '../../src/revocation/index.js';
import { type RedisServer, redisAvailable, startRedis } from './_redis.js';
import { eventually } from './_suite.js';

const available = redisAvailable();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function unavailable(list: RevocationList): boolean {
  try {
    list.isRevokedSync({ jti: 'probe' });
    return false;
  } catch (e) {
    return (e as { code?: string }).code === 'ERR_REVOCATION_STORE_UNAVAILABLE';
  }
}

describe.skipIf(!available)('redisStore when Redis fails', () => {
  let server: RedisServer;
  const lists: RevocationList[] = [];
  const make = (ns: string, failOpen = false) => {
    const options = { namespace: ns, heartbeatInterval: 0.2, maxStaleness: 1, commandTimeout: 0.5 };
    const list = createRevocationList({ store: redisStore({ url: server.url }, options), failOpen });
    lists.push(list);
    return list;
  };
  beforeAll(async () => {
    server = await startRedis();
  });
  afterAll(async () => {
    await Promise.all(lists.map((l) => l.close()));
    await server?.stop();
  });

  it('fails closed (or open) while redis-server is killed, then recovers with no acknowledged revocation lost', async () => {
    const strict = make('kill');
    const lenient = make('kill', true);
    await Promise.all([strict.ready(), lenient.ready()]);
    const exp = Date.now() / 1000 + 600;
    const acked: string[] = [];
    let failures = 0;
    const reasons = new Set<unknown>();
    let stop = false;
    let n = 0;
    const writer = (async () => {
      while (!stop) {
        const batch = Array.from({ length: 20 }, () => `w${n++}`);
        const results = await Promise.allSettled(batch.map((jti) => strict.revoke({ jti, exp })));
        results.forEach((r, i) => {
          if (r.status === 'fulfilled') acked.push(batch[i]!);
          else {
            reasons.add((r.reason as { code?: unknown }).code);
            failures++;
          }
        });
        if (results.some((r) => r.status === 'rejected')) await sleep(20);
      }
    })();
    await sleep(300);
    await server.kill('SIGKILL');
    const killedAt = performance.now();
    expect(await eventually(() => unavailable(strict), 5000)).toBe(true);
    console.log(`failed closed ${(performance.now() - killedAt).toFixed(1)} ms after SIGKILL`);
    await expect(strict.isRevoked({ jti: acked[0] })).rejects.toMatchObject({
      code: 'ERR_REVOCATION_STORE_UNAVAILABLE',
    });
    // Each list notices on its own connection: wait for the lenient one too.
    expect(await eventually(() => !lenient.isRevokedSync({ jti: acked[0] }), 5000)).toBe(true);
    expect(await lenient.isRevoked({ jti: acked[0] })).toBe(false);
    await sleep(300);

    await server.restart();
    // The lenient list never throws: it has recovered once it answers "revoked" again.
    const recovered = () => !unavailable(strict) && lenient.isRevokedSync({ jti: acked[0] });
    expect(await eventually(recovered, 10_000)).toBe(true);
    await sleep(200);
    stop = true;
    await writer;
    expect(failures).toBeGreaterThan(0);
    expect([...reasons]).toEqual(['ERR_REVOCATION_STORE_UNAVAILABLE']);
    expect(acked.length).toBeGreaterThan(100);

    const fresh = make('kill');
    await fresh.ready();
    const lost = acked.filter((jti) => !fresh.isRevokedSync({ jti }));
    expect(lost).toEqual([]);
    expect(acked.filter((jti) => !strict.isRevokedSync({ jti }))).toEqual([]);
    expect(acked.filter((jti) => !lenient.isRevokedSync({ jti }))).toEqual([]);
    console.log(`${acked.length} acknowledged revocations, ${failures} refused during the outage, none lost`);
  });

  it('fails closed within maxStaleness when Redis stops answering without closing connections', async () => {
    const list = make('stopped');
    await list.ready();
    await list.revoke({ jti: 'x', exp: Date.now() / 1000 + 600 });
    server.signal('SIGSTOP');
    const stoppedAt = performance.now();
    try {
      expect(await eventually(() => unavailable(list), 3000)).toBe(true);
      const after = performance.now() - stoppedAt;
      console.log(`failed closed ${after.toFixed(1)} ms after SIGSTOP (maxStaleness 1000 ms)`);
      expect(after).toBeLessThan(1000 + 200 + 100);
    } finally {
      server.signal('SIGCONT');
    }
    expect(await eventually(() => !unavailable(list), 5000)).toBe(true);
    expect(list.isRevokedSync({ jti: 'x' })).toBe(true);
  });
});
