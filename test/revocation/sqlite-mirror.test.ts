import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createRevocationList, sqliteStore } from '../../src/revocation/index.js';
import { SqliteMirror } from '../../src/revocation/sqlite-mirror.js';
import { expectPropagation } from '../helpers/timing.js';
import { distEntry } from '../helpers/dist.js';
import { crossProcessLatencies, runListChild } from './_child.js';
import { eventually } from './_suite.js';

const dir = mkdtempSync(join(tmpdir(), 'jot-sqlite-mirror-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const exp = () => Date.now() / 1000 + 3600;

describe('sqliteStore: the in-process copy and other processes', () => {
  const index = distEntry('revocation');

  it('sees another process’s revocation within 100 ms, both ways', async () => {
    const path = join(dir, 'two.db');
    const list = createRevocationList({ store: sqliteStore({ path }) });
    const child = runListChild(index, { kind: 'sqlite', path });
    try {
      const latencies = await crossProcessLatencies(list, child);
      console.log(`SQLite cross-process propagation: max ${Math.max(...latencies).toFixed(2)} ms`);
      expectPropagation(latencies, 100);
    } finally {
      await child.kill();
      await list.close();
    }
  });

  it('loses nothing when a writer is killed with SIGKILL in the middle of its writes', async () => {
    const path = join(dir, 'killed.db');
    const list = createRevocationList({ store: sqliteStore({ path }) });
    for (let round = 0; round < 3; round++) {
      const prefix = `k${round}-`;
      const child = runListChild(index, { kind: 'sqlite', path });
      const accepted: string[] = [];
      child.onLine((l) => {
        if (l.startsWith('ok ')) accepted.push(l.slice(3));
      });
      await child.line('ready');
      child.send(`flood ${prefix}`);
      // Killed at a different point each round, while batches are being written.
      expect(await eventually(() => accepted.length >= 100 + 37 * round, 20_000)).toBe(true);
      await child.kill();
      // Every revocation whose revoke() resolved, and every row the file holds, is seen by the long-lived copy.
      await sleep(60);
      for (const jti of accepted) expect(list.isRevokedSync({ jti })).toBe(true);
      const db = new Database(path, { readonly: true });
      const rows = db.prepare('SELECT jti FROM jot_revocation_jti WHERE jti LIKE ?').pluck().all(`${prefix}%`);
      db.close();
      expect(rows.length).toBeGreaterThanOrEqual(accepted.length);
      for (const jti of rows as string[]) expect(list.isRevokedSync({ jti })).toBe(true);
      expect(list.isRevokedSync({ jti: `${prefix}never` })).toBe(false);
    }
    await list.close();
  }, 60_000);
});

describe('sqliteStore: the in-process copy', () => {
  it('sees its own revocations once revoke() resolved, with no wait', async () => {
    const list = createRevocationList({ store: sqliteStore({ path: join(dir, 'own.db'), maxStaleness: 60 }) });
    expect(list.isRevokedSync({ jti: 'a' })).toBe(false);
    await list.revoke({ jti: 'a', exp: exp() });
    const cutoff = Math.floor(Date.now() / 1000) - 100;
    await list.revokeSubject('s', { issuedBefore: cutoff });
    await list.revokeKey('k');
    expect(list.isRevokedSync({ jti: 'a' })).toBe(true);
    expect(list.isRevokedSync({ sub: 's', iat: cutoff - 1 })).toBe(true);
    expect(list.isRevokedSync({ sub: 's', iat: cutoff })).toBe(false);
    expect(list.isKeyRevokedSync('k')).toBe(true);
    await list.close();
  });

  it('applies what other stores on the file logged, and reloads after a gap in the log', async () => {
    const path = join(dir, 'other.db');
    const list = createRevocationList({ store: sqliteStore({ path, maxStaleness: 0.02 }) });
    const other = createRevocationList({ store: sqliteStore({ path }) });
    const raw = new Database(path);
    expect(list.isRevokedSync({ jti: 'o' })).toBe(false);
    await other.revoke({ jti: 'o', exp: exp() });
    const cutoff = Math.floor(Date.now() / 1000) - 100;
    await other.revokeSubject('u', { issuedBefore: cutoff });
    await other.revokeKey('ok');
    await sleep(25);
    expect(list.isRevokedSync({ jti: 'o' })).toBe(true);
    expect(list.isRevokedSync({ sub: 'u', iat: cutoff - 1 })).toBe(true);
    expect(list.isKeyRevokedSync('ok')).toBe(true);
    // A later, higher cut-off is applied too.
    await other.revokeSubject('u', { issuedBefore: cutoff + 50 });
    await sleep(25);
    expect(list.isRevokedSync({ sub: 'u', iat: cutoff + 10 })).toBe(true);
    // Other tables of the file (the replay register) change the file, not the list.
    raw.prepare('INSERT INTO jot_revocation_once (id, expires_at) VALUES (?, ?)').run('x', exp());
    await sleep(25);
    expect(list.isRevokedSync({ jti: 'x' })).toBe(false);
    // The log purged past this process's last read (a gap): the whole list is reloaded.
    await other.revoke({ jti: 'gap1', exp: exp() });
    await other.revoke({ jti: 'gap2', exp: exp() });
    raw.prepare('DELETE FROM jot_revocation_log WHERE seq < (SELECT max(seq) FROM jot_revocation_log)').run();
    await sleep(25);
    expect(list.isRevokedSync({ jti: 'gap1' }) && list.isRevokedSync({ jti: 'gap2' })).toBe(true);
    raw.close();
    await other.close();
    await list.close();
  });

  it('picks up rows written around the store at its periodic reload', () => {
    const path = join(dir, 'raw.db');
    sqliteStore({ path }).close();
    const db = new Database(path);
    const mirror = new SqliteMirror(db, 'jot_revocation', 100, 0, 30);
    expect(mirror.active() && !mirror.hasJti('raw', 0)).toBe(true);
    const raw = new Database(path);
    raw.prepare('INSERT INTO jot_revocation_jti (jti, expires_at) VALUES (?, ?)').run('raw', exp());
    raw.prepare('INSERT INTO jot_revocation_sub (sub, cutoff, expires_at) VALUES (?, ?, ?)').run('s', 50, exp());
    const started = performance.now();
    while (performance.now() - started < 35) {} // past the reload interval
    expect(mirror.active()).toBe(true);
    expect(mirror.hasJti('raw', 0) && mirror.getSubjectCutoff('s', 0) === 50).toBe(true);
    raw.close();
    db.close();
  });

  it('fails closed when the file cannot be read back', async () => {
    const path = join(dir, 'broken.db');
    const list = createRevocationList({ store: sqliteStore({ path, maxStaleness: 0 }) });
    const raw = new Database(path);
    raw.exec('DROP TABLE jot_revocation_log');
    expect(() => list.isRevokedSync({ jti: 'a' })).toThrow(
      expect.objectContaining({ code: 'ERR_REVOCATION_STORE_UNAVAILABLE' }),
    );
    raw.close();
    await list.close();
  });

  it('holds at most mirrorLimit entries; a larger list is read from the file', async () => {
    const path = join(dir, 'large.db');
    const list = createRevocationList({ store: sqliteStore({ path, mirrorLimit: 10, maxStaleness: 0 }) });
    for (let i = 0; i < 25; i++) await list.revoke({ jti: `j${i}`, exp: exp() });
    for (let i = 0; i < 25; i++) expect(list.isRevokedSync({ jti: `j${i}` })).toBe(true);
    expect(list.isRevokedSync({ jti: 'j25' })).toBe(false);
    const db = new Database(path);
    const mirror = new SqliteMirror(db, 'jot_revocation', 10, 0);
    expect(mirror.active()).toBe(false);
    expect(mirror.size).toBe(0);
    const small = new SqliteMirror(db, 'jot_revocation', 100, 0);
    expect(small.active()).toBe(true);
    expect(small.size).toBe(25);
    db.close();
    // mirrorLimit 0: never copied, still correct.
    const direct = createRevocationList({ store: sqliteStore({ path, mirrorLimit: 0 }) });
    expect(direct.isRevokedSync({ jti: 'j3' }) && !direct.isRevokedSync({ jti: 'zz' })).toBe(true);
    await direct.close();
    await list.close();
  });

  it('validates mirrorLimit and maxStaleness', () => {
    for (const options of [{ mirrorLimit: -1 }, { mirrorLimit: 1.5 }, { maxStaleness: -1 }, { maxStaleness: 61 }]) {
      expect(() => sqliteStore({ path: join(dir, 'opts.db'), ...options })).toThrow(
        expect.objectContaining({ code: 'ERR_INVALID_OPTION' }),
      );
    }
  });
});
