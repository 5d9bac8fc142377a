// The built-in stores' one-call synchronous lookup (src/revocation/lookup.ts): the same answers as the lookups one by
// one, one freshness check, the clock read only for an existing entry, and failing closed like the separate lookups.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRevocationList, memoryStore, redisStore } from '../../src/revocation/index.js';
import { LOOKUP_SYNC, tableLookup } from '../../src/revocation/lookup.js';
import { RevocationTable } from '../../src/revocation/table.js';
import { type RedisServer, redisAvailable, startRedis } from './_redis.js';

function counted(now: number) {
  const n = { clock: 0, check: 0 };
  return {
    n,
    clock: () => {
      n.clock++;
      return now;
    },
    check: () => {
      n.check++;
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
    const c = counted(100);
    expect(tableLookup(table, c.check, { jti: 'live', sub: 'nobody' }, c.clock)).toBeUndefined();
    expect(c.n).toEqual({ clock: 0, check: 1 });
  });

  it('finds a revoked jti (one clock read) and a subject cut-off, and forgets expired entries', () => {
    let c = counted(100);
    expect(tableLookup(table, c.check, { jti: 'revoked', sub: 'cut' }, c.clock)).toBe(true);
    expect(c.n).toEqual({ clock: 1, check: 1 });
    c = counted(100);
    expect(tableLookup(table, c.check, { jti: 'live', sub: 'cut' }, c.clock)).toBe(120);
    expect(c.n).toEqual({ clock: 1, check: 1 });
    c = counted(100);
    expect(tableLookup(table, c.check, { jti: 'expired', sub: 'gone' }, c.clock)).toBeUndefined();
    expect(c.n).toEqual({ clock: 2, check: 1 });
    expect(table.jtis.has('expired')).toBe(false);
    expect(table.subjects.has('gone')).toBe(false);
  });

  it('checks freshness only when it looks something up, as the separate lookups do', () => {
    let c = counted(100);
    expect(tableLookup(table, c.check, { jti: 7, sub: ['x'] }, c.clock)).toBeUndefined();
    expect(c.n).toEqual({ clock: 0, check: 0 });
    c = counted(100);
    expect(tableLookup(table, c.check, { sub: 'cut' }, c.clock)).toBe(120);
    expect(c.n).toEqual({ clock: 1, check: 1 });
  });

  it('fails closed: a failing check throws before any answer, even for a revoked jti', () => {
    const down = () => {
      throw new Error('stale');
    };
    expect(() => tableLookup(table, down, { jti: 'revoked' }, () => 100)).toThrow('stale');
    expect(() => tableLookup(table, down, { sub: 'cut' }, () => 100)).toThrow('stale');
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
      [{ jti: 'live' }, { kid: 'k1' }],
      [{ jti: 'r1' }, { kid: 'k2' }],
      [{}, undefined],
    ];
    const expected = [true, true, false, true, false, true, true, false];
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
  });
});
