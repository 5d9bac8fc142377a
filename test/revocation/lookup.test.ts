// The built-in stores' one-call synchronous lookup (src/revocation/lookup.ts): the same answers as the lookups one by
// one, one freshness check, the clock read only for an existing entry, and failing closed like the separate lookups.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  createRevocationList,
  memoryStore,
  type RevocationList,
  redisStore,
  type SqliteStore,
  sqliteStore,
} from '../../src/revocation/index.js';
import { LOOKUP_SYNC, type LookupTable, tableLookup } from '../../src/revocation/lookup.js';
import { SqliteMirror } from '../../src/revocation/sqlite-mirror.js';
import { RevocationTable } from '../../src/revocation/table.js';
import { type RedisServer, redisAvailable, startRedis } from './_redis.js';

function counted(now: number, table: LookupTable) {
  const n = { clock: 0, check: 0 };
  return {
    n,
    clock: () => {
      n.clock++;
      return now;
    },
    /** The table, counting the freshness checks. */
    open: () => {
      n.check++;
      return table;
    },
  };
}

describe('tableLookup', () => {
  const table = new RevocationTable();
  table.addJti('revoked', 200);
  table.addJti('expired', 50);
  table.setSubject('cut', 120, 200);
  table.setSubject('gone', 120, 50);

  it('answers a token with an absent jti and subject without reading the clock, after one check', () => {
    const c = counted(100, table);
    expect(tableLookup(c.open, { jti: 'live', sub: 'nobody' }, c.clock)).toBeUndefined();
    expect(c.n).toEqual({ clock: 0, check: 1 });
  });

  it('finds a revoked jti (one clock read) and a subject cut-off, and forgets expired entries', () => {
    let c = counted(100, table);
    expect(tableLookup(c.open, { jti: 'revoked', sub: 'cut' }, c.clock)).toBe(true);
    expect(c.n).toEqual({ clock: 1, check: 1 });
    c = counted(100, table);
    expect(tableLookup(c.open, { jti: 'live', sub: 'cut' }, c.clock)).toBe(120);
    expect(c.n).toEqual({ clock: 1, check: 1 });
    c = counted(100, table);
    expect(tableLookup(c.open, { jti: 'expired', sub: 'gone' }, c.clock)).toBeUndefined();
    expect(c.n).toEqual({ clock: 2, check: 1 });
    expect(table.jtis.has('expired')).toBe(false);
    expect(table.subjects.has('gone')).toBe(false);
  });

  it('checks freshness only when it looks something up, as the separate lookups do', () => {
    let c = counted(100, table);
    expect(tableLookup(c.open, { jti: 7, sub: ['x'] }, c.clock)).toBeUndefined();
    expect(c.n).toEqual({ clock: 0, check: 0 });
    c = counted(100, table);
    expect(tableLookup(c.open, { sub: 'cut' }, c.clock)).toBe(120);
    expect(c.n).toEqual({ clock: 1, check: 1 });
  });

  it('fails closed: a failing check throws before any answer, even for a revoked jti', () => {
    const down = () => {
      throw new Error('stale');
    };
    expect(() => tableLookup(down, { jti: 'revoked' }, () => 100)).toThrow('stale');
    expect(() => tableLookup(down, { sub: 'cut' }, () => 100)).toThrow('stale');
  });
});

describe('createRevocationList with a store offering the one-call lookup', () => {
  it('guards it like every store method: a TypeError from it is ERR_INVALID_OPTION, never "not revoked"', () => {
    const m = memoryStore();
    const store = {
      addJti: m.addJti.bind(m),
      hasJti: m.hasJti.bind(m),
      hasJtiSync: m.hasJtiSync.bind(m),
      setSubjectCutoff: m.setSubjectCutoff.bind(m),
      getSubjectCutoff: m.getSubjectCutoff.bind(m),
      getSubjectCutoffSync: m.getSubjectCutoffSync.bind(m),
      purge: m.purge.bind(m),
      close: m.close.bind(m),
      [LOOKUP_SYNC]: () => {
        throw new TypeError('broken');
      },
    };
    const list = createRevocationList({ store });
    expect(() => list.isRevokedSync({ jti: 'a' })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTION' }));
    // A custom clock takes the lookups one by one (the clock is read, and validated, first).
    const timed = createRevocationList({ store, clock: () => 100 });
    expect(timed.isRevokedSync({ jti: 'a' })).toBe(false);
  });
});

/**
 * Revokes a few entries through `list` (over `store`), then checks that isRevokedSync (the one-call lookup for a
 * token without a kid) answers as the store's lookups one by one, stops finding an entry once it expired, and fails
 * closed once the list is closed.
 */
async function expectOneCallAnswers(
  store: Pick<SqliteStore, 'hasKidSync' | 'hasJtiSync' | 'getSubjectCutoffSync'>,
  list: RevocationList,
): Promise<void> {
  const now = Date.now() / 1000;
  await list.revoke({ jti: 'r1', exp: now + 60 });
  await list.revoke({ jti: 'brief', exp: now + 0.3 });
  await list.revokeSubject('s1', { issuedBefore: Math.floor(now) - 10 });
  await list.revokeKey('k1');
  const cases: [Record<string, unknown>, Record<string, unknown> | undefined][] = [
    [{ jti: 'r1' }, undefined],
    [{ jti: 'live', sub: 's1', iat: Math.floor(now) - 20 }, undefined],
    [{ jti: 'live', sub: 's1', iat: Math.floor(now) }, undefined],
    [{ jti: 'live', sub: 's1' }, undefined],
    [{ jti: 'live', sub: 's2' }, undefined],
    [{ sub: 's1', iat: Math.floor(now) - 20 }, undefined],
    [{ jti: 'live' }, { kid: 'k1' }],
    [{ jti: 'r1' }, { kid: 'k2' }],
    [{}, undefined],
  ];
  const expected = [true, true, false, true, false, true, true, true, false];
  const t = Date.now() / 1000;
  const oneByOne = ([claims, header]: (typeof cases)[number]) =>
    (header?.kid !== undefined && store.hasKidSync(header.kid as string, t)) ||
    (typeof claims.jti === 'string' && store.hasJtiSync(claims.jti, t)) ||
    (typeof claims.sub === 'string' &&
      ((cutoff) => cutoff !== undefined && !(typeof claims.iat === 'number' && claims.iat >= cutoff))(
        store.getSubjectCutoffSync(claims.sub, t),
      ));
  expect(cases.map(oneByOne)).toEqual(expected);
  expect(cases.map(([claims, header]) => list.isRevokedSync(claims, header))).toEqual(expected);
  expect(list.isRevokedSync({ jti: 'brief' })).toBe(true);
  while (Date.now() / 1000 <= now + 0.3) await new Promise((r) => setTimeout(r, 50));
  expect(list.isRevokedSync({ jti: 'brief' })).toBe(false);
  await list.close();
  for (const claims of [{ jti: 'live' }, { sub: 's2' }, { jti: 'r1' }]) {
    expect(() => list.isRevokedSync(claims)).toThrow(
      expect.objectContaining({ code: 'ERR_REVOCATION_STORE_UNAVAILABLE' }),
    );
  }
  expect(list.isRevokedSync({})).toBe(false); // nothing to look up, as before
}

describe.skipIf(!redisAvailable())('redisStore: isRevokedSync in one call', () => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await startRedis();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('answers as the lookups one by one, forgets what expired, and fails closed once closed', async () => {
    const store = redisStore({ url: server.url }, { namespace: 'onecall' });
    const list = createRevocationList({ store });
    await list.ready();
    await expectOneCallAnswers(store, list);
  });
});

describe('sqliteStore: isRevokedSync in one call', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jot-lookup-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  afterEach(() => {
    vi.restoreAllMocks();
  });

  // The copy, no copy at all (mirrorLimit 0), and a list larger than the copy may hold (read from the file).
  for (const [name, options] of [
    ['from the in-process copy', {}],
    ['from the file (mirrorLimit 0)', { mirrorLimit: 0 }],
    ['from the file (a list past mirrorLimit)', { mirrorLimit: 2 }],
  ] as const) {
    it(`answers as the lookups one by one, ${name}, and fails closed once closed`, async () => {
      const store = sqliteStore({
        path: join(dir, `answers-${Object.keys(options).length}-${name.length}.db`),
        ...options,
      });
      expect(typeof (store as unknown as Record<symbol, unknown>)[LOOKUP_SYNC]).toBe('function');
      await expectOneCallAnswers(store, createRevocationList({ store }));
    });
  }

  it('checks the copy’s freshness once per token, and reads the clock only for an entry it holds', async () => {
    const list = createRevocationList({ store: sqliteStore({ path: join(dir, 'counted.db') }) });
    await list.revoke({ jti: 'r', exp: Date.now() / 1000 + 60 });
    const active = vi.spyOn(SqliteMirror.prototype, 'active');
    const now = vi.spyOn(Date, 'now');
    expect(list.isRevokedSync({ jti: 'live', sub: 'nobody', iat: 1 })).toBe(false);
    expect([active.mock.calls.length, now.mock.calls.length]).toEqual([1, 0]);
    expect(list.isRevokedSync({ jti: 'r', sub: 'nobody' })).toBe(true);
    expect([active.mock.calls.length, now.mock.calls.length]).toEqual([2, 1]);
    // With a kid, the lookups one by one (three freshness checks); a token with nothing to look up, none.
    expect(list.isRevokedSync({ jti: 'live', sub: 'nobody' }, { kid: 'k' })).toBe(false);
    expect(list.isRevokedSync({ jti: 7 })).toBe(false);
    expect(active.mock.calls.length).toBe(5);
    await list.close();
  });

  it('fails closed when the copy cannot be refreshed or the file cannot be read', async () => {
    const refresh = join(dir, 'refresh.db');
    const list = createRevocationList({ store: sqliteStore({ path: refresh, maxStaleness: 0 }) });
    const file = join(dir, 'file.db');
    const direct = createRevocationList({ store: sqliteStore({ path: file, mirrorLimit: 0 }) });
    // failOpen applies to these as to any unavailable store (and only then).
    const reported: unknown[] = [];
    const open = createRevocationList({
      store: sqliteStore({ path: file, mirrorLimit: 0 }),
      failOpen: true,
      onFailOpen: (e) => reported.push(e),
    });
    const raw = new Database(refresh);
    raw.exec('DROP TABLE jot_revocation_log');
    raw.close();
    const rawFile = new Database(file);
    rawFile.exec('DROP TABLE jot_revocation_jti; DROP TABLE jot_revocation_sub');
    rawFile.close();
    for (const claims of [{ jti: 'a' }, { sub: 'b' }, { jti: 'a', sub: 'b' }]) {
      for (const l of [list, direct]) {
        expect(() => l.isRevokedSync(claims)).toThrow(
          expect.objectContaining({ code: 'ERR_REVOCATION_STORE_UNAVAILABLE' }),
        );
      }
    }
    expect(open.isRevokedSync({ jti: 'a' })).toBe(false);
    expect(reported).toEqual([expect.objectContaining({ code: 'ERR_REVOCATION_STORE_UNAVAILABLE' })]);
    await Promise.all([list.close(), direct.close(), open.close()]);
  });
});
