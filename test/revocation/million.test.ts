// 1,000,000 revocations of short-lived tokens leave every store small once they expired: the purge
// is asserted on size (entries, rows, file bytes, keys), and the times are printed, not asserted.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createRevocationList,
  memoryStore,
  type RevocationList,
  redisStore,
  sqliteStore,
} from '../../src/revocation/index.js';
import { redisAvailable, redisCli, startRedis } from './_redis.js';

const N = 1_000_000;
const CHUNK = 10_000;
const available = redisAvailable();
/** Per test: a million writes on a 2-core machine running other test files too. */
const TIMEOUT = 180_000;

/** Revokes N distinct jtis, CHUNK concurrent revoke() calls at a time (each chunk is one group commit). */
async function revokeMillion(list: RevocationList, exp: () => number): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < N; i += CHUNK) {
    const e = exp();
    await Promise.all(Array.from({ length: CHUNK }, (_, j) => list.revoke({ jti: `tok-${i + j}`, exp: e })));
  }
  return (performance.now() - started) / 1000;
}

const report = (store: string, seconds: number, detail: string) =>
  console.log(`1M revocations, ${store}: ${seconds.toFixed(1)} s to revoke; after expiry and purge: ${detail}`);

describe('1,000,000 short-lived revocations', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jot-million-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('memory: no entry left after purge', { timeout: TIMEOUT }, async () => {
    let t = 1_000_000;
    const store = memoryStore({ maxEntries: N });
    const list = createRevocationList({ store, clock: () => t, purgeInterval: 0 });
    const seconds = await revokeMillion(list, () => t + 1);
    expect(store.size).toBe(N);
    expect(list.isRevokedSync({ jti: 'tok-999999' })).toBe(true);
    t += 2;
    await list.purge();
    expect(store.size).toBe(0);
    report('memory', seconds, `${store.size} entries`);
    await list.close();
  });

  it('sqlite: no row left and a small file after purge and checkpoint', { timeout: TIMEOUT }, async () => {
    let t = 1_000_000;
    const path = join(dir, 'million.db');
    const list = createRevocationList({ store: sqliteStore({ path }), clock: () => t, purgeInterval: 0 });
    const seconds = await revokeMillion(list, () => t + 1);
    const db = new Database(path);
    const rows = () => db.prepare('SELECT count(*) FROM jot_revocation_jti').pluck().get() as number;
    const bytes = () => statSync(path).size + statSync(`${path}-wal`).size;
    expect(rows()).toBe(N);
    const peak = bytes();
    t += 2;
    const purgeStarted = performance.now();
    await list.purge();
    const purgeSeconds = (performance.now() - purgeStarted) / 1000;
    db.pragma('wal_checkpoint(TRUNCATE)');
    expect(rows()).toBe(0);
    const after = bytes();
    expect(after).toBeLessThan(256 * 1024);
    report('sqlite', seconds, `0 rows, ${after} bytes (peak ${peak} bytes), purge took ${purgeSeconds.toFixed(1)} s`);
    db.close();
    await list.close();
  });

  it.skipIf(!available)(
    'redis: keys expire by TTL and the local cache is empty after purge',
    { timeout: TIMEOUT },
    async () => {
      const server = await startRedis();
      try {
        const store = redisStore({ url: server.url }, { namespace: 'million' });
        const list = createRevocationList({ store, purgeInterval: 0 });
        await list.ready();
        // Real time (Redis expires keys by its own clock): each chunk's tokens expire 2 s after it.
        const seconds = await revokeMillion(list, () => Date.now() / 1000 + 2);
        expect(store.cacheSize).toBe(N);
        const waitStarted = performance.now();
        let keys = Number.POSITIVE_INFINITY;
        while (performance.now() - waitStarted < 90_000) {
          keys = Number(await redisCli(server.port, 'dbsize'));
          if (keys === 0) break;
          await new Promise((r) => setTimeout(r, 250));
        }
        expect(keys).toBe(0);
        const expirySeconds = (performance.now() - waitStarted) / 1000;
        await list.purge();
        expect(store.cacheSize).toBe(0);
        const memory = (await redisCli(server.port, 'info', 'memory')).match(/used_memory:(\d+)/)?.[1];
        report('redis', seconds, `DBSIZE 0 after ${expirySeconds.toFixed(1)} s, cache 0, used_memory ${memory} bytes`);
        await list.close();
      } finally {
        await server.stop();
      }
    },
  );
});
