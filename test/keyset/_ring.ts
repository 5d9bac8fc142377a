// A child process holding a key ring on a file, SQLite, Redis or Redis Cluster store, driven over stdin.
import { expect } from 'vitest';
import type { KeyRingStore } from '../../src/keyring/index.js';
import { type Child, runChild } from '../revocation/_child.js';

/**
 * Commands over stdin, answers `ok <cmd> <json>`. argv: the compiled keyring index, the store kind (`file`,
 * `sqlite`, `redis`, or `cluster`: then `where` is a comma-separated list of root node URLs), where, namespace,
 * and the hex sealing key.
 */
const RING_CHILD = `
import { createInterface } from 'node:readline';
const [index, kind, where, ns, key] = process.argv.slice(1);
const m = await import(index);
const r = await import(index.replace(/keyring[/]index[.]js$/, 'revocation/index.js'));
const target = kind === 'cluster' ? { rootNodes: where.split(',') } : { url: where };
let offset = 0;
const store = kind === 'file' ? m.fileKeyRingStore({ path: where })
  : kind === 'sqlite' ? m.sqliteKeyRingStore({ path: where })
  : m.redisKeyRingStore(target, { namespace: ns });
let saves = 0;
const ring = m.createKeyRing({ alg: 'ES256', encryptionKey: Buffer.from(key, 'hex'), store, checkEvery: 0,
  rotateEvery: '1d', maxAge: '10m', publishAhead: '20m', now: () => Date.now() + offset,
  onEvent: (e) => { if (e.type === 'saved') saves++; } });
const say = (cmd, v) => console.log('ok ' + cmd + ' ' + JSON.stringify(v));
console.log('started');
for await (const line of createInterface({ input: process.stdin })) {
  const [cmd, arg] = line.split(' ');
  try {
    if (cmd === 'ready') { await ring.ready(); say(cmd, true); }
    else if (cmd === 'advance') { offset += Number(arg); say(cmd, offset); }
    else if (cmd === 'maintain') say(cmd, await ring.maintain());
    else if (cmd === 'state') say(cmd, { keys: ring.keys(), jwks: ring.jwks(), saves });
    else if (cmd === 'sign') say(cmd, await ring.sign({ sub: 'child' }));
    else if (cmd === 'watchkid') {
      const list = r.createRevocationList({ store: r.redisStore(target, { namespace: ns + 'rev' }) });
      await list.ready();
      say(cmd, true);
      while (!list.isRevokedSync({}, { kid: arg })) await new Promise((s) => setImmediate(s));
      say('seen', performance.timeOrigin + performance.now());
    }
    else if (cmd === 'exit') { await ring.close(); say(cmd, true); process.exit(0); }
  } catch (e) { console.log('ok ' + cmd + ' ' + JSON.stringify({ error: e.code ?? String(e) })); }
}
`;

export function ringChild(index: string, kind: string, where: string, ns: string, key: Buffer): Child {
  return runChild(RING_CHILD, [index, kind, where, ns, key.toString('hex')]);
}

/** Sends a command and resolves with its parsed answer. */
export async function ask<T = unknown>(c: Child, cmd: string): Promise<T> {
  c.send(cmd);
  const line = await c.line(`ok ${cmd.split(' ')[0]} `);
  return JSON.parse(line.slice(line.indexOf(' ', 3) + 1)) as T;
}

export interface RingState {
  keys: { kid: string; state: string }[];
  jwks: { keys: object[] };
  saves: number;
}

/**
 * Two handles on one store: a stale writer (expected version behind the store's) is refused, the lock has one holder
 * until it expires, and a late release by an expired holder does not drop the next holder's lock.
 */
export async function expectFencingAndLock(s1: KeyRingStore, s2: KeyRingStore): Promise<void> {
  expect(await s1.save('one', 0)).toBe(true);
  expect(await s2.save('two', 0)).toBe(false); // stale: expected version 0, the store is at 1
  expect(await s2.save('two', 1)).toBe(true);
  expect(await s1.load()).toEqual({ version: 2, data: 'two' });
  const release = await s1.lock!(300);
  expect(release).toBeDefined();
  expect(await s2.lock!(300)).toBeUndefined();
  await release!();
  const r2 = await s2.lock!(50);
  expect(r2).toBeDefined();
  await new Promise((r) => setTimeout(r, 80)); // past the lock's expiry
  expect(await s1.lock!(300)).toBeDefined();
  await r2!(); // a late release by the old holder does not drop the new holder's lock
  expect(await s2.lock!(300)).toBeUndefined();
}
