import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createRevocationList, sqliteStore } from '../../src/revocation/index.js';
import { distEntry } from '../helpers/dist.js';
import { behaviourSuite } from './_suite.js';

const dir = mkdtempSync(join(tmpdir(), 'jot-sqlite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

behaviourSuite({ name: 'sqlite', create: (key) => sqliteStore({ path: join(dir, `${key}.db`) }), shared: true });

/** A child that revokes one jti, prints "ok" once revoke() resolved, then idles until killed. */
const CHILD = `
const { createRevocationList, sqliteStore } = await import(process.argv[1]);
const list = createRevocationList({ store: sqliteStore({ path: process.argv[2] }) });
await list.revoke({ jti: process.argv[3], exp: Date.now() / 1000 + 3600 });
process.stdout.write('ok\\n');
setInterval(() => {}, 1000);
`;

/** A child that revokes `count` jtis named `<prefix><i>`, 50 at a time, then exits. */
const WRITER = `
const { createRevocationList, sqliteStore } = await import(process.argv[1]);
const [path, prefix, count] = process.argv.slice(2);
const list = createRevocationList({ store: sqliteStore({ path }) });
const exp = Date.now() / 1000 + 3600;
for (let i = 0; i < Number(count); i += 50) {
  await Promise.all(Array.from({ length: 50 }, (_, j) => list.revoke({ jti: prefix + (i + j), exp })));
}
await list.close();
`;

describe('sqliteStore', () => {
  const index = distEntry('revocation');

  it('keeps a revocation whose revoke() resolved in a process then killed with SIGKILL', async () => {
    const path = join(dir, 'killed.db');
    for (let i = 0; i < 5; i++) {
      const jti = `killed-${i}`;
      const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD, index, path, jti], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const exited = new Promise((resolve) => child.once('exit', resolve));
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          if (chunk.toString().includes('ok')) {
            child.kill('SIGKILL');
            resolve();
          }
        });
        child.once('exit', (code) => reject(new Error(`child exited with ${code} before revoking`)));
      });
      expect(await exited).toBe(null);
      const list = createRevocationList({ store: sqliteStore({ path }) });
      expect(list.isRevokedSync({ jti })).toBe(true);
      await list.close();
    }
  });

  it('is shared by several processes writing one file at the same time', async () => {
    const path = join(dir, 'processes.db');
    const reader = createRevocationList({ store: sqliteStore({ path }) });
    const children = ['a', 'b', 'c'].map((prefix) =>
      spawn(process.execPath, ['--input-type=module', '-e', WRITER, index, path, prefix, '500'], {
        stdio: ['ignore', 'inherit', 'inherit'],
      }),
    );
    const codes = await Promise.all(children.map((c) => new Promise((resolve) => c.once('exit', resolve))));
    expect(codes).toEqual([0, 0, 0]);
    // Seen by every lookup that starts maxStaleness (50 ms) after the commits.
    await new Promise((r) => setTimeout(r, 60));
    for (const prefix of ['a', 'b', 'c']) {
      for (let i = 0; i < 500; i++) expect(reader.isRevokedSync({ jti: `${prefix}${i}` })).toBe(true);
    }
    await reader.close();
  });

  it('uses WAL, synchronous=FULL and an expiry index', async () => {
    const path = join(dir, 'pragmas.db');
    const store = sqliteStore({ path, busyTimeout: 1234 });
    const db = new Database(path, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('auto_vacuum', { simple: true })).toBe(2);
    const plan = db.prepare('EXPLAIN QUERY PLAN DELETE FROM jot_revocation_jti WHERE expires_at < 1').all();
    expect(JSON.stringify(plan)).toContain('jot_revocation_jti_expiry');
    db.close();
    await store.close();
  });

  it('lets several connections (as several processes would) write one file concurrently', async () => {
    const path = join(dir, 'many.db');
    const stores = Array.from({ length: 4 }, () => sqliteStore({ path }));
    const lists = stores.map((store) => createRevocationList({ store }));
    const exp = Date.now() / 1000 + 60;
    await Promise.all(
      lists.flatMap((l, i) => Array.from({ length: 200 }, (_, j) => l.revoke({ jti: `${i}-${j}`, exp }))),
    );
    await new Promise((r) => setTimeout(r, 60));
    for (const l of lists) expect(l.isRevokedSync({ jti: '3-199' }) && l.isRevokedSync({ jti: '0-0' })).toBe(true);
    await Promise.all(lists.map((l) => l.close()));
  });

  it('validates its options and reports an unusable file as unavailable', () => {
    for (const options of [undefined, {}, { path: '' }, { path: 'x', table: 'a b' }, { path: 'x', busyTimeout: 0 }]) {
      expect(() => sqliteStore(options as never)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTION' }));
    }
    expect(() => sqliteStore({ path: join(dir, 'missing-dir', 'x.db') })).toThrow(
      expect.objectContaining({ code: 'ERR_REVOCATION_STORE_UNAVAILABLE' }),
    );
  });
});
