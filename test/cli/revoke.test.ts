import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createRevocationList, sqliteStore } from '../../src/revocation/index.js';
import { freePort, type RedisServer, redisAvailable, startRedis } from '../revocation/_redis.js';
import { jot, NOW, scratch } from './_run.js';

const FX = join(import.meta.dirname, 'fixtures');

let s: ReturnType<typeof scratch>;
beforeEach(() => {
  s = scratch();
});
afterEach(() => s.cleanup());

async function token(claims: string): Promise<string> {
  const r = await jot(['sign', '--key', join(FX, 'ed25519.jwk'), '--claims', claims, '--exp', '1h']);
  return r.stdout.trim();
}

function suite(name: string, store: () => string) {
  describe(`jot revoke (${name})`, () => {
    it('add by token, check (exit 1 when revoked), list; check by jti', async () => {
      const t = await token('{"jti":"j-1","sub":"u1"}');
      const other = await token('{"jti":"j-2","sub":"u1"}');
      expect((await jot(['revoke', 'check', t, '--store', store()])).code).toBe(0);
      const add = await jot(['revoke', 'add', t, '--store', store()]);
      expect(add.stderr).toBe('');
      expect(add.stdout).toBe('revoked jti "j-1" until 2026-01-01T01:00:00Z\n');
      const c = await jot(['revoke', 'check', t, '--store', store()]);
      expect(c.code).toBe(1);
      expect(c.stdout).toBe('revoked: jti "j-1"\n');
      expect((await jot(['revoke', 'check', other, '--store', store()])).code).toBe(0);
      expect((await jot(['revoke', 'check', '--jti', 'j-1', '--store', store()])).code).toBe(1);
      const fromStdin = await jot(['revoke', 'add', '-', '--store', store()], { stdin: other });
      expect(fromStdin.code).toBe(0);
      const list = await jot(['revoke', 'list', '--store', store(), '--json']);
      expect(JSON.parse(list.stdout).listing).toEqual({
        jtis: [
          { jti: 'j-1', expiresAt: NOW + 3600 },
          { jti: 'j-2', expiresAt: NOW + 3600 },
        ],
        subjects: [],
        truncated: false,
      });
      // Expired entries are not listed.
      const later = await jot(['revoke', 'list', '--store', store(), '--json'], {
        env: { JOT_NOW: String(NOW + 7200) },
      });
      expect(JSON.parse(later.stdout).listing.jtis).toEqual([]);
    });

    it('add --jti ID --exp, and a subject cut-off (log out everywhere)', async () => {
      expect((await jot(['revoke', 'add', '--jti', 'manual', '--exp', '30m', '--store', store()])).stdout).toBe(
        'revoked jti "manual" until 2026-01-01T00:30:00Z\n',
      );
      const sub = await jot(['revoke', 'add', '--sub', 'u9', '--store', store()]);
      expect(sub.stdout).toBe('revoked every token of subject "u9" issued before 2026-01-01T00:00:00Z\n');
      expect((await jot(['revoke', 'check', '--sub', 'u9', '--iat', String(NOW - 60), '--store', store()])).code).toBe(
        1,
      );
      expect((await jot(['revoke', 'check', '--sub', 'u9', '--iat', String(NOW + 60), '--store', store()])).code).toBe(
        0,
      );
      const list = await jot(['revoke', 'list', '--store', store()]);
      expect(list.stdout).toContain('"manual"  until 2026-01-01T00:30:00Z');
      expect(list.stdout).toContain('"u9"  tokens issued before 2026-01-01T00:00:00Z');
    });
  });
}

const sqlitePath = () => join(s.dir, 'revoked.db');
suite('sqlite', () => `sqlite:${sqlitePath()}`);

describe('jot revoke and the library share the store', () => {
  it('a jti revoked by the CLI is refused by a library list, and the reverse', async () => {
    const t = await token('{"jti":"shared","sub":"u1"}');
    await jot(['revoke', 'add', t, '--store', `sqlite:${sqlitePath()}`]);
    const list = createRevocationList({
      store: sqliteStore({ path: sqlitePath() }),
      clock: () => NOW,
      purgeInterval: 0,
    });
    try {
      expect(await list.isRevoked({ jti: 'shared', exp: NOW + 3600 })).toBe(true);
      await list.revoke({ jti: 'from-lib', exp: NOW + 60 });
    } finally {
      await list.close();
    }
    expect((await jot(['revoke', 'check', '--jti', 'from-lib', '--store', `sqlite:${sqlitePath()}`])).code).toBe(1);
  });
});

describe('jot revoke list: bounded', () => {
  it('shows the first 10,000 of a larger list, truncated; never creates a store it is asked to list', async () => {
    const store = sqliteStore({ path: sqlitePath() });
    try {
      await Promise.all(Array.from({ length: 10_002 }, (_, i) => store.addJti(`t${i}`, NOW + 60 + (i % 7), NOW)));
      await store.setSubjectCutoff('u1', NOW - 1, NOW + 60, NOW);
    } finally {
      await store.close();
    }
    const r = await jot(['revoke', 'list', '--store', `sqlite:${sqlitePath()}`, '--json']);
    const listing = JSON.parse(r.stdout).listing;
    expect(listing.truncated).toBe(true);
    expect(listing.jtis).toHaveLength(10_000);
    expect(listing.subjects).toEqual([{ sub: 'u1', cutoff: NOW - 1, expiresAt: NOW + 60 }]);
    const expiries = listing.jtis.map((j: { expiresAt: number }) => j.expiresAt);
    expect(expiries).toEqual([...expiries].sort((a, b) => a - b));
    const text = await jot(['revoke', 'list', '--store', `sqlite:${sqlitePath()}`]);
    expect(text.stdout).toContain('10000 revoked token ids');
    expect(text.stdout).toContain('(first 10000 of each shown)');
    const missing = join(s.dir, 'missing.db');
    const m = await jot(['revoke', 'list', '--store', `sqlite:${missing}`]);
    expect(m.code).toBe(1);
    expect(m.stderr).toMatch(/^jot revoke: the SQLite revocation store cannot be read: no such file/);
    expect(existsSync(missing)).toBe(false);
  });
});

describe('jot revoke: bad input', () => {
  it('no store, a bad store, no action, an unreadable store, a token without jti', async () => {
    const unreadable = join(s.dir, 'locked.db');
    writeFileSync(unreadable, 'not a database at all, just text that is long enough to be read as a header');
    chmodSync(unreadable, 0o644);
    const noJti = await token('{"sub":"x"}');
    const cases: [string[], number, RegExp][] = [
      [['revoke', 'add', '--jti', 'x', '--exp', '1h'], 2, /a store is required/],
      [
        ['revoke', 'add', '--jti', 'x', '--exp', '1h', '--store', 'mysql://x'],
        2,
        /--store must be sqlite:PATH or redis:\/\/HOST:PORT/,
      ],
      [['revoke', '--store', 'sqlite:x.db'], 2, /an action is required: add, check or list/],
      [['revoke', 'add', '--jti', 'x', '--store', `sqlite:${sqlitePath()}`], 2, /--jti needs --exp/],
      [
        ['revoke', 'check', '--jti', 'x', '--store', `sqlite:${join(s.dir, 'no', 'such', 'dir.db')}`],
        1,
        /^jot revoke: the SQLite revocation store failed \(/,
      ],
      [
        ['revoke', 'list', '--store', `sqlite:${unreadable}`],
        1,
        /^jot revoke: the SQLite revocation store cannot be read: file is not a database/,
      ],
      [
        ['revoke', 'add', noJti, '--store', `sqlite:${sqlitePath()}`],
        2,
        /revoked by its "jti" claim, which is missing/,
      ],
      [
        ['revoke', 'list', '--store', `redis://127.0.0.1:${await freePort()}`],
        1,
        /^jot revoke: the Redis revocation store cannot be read: connect ECONNREFUSED/,
      ],
    ];
    for (const [argv, code, line] of cases) {
      const r = await jot(argv, { cwd: s.dir });
      expect(r.code, argv.join(' ')).toBe(code);
      expect(r.stderr.trimEnd().split('\n'), argv.join(' ')).toHaveLength(1);
      expect(r.stderr.trimEnd(), argv.join(' ')).toMatch(line);
    }
  });

  it('JOT_REVOCATION_STORE stands in for --store', async () => {
    const r = await jot(['revoke', 'add', '--jti', 'env', '--exp', '1h'], {
      env: { JOT_REVOCATION_STORE: `sqlite:${sqlitePath()}` },
    });
    expect(r.code).toBe(0);
  });
});

const haveRedis = redisAvailable();
describe.skipIf(!haveRedis)('redis', () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });
  suite('redis', () => redis.url);
  it('a Redis password never appears in the output', async () => {
    const r = await jot(['revoke', 'list', '--store', `redis://user:hunter2@127.0.0.1:${redis.port}`, '--json']);
    expect(r.stdout + r.stderr).not.toContain('hunter2');
  });
});
