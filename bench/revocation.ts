// Revocation lookup throughput per store, as ratios to no revocation at all.
//
//   import { benchRevocation } from './revocation.js';
//   const result = await benchRevocation({ durationMs: 1000 });
//
// Result shape (RevocationBenchResult):
//   { durationMs, entries, rows: [{ store, mode, opsPerSec, ratio, spread }], skipped: [{ store, reason }] }
// `store` is 'none' | 'memory' | 'sqlite' | 'redis'; `mode` is 'sync' (isRevokedSync) or 'async'
// (await isRevoked, one at a time); `ratio` = the median over interleaved rounds of the row's rate over the rate
// of 'none' in the same mode and round (1 = revocation costs nothing); `spread` = (max - min) / median of it. Pass `verify` to time a whole verification per operation (e.g.
// a compiled verifier over a pre-signed token) so that the ratios are "verify with revocation /
// verify alone"; without it an operation is the lookup alone. Redis uses `redisUrl`, or starts a
// throw-away redis-server when /usr/bin/redis-server exists, or is skipped.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createRevocationList,
  memoryStore,
  type RevocationList,
  type RevocationStore,
  redisStore,
  sqliteStore,
} from '../src/revocation/index.js';

export interface RevocationBenchOptions {
  /** Measuring time per store and mode, in ms. Default 1000. */
  durationMs?: number;
  /** Revoked jtis preloaded in every store. Default 10 000. */
  entries?: number;
  /** A Redis URL; default: a temporary redis-server if installed. */
  redisUrl?: string;
  /** Work done per operation besides the lookup, e.g. verifying a token. Default: none. */
  verify?: () => unknown;
  /** Interleaved rounds the duration is split into. Default 7. */
  rounds?: number;
  /**
   * What times a round: 'wall' (default) or 'cpu', this process's CPU time (`process.cpuUsage()`), which load on the
   * other core barely moves (`BENCH_CLOCK=cpu`). An async row's wait for a server is then not counted.
   */
  clock?: 'wall' | 'cpu';
}

export interface RevocationBenchRow {
  store: 'none' | 'memory' | 'sqlite' | 'redis';
  mode: 'sync' | 'async';
  opsPerSec: number;
  ratio: number;
  /** (max - min) / median of the per-round ratio. */
  spread: number;
}

export interface RevocationBenchResult {
  durationMs: number;
  entries: number;
  rows: RevocationBenchRow[];
  skipped: { store: string; reason: string }[];
}

const REDIS_SERVER = '/usr/bin/redis-server';
const yieldNow = () => new Promise<void>((r) => setImmediate(r));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('port'))));
    });
  });
}

async function tempRedis(): Promise<{ url: string; stop(): Promise<void> } | undefined> {
  if (!existsSync(REDIS_SERVER)) return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'jot-bench-redis-'));
  const port = await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--dir', dir];
  const child: ChildProcess = spawn(REDIS_SERVER, [...args, '--appendonly', 'yes', '--appendfsync', 'always'], {
    stdio: 'ignore',
  });
  const stop = async () => {
    if (child.exitCode === null) await new Promise((r) => child.once('exit', r).kill('SIGTERM'));
    rmSync(dir, { recursive: true, force: true });
  };
  return { url: `redis://127.0.0.1:${port}`, stop };
}

/** Claims to look up: one in ten is revoked. */
function sample(entries: number, now: number): Record<string, unknown>[] {
  return Array.from({ length: 1024 }, (_, i) => ({
    jti: i % 10 === 0 ? `revoked-${(i * 7919) % entries}` : `live-${i}`,
    sub: `user-${i % 97}`,
    iat: now - 60,
    exp: now + 3600,
  }));
}

/** Milliseconds of CPU time (user + system) this process has used. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

async function measure(
  durationMs: number,
  op: (claims: Record<string, unknown>) => unknown,
  claims: object[],
  clock: () => number,
) {
  const mask = claims.length - 1;
  let n = 0;
  const started = clock();
  let lastYield = performance.now();
  for (;;) {
    for (let i = 0; i < 256; i++, n++) {
      const r = op(claims[n & mask] as Record<string, unknown>);
      if (r instanceof Promise) await r;
    }
    const now = clock();
    if (now - started >= durationMs) return (n * 1000) / (now - started);
    // Let timers run (the Redis store's heartbeat proves its cache fresh).
    if (performance.now() - lastYield > 20) {
      await yieldNow();
      lastYield = performance.now();
    }
  }
}

/** Median of a non-empty list. */
function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

interface Live {
  store: RevocationBenchRow['store'];
  mode: RevocationBenchRow['mode'];
  op: (claims: Record<string, unknown>) => unknown;
  rates: number[];
}

/**
 * Measures isRevokedSync / isRevoked throughput for no list, memory, SQLite and Redis. Every row runs in `rounds`
 * interleaved rounds (a rotating order, each round `durationMs / rounds` long); `ratio` is the median over the
 * rounds of the row's rate over the rate of no list in the same mode in that round (paired, so a burst of load on
 * a shared machine touches both), `spread` is (max - min) / median of that ratio.
 */
export async function benchRevocation(opts: RevocationBenchOptions = {}): Promise<RevocationBenchResult> {
  const durationMs = opts.durationMs ?? 1000;
  const entries = opts.entries ?? 10_000;
  const rounds = Math.max(1, opts.rounds ?? 7);
  const clock = opts.clock === 'cpu' ? cpuMs : () => performance.now();
  const verify = opts.verify ?? (() => undefined);
  const now = Math.floor(Date.now() / 1000);
  const claims = sample(entries, now);
  const skipped: { store: string; reason: string }[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'jot-bench-revocation-'));
  const redis = opts.redisUrl === undefined ? await tempRedis() : { url: opts.redisUrl, stop: async () => {} };

  const live: Live[] = [
    { store: 'none', mode: 'sync', op: () => verify(), rates: [] },
    { store: 'none', mode: 'async', op: async () => verify(), rates: [] },
  ];
  const stores: [RevocationBenchRow['store'], () => RevocationStore][] = [
    ['memory', () => memoryStore()],
    ['sqlite', () => sqliteStore({ path: join(dir, 'bench.db') })],
  ];
  if (redis === undefined) skipped.push({ store: 'redis', reason: `no redisUrl and no ${REDIS_SERVER}` });
  else stores.push(['redis', () => redisStore({ url: redis.url }, { namespace: `bench${process.pid}` })]);

  const lists: RevocationList[] = [];
  try {
    for (const [name, create] of stores) {
      try {
        const l = createRevocationList({ store: create() });
        lists.push(l);
        await l.ready();
        await Promise.all(
          Array.from({ length: entries }, (_, i) => l.revoke({ jti: `revoked-${i}`, exp: now + 3600 })),
        );
        await l.revokeSubject('user-0', { issuedBefore: now - 3600 });
        live.push({
          store: name,
          mode: 'sync',
          op: (c) => {
            verify();
            return l.isRevokedSync(c);
          },
          rates: [],
        });
        live.push({
          store: name,
          mode: 'async',
          op: (c) => {
            verify();
            return l.isRevoked(c);
          },
          rates: [],
        });
      } catch (e) {
        skipped.push({ store: name, reason: e instanceof Error ? e.message : String(e) });
      }
    }
    const roundMs = durationMs / rounds;
    for (const row of live) await measure(Math.min(roundMs, 50), row.op, claims, clock); // warm-up
    for (let r = 0; r < rounds; r++) {
      for (let k = 0; k < live.length; k++) {
        const row = live[(k + r) % live.length]!;
        row.rates.push(await measure(roundMs, row.op, claims, clock));
      }
    }
  } finally {
    await Promise.allSettled(lists.map((l) => l.close()));
    await redis?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const rows = live.map((row): RevocationBenchRow => {
    const base = live.find((b) => b.store === 'none' && b.mode === row.mode)!;
    const ratios = row.rates.map((rate, i) => rate / base.rates[i]!);
    const ratio = median(ratios);
    return {
      store: row.store,
      mode: row.mode,
      opsPerSec: median(row.rates),
      ratio,
      spread: (Math.max(...ratios) - Math.min(...ratios)) / ratio,
    };
  });
  return { durationMs, entries, rows, skipped };
}
