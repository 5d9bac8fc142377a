// One bad entry never breaks a store batch (issue 10, class 3). Every number where a revocation enters (the claims
// given to revoke(), issuedBefore, the clock, the store methods' arguments, the options) is bounded the same way on
// every store; a batch of revocations made in one turn applies (and on Redis publishes) every valid entry, and only
// the bad one fails, with ERR_INVALID_OPTION. Checked on memory, SQLite and Redis, within one process and across two.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GroupCommit } from '../../src/revocation/batch.js';
import {
  createRevocationList,
  memoryStore,
  type RevocationStore,
  redisStore,
  sqliteStore,
} from '../../src/revocation/index.js';
import { ADD_JTIS } from '../../src/revocation/redis-scripts.js';
import { MAX_TIME } from '../../src/revocation/validate.js';
import { distEntry } from '../helpers/dist.js';
import { runListChild } from './_child.js';
import { type RedisServer, redisAvailable, redisCli, startRedis } from './_redis.js';
import { eventually } from './_suite.js';

const available = redisAvailable();
const dir = mkdtempSync(join(tmpdir(), 'jot-batch-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let server: RedisServer | undefined;
const index = distEntry('revocation');
beforeAll(async () => {
  if (available) server = await startRedis();
});
afterAll(async () => {
  await server?.stop();
});

/** Outcome of a promise: 'ok' or the error code. */
async function outcome(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (e) {
    return String((e as { code?: unknown }).code ?? e);
  }
}

const now = () => Date.now() / 1000;

/** Values of exp that no store can keep as given: out of range, not finite, or past what a Redis TTL can hold. */
const BAD_EXP = [1e300, Number.MAX_VALUE, 2 ** 53, 1e20, MAX_TIME + 1, Number.POSITIVE_INFINITY, Number.NaN, -1e300];

let n = 0;
const stores: { name: string; make(ns: string): RevocationStore; shared: boolean }[] = [
  { name: 'memory', make: () => memoryStore(), shared: false },
  { name: 'sqlite', make: (ns) => sqliteStore({ path: join(dir, `${ns}.db`) }), shared: true },
  ...(available
    ? [{ name: 'redis', make: (ns: string) => redisStore({ url: server!.url }, { namespace: ns }), shared: true }]
    : []),
];

describe.each(stores)('a mixed batch on the $name store', ({ make, shared, name }) => {
  it('revoke(): every valid entry applies, each bad one alone fails with ERR_INVALID_OPTION', async () => {
    const ns = `mixed${++n}${name}`;
    const list = createRevocationList({ store: make(ns) });
    const other = shared ? createRevocationList({ store: make(ns) }) : undefined;
    try {
      await list.ready();
      await other?.ready();
      const exp = now() + 600;
      // All in one turn: they share one batch (one transaction, one Lua call).
      const calls: [string, Promise<unknown>][] = [];
      BAD_EXP.forEach((bad, i) => {
        calls.push([`good${i}`, list.revoke({ jti: `good${i}`, exp })]);
        calls.push([`bad${i}`, list.revoke({ jti: `bad${i}`, exp: bad })]);
      });
      calls.push(['later', list.revoke({ jti: 'later', exp: MAX_TIME })]); // the largest allowed: kept "forever"
      const results = await Promise.all(calls.map(async ([jti, p]) => [jti, await outcome(p)] as const));
      for (const [jti, result] of results) {
        expect(result, jti).toBe(jti.startsWith('bad') ? 'ERR_INVALID_OPTION' : 'ok');
      }
      for (const [jti] of results) {
        expect(await list.isRevoked({ jti }), jti).toBe(!jti.startsWith('bad'));
      }
      if (other !== undefined) {
        // Another store instance on the same backend: durable (SQLite) or published (Redis).
        for (const [jti] of results) {
          expect(await eventually(() => other.isRevokedSync({ jti }) === !jti.startsWith('bad'), 2000), jti).toBe(true);
        }
      }
    } finally {
      await list.close();
      await other?.close();
    }
  });

  it('the store methods themselves bound their arguments, batched or not', async () => {
    const store = make(`direct${++n}${name}`);
    try {
      await store.ready?.();
      const t = now();
      const ok = [store.addJti('d-ok-1', t + 60, t), store.addJti('d-ok-2', t + 60, t)].map(outcome);
      const bad = [
        ...BAD_EXP.map((e) => store.addJti('d-bad', e, t)),
        store.addJti('d-bad', t + 60, Number.NaN),
        store.addJti('d-bad', t + 60, 1e300),
        store.addJti(42 as unknown as string, t + 60, t),
        store.addJti('', t + 60, t),
        store.setSubjectCutoff('s-bad', 1e300, t + 60, t),
        store.setSubjectCutoff('s-bad', t, 2 ** 60, t),
        store.setSubjectCutoff('s-bad', t, t + 60, Number.POSITIVE_INFINITY),
        store.hasJti(null as unknown as string, t),
        store.hasJti('d-ok-1', Number.NaN),
        store.getSubjectCutoff('s', 1e300),
        store.purge(Number.NaN),
      ].map(outcome);
      expect(await Promise.all(ok)).toEqual(['ok', 'ok']);
      for (const p of bad) expect(await p).toBe('ERR_INVALID_OPTION');
      expect(await store.hasJti('d-ok-1', t)).toBe(true);
      expect(await store.hasJti('d-bad', t)).toBe(false);
      expect(await store.getSubjectCutoff('s-bad', t)).toBeUndefined();
    } finally {
      await store.close();
    }
  });
});

describe('every number where a revocation enters is bounded the same way', () => {
  it('revokeSubject, the clock and the list options', async () => {
    const list = createRevocationList();
    for (const issuedBefore of [1e300, -1e300, MAX_TIME + 1, new Date(8.64e15), new Date(Number.NaN)]) {
      expect(await outcome(list.revokeSubject('u', { issuedBefore })), String(issuedBefore)).toBe('ERR_INVALID_OPTION');
    }
    expect(await outcome(list.revokeSubject('u', { issuedBefore: MAX_TIME }))).toBe('ok');
    for (const clock of [
      () => Number.NaN,
      () => 1e300,
      () => '1' as unknown as number,
      () => {
        throw new Error('x');
      },
    ]) {
      const l = createRevocationList({ clock, purgeInterval: 0 });
      expect(await outcome(l.revoke({ jti: 'j', exp: 10 }))).toBe('ERR_INVALID_OPTION');
      expect(await outcome(l.isRevoked({ jti: 'j' }))).toBe('ERR_INVALID_OPTION');
      expect(await outcome(l.revokeSubject('s'))).toBe('ERR_INVALID_OPTION');
    }
    const failOpen = createRevocationList({ clock: () => Number.NaN, failOpen: true, purgeInterval: 0 });
    expect(await outcome(failOpen.isRevoked({ jti: 'j' }))).toBe('ERR_INVALID_OPTION'); // a bad clock never fails open
    for (const options of [
      { clockTolerance: 1e300 },
      { subjectRetention: 1e12 },
      { purgeInterval: 1e9 }, // past setInterval's range, node would fire it every millisecond
      { purgeInterval: Number.POSITIVE_INFINITY },
    ]) {
      expect(await outcome((async () => createRevocationList(options))()), JSON.stringify(options)).toBe(
        'ERR_INVALID_OPTION',
      );
    }
    expect(await outcome((async () => memoryStore({ maxEntries: 2 ** 60 }))())).toBe('ERR_INVALID_OPTION');
    expect(await outcome((async () => sqliteStore({ path: join(dir, 'x.db'), busyTimeout: 2 ** 40 }))())).toBe(
      'ERR_INVALID_OPTION',
    );
    for (const name of ['commandTimeout', 'connectTimeout', 'heartbeatInterval', 'maxStaleness', 'resyncInterval']) {
      expect(await outcome((async () => redisStore({ url: 'redis://127.0.0.1:1' }, { [name]: 1e10 }))()), name).toBe(
        'ERR_INVALID_OPTION',
      );
    }
    await list.close();
  });
});

describe('a refused batch is retried entry by entry', () => {
  it('only the poisoned item fails; an outage fails the batch without retries', async () => {
    const flushed: string[][] = [];
    const commits = new GroupCommit<string>(
      (items) => {
        flushed.push([...items]);
        if (items.includes('poison')) throw Object.assign(new Error('refused'), { code: 'ERR_INVALID_OPTION' });
        if (items.includes('outage')) throw new Error('down');
      },
      100,
      (e) => (e as { code?: unknown }).code === 'ERR_INVALID_OPTION',
    );
    const r = await Promise.all(['a', 'poison', 'b'].map((i) => outcome(commits.add(i))));
    expect(r).toEqual(['ok', 'ERR_INVALID_OPTION', 'ok']);
    expect(flushed).toEqual([['a', 'poison', 'b'], ['a'], ['poison'], ['b']]);
    flushed.length = 0;
    const down = await Promise.all(['c', 'outage', 'd'].map((i) => outcome(commits.add(i))));
    expect(down).toEqual(['Error: down', 'Error: down', 'Error: down']);
    expect(flushed).toEqual([['c', 'outage', 'd']]);
  });
});

describe.skipIf(!available)('the Redis batch script', () => {
  it('checks every entry before it writes anything: a bad one refuses the call with nothing written', async () => {
    const t = Math.floor(now());
    const keys = ['{s}:jti:one', '{s}:jti:two', '{s}:jti:three'];
    for (const badTtl of ['9007199254740992000', '1e+303', '-5', 'NaN', '']) {
      const args = [String(t + 60), '60000', String(t + 60), badTtl, String(t + 60), '60000'];
      const reply = await redisCli(server!.port, 'EVAL', ADD_JTIS, '3', ...keys, ...args, '{s}:chan', 'm').catch(
        (e: Error) => e.message,
      );
      expect(String(reply), badTtl).toMatch(/invalid revocation entry 2/);
      expect((await redisCli(server!.port, 'EXISTS', ...keys)).trim(), badTtl).toBe('0');
    }
    const args = [String(t + 60), '60000', String(t + 60), '60000', String(t + 60), '60000'];
    await redisCli(server!.port, 'EVAL', ADD_JTIS, '3', ...keys, ...args, '{s}:chan', 'm');
    expect((await redisCli(server!.port, 'EXISTS', ...keys)).trim()).toBe('3');
  });

  it('two processes: the other process sees every valid entry of a mixed batch (the publish ran)', async () => {
    const ns = `twoproc${++n}`;
    const child = runListChild(index, { kind: 'redis', url: server!.url, namespace: ns });
    const list = createRevocationList({ store: redisStore({ url: server!.url }, { namespace: ns }) });
    try {
      await list.ready();
      await child.line('ready');
      const exp = now() + 600;
      const results = await Promise.all([
        outcome(list.revoke({ jti: 'm0', exp })),
        outcome(list.revoke({ jti: 'huge', exp: 1e300 })),
        outcome(list.revoke({ jti: 'm1', exp })),
        outcome(list.revoke({ jti: 'big', exp: 2 ** 53 })),
        outcome(list.revoke({ jti: 'm2', exp })),
      ]);
      expect(results).toEqual(['ok', 'ERR_INVALID_OPTION', 'ok', 'ERR_INVALID_OPTION', 'ok']);
      // The child answers from its local copy, which only the batch's publish updates (its next full reload is
      // minutes away): it sees each valid entry only if the publish ran.
      for (const jti of ['m0', 'm1', 'm2']) {
        child.send(`watch ${jti}`);
        await child.line(`seen ${jti} `, 5000);
      }
    } finally {
      await child.kill();
      await list.close();
    }
  });
});
