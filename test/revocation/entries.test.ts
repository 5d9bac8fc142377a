// entries(): every built-in store lists its unexpired entries a page at a time; the arguments are checked at the call;
// a SQLite listing holds no transaction between pages; a Redis listing uses SCAN/HSCAN (never KEYS/HGETALL) and never
// loads the store's cache; on a Cluster too.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type RevocationEntry,
  type RevocationStore,
  memoryStore,
  redisStore,
  sqliteStore,
} from '../../src/revocation/index.js';
import { type RedisCluster, type RedisServer, redisAvailable, redisCli, startCluster, startRedis } from './_redis.js';

const NOW = 1_800_000_000;
const dir = mkdtempSync(join(tmpdir(), 'jot-entries-'));
const available = redisAvailable();
let server: RedisServer | undefined;
let cluster: RedisCluster | undefined;
beforeAll(async () => {
  if (available) [server, cluster] = await Promise.all([startRedis(), startCluster()]);
}, 120_000);
afterAll(async () => {
  await Promise.all([server?.stop(), cluster?.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

type Store = RevocationStore & Required<Pick<RevocationStore, 'entries' | 'addKid'>>;
let n = 0;
const kinds: [string, () => Store][] = [
  ['memory', () => memoryStore()],
  ['sqlite', () => sqliteStore({ path: join(dir, `s${++n}.db`) })],
  ...(available
    ? ([
        ['redis', () => redisStore({ url: server!.url }, { namespace: `e${++n}` })],
        ['redis cluster', () => redisStore({ rootNodes: cluster!.urls }, { namespace: `c${++n}` })],
      ] as [string, () => Store][])
    : []),
];

async function all(it: AsyncIterable<RevocationEntry>): Promise<RevocationEntry[]> {
  const out: RevocationEntry[] = [];
  for await (const e of it) out.push(e);
  return out;
}
const id = (e: RevocationEntry) => (e.kind === 'jti' ? e.jti : e.kind === 'sub' ? e.sub : e.kid);

/** 250 live and 50 expired jtis, 30 live and 10 expired subjects, 3 live and 1 expired keys. */
async function fill(store: Store): Promise<void> {
  const t = NOW - 100;
  await Promise.all(Array.from({ length: 300 }, (_, i) => store.addJti(`j${i}`, i < 250 ? NOW + 60 + i : NOW - 1, t)));
  for (let i = 0; i < 40; i++) await store.setSubjectCutoff(`s${i}`, NOW - 10, i < 30 ? NOW + 600 : NOW - 5, t);
  for (let i = 0; i < 4; i++) await store.addKid(`k${i}`, i < 3 ? NOW + 3600 : NOW - 1, t);
}

describe.each(kinds)('entries() on the %s store', (kind, create) => {
  it('lists each unexpired entry, kind by kind, with its values, in pages of pageSize', async () => {
    const store = create();
    try {
      await fill(store);
      const listed = await all(store.entries(NOW, { pageSize: 7 }));
      // SCAN may return a key twice: count distinct ids, and never an expired or foreign one.
      const distinct = new Map(listed.map((e) => [`${e.kind}:${id(e)}`, e]));
      if (!kind.startsWith('redis')) expect(listed).toHaveLength(distinct.size);
      expect(distinct.size).toBe(250 + 30 + 3);
      const order = listed.map((e) => e.kind).filter((k, i, a) => a[i - 1] !== k);
      expect(order).toEqual(['jti', 'sub', 'kid']);
      expect(distinct.get('jti:j7')).toEqual({ kind: 'jti', jti: 'j7', expiresAt: NOW + 67 });
      expect(distinct.get('sub:s3')).toEqual({ kind: 'sub', sub: 's3', cutoff: NOW - 10, expiresAt: NOW + 600 });
      expect(distinct.get('kid:k2')).toEqual({ kind: 'kid', kid: 'k2', expiresAt: NOW + 3600 });
      expect(distinct.has('jti:j260')).toBe(false);
      expect(distinct.has('sub:s35')).toBe(false);
      // Only the kinds asked for, in the order asked; an early break ends the listing.
      const subsFirst = await all(store.entries(NOW, { kinds: ['kid', 'sub'] }));
      expect(new Set(subsFirst.map((e) => e.kind))).toEqual(new Set(['kid', 'sub']));
      expect(subsFirst[0]!.kind).toBe('kid');
      let seen = 0;
      for await (const _ of store.entries(NOW, { pageSize: 1 })) if (++seen === 3) break;
      expect(seen).toBe(3);
    } finally {
      await store.close();
    }
  });

  it('checks its arguments when called, and fails with the store unavailable once closed', async () => {
    const store = create();
    const bad: unknown[][] = [
      [Number.NaN],
      ['now'],
      [NOW, { pageSize: 1001 }],
      [NOW, { pageSize: 0 }],
      [NOW, { pageSize: 1.5 }],
      [NOW, { kinds: [] }],
      [NOW, { kinds: ['jti', 'jti'] }],
      [NOW, { kinds: ['__proto__'] }],
      [NOW, { kinds: 'jti' }],
      [NOW, { limit: 10 }],
      [NOW, []],
    ];
    for (const args of bad) {
      expect(() => (store.entries as (...a: unknown[]) => unknown)(...args), JSON.stringify(args)).toThrow(
        expect.objectContaining({ code: 'ERR_INVALID_OPTION' }),
      );
    }
    await store.addJti('x', NOW + 60, NOW);
    const listing = store.entries(NOW, { pageSize: 1 });
    await store.close();
    await expect(listing.next()).rejects.toMatchObject({ code: 'ERR_REVOCATION_STORE_UNAVAILABLE' });
    expect(() => store.entries(NOW)).toThrow(expect.objectContaining({ code: 'ERR_REVOCATION_STORE_UNAVAILABLE' }));
  });
});

describe('a SQLite listing', () => {
  it('holds no transaction between pages: another process writes and checkpoints while it is paused', async () => {
    const path = join(dir, 'paused.db');
    const store = sqliteStore({ path });
    const other = sqliteStore({ path, busyTimeout: 50 });
    const raw = new Database(path, { timeout: 50 });
    try {
      await fill(store);
      const listing = store.entries(NOW, { pageSize: 10 });
      expect((await listing.next()).done).toBe(false); // a page read, the listing paused inside it
      await other.addJti('meanwhile', NOW + 60, NOW);
      // A checkpoint that must wait for readers: busy (1) if the listing held a read transaction open.
      expect(raw.pragma('wal_checkpoint(TRUNCATE)')).toMatchObject([{ busy: 0 }]);
      let rest = 0;
      for await (const _ of listing) rest++;
      expect(rest).toBe(250 + 30 + 3); // all but the first, and 'meanwhile' (written later, listed after the j...)
    } finally {
      raw.close();
      await other.close();
      await store.close();
    }
  });
});

describe.skipIf(!available)('a Redis listing', () => {
  it('uses SCAN and HSCAN, never KEYS or HGETALL, and never loads the cache', async () => {
    const store = redisStore({ url: server!.url }, { namespace: 'stats' });
    const writer = redisStore({ url: server!.url }, { namespace: 'stats' });
    try {
      await fill(writer);
      await redisCli(server!.port, 'CONFIG', 'RESETSTAT');
      expect((await all(store.entries(NOW, { pageSize: 50 }))).length).toBeGreaterThanOrEqual(283);
      const stats = await redisCli(server!.port, 'INFO', 'commandstats');
      expect(stats).toMatch(/cmdstat_scan:/);
      expect(stats).toMatch(/cmdstat_hscan:/);
      expect(stats).not.toMatch(/cmdstat_(keys|hgetall|subscribe):/);
      expect(store.cacheSize).toBe(0);
      expect(await redisCli(server!.port, 'PUBSUB', 'NUMSUB', '{stats}:revocations')).toBe('{stats}:revocations\n1\n');
    } finally {
      await store.close();
      await writer.close();
    }
  });
});
