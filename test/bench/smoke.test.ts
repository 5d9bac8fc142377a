import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

// Keeps the benchmark code from rotting: bench/run.js with tiny iteration counts (BENCH_SMOKE=1), no timing
// assertions. Every row must produce a number, or say why it cannot ("n/a" with a reason).

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

interface Row {
  lib: string;
  label: string;
  kind: 'jot' | 'peer' | 'floor' | 'ref';
  na?: string;
  error?: string;
  opsPerSec?: number;
  spread?: number;
}
interface Group {
  id: string;
  title: string;
  rows: Row[];
  floorOps?: number;
}
interface Results {
  meta: { node: string; cpu: string; cores: number; profile: string };
  groups: Group[];
  memory: {
    perVerify: { label: string; bytes: number }[];
    growth: { label: string; calls: number; growth: number }[];
  };
  revocation: {
    error?: string;
    rows: { store: string; mode: string; opsPerSec: number; ratio: number; spread: number }[];
    skipped: { store: string; reason: string }[];
  };
  coldStart: {
    error?: string;
    baselineMs: number;
    rows: { lib: string; kind: string; ms: number; cpuMs: number; samples: number[] }[];
  };
  targets: { target: string; measured: number | undefined; holds: boolean }[];
}

const positive = (n: unknown) => typeof n === 'number' && Number.isFinite(n) && n > 0;

describe('npm run bench (smoke run)', () => {
  let results: Results;

  beforeAll(async () => {
    if (!existsSync(join(root, 'dist', 'index.js'))) throw new Error('dist/ is missing: run npm run build first');
    const { stdout } = await promisify(execFile)(process.execPath, ['bench/run.js', '--json', '-'], {
      cwd: root,
      env: { ...process.env, BENCH_SMOKE: '1', BENCH_QUICK: '' },
      maxBuffer: 64 * 1024 * 1024,
      timeout: 170_000,
    });
    results = JSON.parse(stdout) as Results;
  }, 180_000);

  it('runs the smoke profile and records the machine', () => {
    expect(results.meta.profile).toBe('smoke');
    expect(results.meta.node).toBe(process.version);
    expect(results.meta.cores).toBeGreaterThan(0);
  });

  it('covers every operation, algorithm and mode of the issue', () => {
    const ids = new Set(results.groups.map((g) => g.id));
    for (const alg of ['HS256', 'RS256', 'PS256', 'ES256', 'EdDSA']) {
      for (const mode of ['sync', 'async', 'x64']) {
        expect(ids).toContain(`jwt.sign.${alg}.${mode}`);
        expect(ids).toContain(`jwt.verify.${alg}.${mode}`);
      }
      expect(ids).toContain(`jwt.verify.${alg}.cached`);
    }
    expect(ids).toContain('jwt.decode');
    expect(ids).toContain('keyset.verify.ES256.async');
    expect(ids).toContain('keyset.revoked-kid.HS256.sync');
    for (const alg of ['dir', 'A256KW', 'RSA-OAEP-256', 'ECDH-ES+A256KW']) {
      for (const op of ['encrypt', 'decrypt', 'encrypt-jwt', 'decrypt-jwt']) expect(ids).toContain(`jwe.${op}.${alg}`);
    }
    const libs = new Set(results.groups.flatMap((g) => g.rows.map((r) => r.lib)));
    for (const lib of ['jot', 'jose', 'jsonwebtoken', 'fast-jwt', '@node-rs/jsonwebtoken', 'floor']) {
      expect(libs).toContain(lib);
    }
  });

  it('gives every row a number, or n/a with a reason', () => {
    for (const g of results.groups) {
      expect(g.rows.length, g.title).toBeGreaterThan(0);
      expect(positive(g.floorOps), `${g.title}: floor`).toBe(true);
      for (const r of g.rows) {
        const where = `${g.title}: ${r.label}`;
        expect(r.error, where).toBeUndefined();
        if (r.na !== undefined) {
          expect(r.na.length, where).toBeGreaterThan(0);
          expect(r.opsPerSec, where).toBeUndefined();
        } else {
          expect(positive(r.opsPerSec), where).toBe(true);
          expect(Number.isFinite(r.spread), where).toBe(true);
        }
      }
    }
  });

  it('measures heap bytes per verify and heap growth', () => {
    expect(results.memory.perVerify.length).toBeGreaterThanOrEqual(4);
    for (const r of results.memory.perVerify) expect(Number.isFinite(r.bytes), r.label).toBe(true);
    expect(results.memory.growth.length).toBeGreaterThan(0);
    for (const g of results.memory.growth) {
      expect(g.calls, g.label).toBeGreaterThan(0);
      expect(Number.isFinite(g.growth), g.label).toBe(true);
    }
  });

  it('includes the revocation rows (or says why a store was skipped)', () => {
    expect(results.revocation.error).toBeUndefined();
    expect(results.revocation.rows.some((r) => r.store === 'none')).toBe(true);
    for (const r of results.revocation.rows) {
      expect(positive(r.opsPerSec), `${r.store} ${r.mode}`).toBe(true);
      expect(Number.isFinite(r.ratio), `${r.store} ${r.mode}`).toBe(true);
    }
    for (const s of results.revocation.skipped) expect(s.reason.length, s.store).toBeGreaterThan(0);
    // Issue 19: the SQLite row (its store is installed as a dev dependency, so it is never skipped).
    for (const mode of ['sync', 'async']) {
      const sqlite = results.revocation.rows.find((r) => r.store === 'sqlite' && r.mode === mode);
      expect(positive(sqlite?.ratio), `sqlite ${mode}`).toBe(true);
      expect(Number.isFinite(sqlite?.spread), `sqlite ${mode}`).toBe(true);
    }
    expect(results.targets.some((t) => t.target.startsWith('revocation on sqlite'))).toBe(true);
  });

  it('times the cold start of jot and its peers in fresh processes', () => {
    expect(results.coldStart.error).toBeUndefined();
    expect(positive(results.coldStart.baselineMs)).toBe(true);
    expect(results.coldStart.rows.map((r) => r.lib)).toEqual(['jot', 'jose', 'fast-jwt', 'jsonwebtoken']);
    for (const r of results.coldStart.rows) {
      expect(Number.isFinite(r.ms), r.lib).toBe(true);
      expect(positive(r.cpuMs), r.lib).toBe(true); // the child's own CPU time, reported with its "ok"
      expect(r.samples.length, r.lib).toBeGreaterThan(0);
    }
    expect(results.targets.some((t) => t.target.startsWith('cold start'))).toBe(true);
  });

  it('evaluates every target against a measured figure', () => {
    expect(results.targets.length).toBeGreaterThan(20);
    for (const t of results.targets) expect(Number.isFinite(t.measured), t.target).toBe(true);
  });
});

describe('cold-start target', () => {
  const cold = (peerMs: number, peerSamples: number[]) => ({
    groups: [],
    coldStart: {
      rows: [
        { kind: 'jot', ms: 5, samples: [70, 72, 74] },
        { kind: 'peer', ms: peerMs, samples: peerSamples },
        { kind: 'peer', ms: 9, samples: [80, 81, 90] },
      ],
    },
  });
  const target = async (results: object) => {
    // @ts-expect-error: plain JavaScript module of the bench
    const { checkTargets } = await import('../../bench/targets.js');
    const all = checkTargets(results) as { target: string; measured: number | undefined; holds: boolean }[];
    return all.find((t) => t.target.startsWith('cold start'))!;
  };

  it('is jot over the fastest peer, both minus node -e 0', async () => {
    expect(await target(cold(4, [60, 69, 75]))).toMatchObject({ measured: 1.25, holds: false });
  });

  it('falls back to the raw median starts when noise puts a peer at or below node -e 0', async () => {
    const t = await target(cold(-1, [60, 76, 77]));
    expect(t.measured).toBeCloseTo(72 / 76, 12);
    expect(t.holds).toBe(true);
  });
});
