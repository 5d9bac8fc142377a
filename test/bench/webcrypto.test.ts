import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

// Keeps `npm run bench:web` (bench/webcrypto.js on jot's web build) from rotting: a run with tiny rounds
// (BENCH_SMOKE=1), asserting the shape of its table only, never a time or a ratio's value.

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const run = (env: Record<string, string>) =>
  promisify(execFile)(process.execPath, ['--conditions=browser', 'bench/webcrypto.js'], {
    cwd: root,
    env: { ...process.env, BENCH_SECONDS: '', BENCH_ROUNDS: '', BENCH_CLOCK: '', ...env },
    timeout: 120_000,
  });

const NUMBER = /^\d{1,3}(,\d{3})*$/;
const ROWS = ['HS256', 'ES256', 'RS256', 'PS256', 'Ed25519'].flatMap((alg) => [`${alg} verify`, `${alg} sign`]);

function table(stdout: string) {
  const lines = stdout.trim().split('\n');
  const body = lines.filter((l) => l.startsWith('| ') && !l.startsWith('| algorithm'));
  return {
    title: lines[0] ?? '',
    head: lines.find((l) => l.startsWith('| algorithm')),
    rows: body.map((l) =>
      l
        .split('|')
        .slice(1, -1)
        .map((c) => c.trim()),
    ),
  };
}

describe('npm run bench:web (smoke run)', () => {
  let cpu: Awaited<ReturnType<typeof run>>;
  let wall: Awaited<ReturnType<typeof run>>;

  beforeAll(async () => {
    if (!existsSync(join(root, 'dist', 'browser', 'index.js')))
      throw new Error('dist/ is missing: run npm run build first');
    cpu = await run({ BENCH_SMOKE: '1' });
    wall = await run({ BENCH_SMOKE: '1', BENCH_CLOCK: 'wall' });
  }, 240_000);

  it('names the runtime, the interleaved rounds and the clock', () => {
    expect(table(cpu.stdout).title).toMatch(
      /^node v\d+\.\d+\.\d+, WebCrypto \(globalThis\.crypto\.subtle\), one call at a time, 2 interleaved rounds of \d+ ms per library per row, process CPU time$/,
    );
    expect(table(wall.stdout).title).toMatch(/, wall clock$/);
  });

  it('prints one row per algorithm and operation: two rates, the median ratio and its range over the rounds', () => {
    for (const out of [cpu, wall]) {
      const t = table(out.stdout);
      expect(t.head).toBe('| algorithm | op | jot web ops/s | jose ops/s | jot / jose | min–max over rounds |');
      expect(t.rows.map((r) => `${r[0]} ${r[1]}`)).toEqual(ROWS);
      for (const [, , jotOps, joseOps, ratio, range] of t.rows) {
        expect(jotOps).toMatch(NUMBER);
        expect(joseOps).toMatch(NUMBER);
        expect(ratio).toMatch(/^\d+\.\d\dx$/);
        const m = /^(\d+\.\d\d)–(\d+\.\d\d)x$/.exec(range ?? '');
        expect(m, range).not.toBeNull();
        // The median of the rounds' ratios lies within their range (each printed to two decimals).
        const [lo, hi, mid] = [Number(m?.[1]), Number(m?.[2]), Number.parseFloat(ratio ?? '')];
        expect(lo).toBeLessThanOrEqual(mid);
        expect(mid).toBeLessThanOrEqual(hi);
      }
      expect(out.stderr).toBe('');
    }
  });

  it('refuses the node build', async () => {
    const refused = await promisify(execFile)(process.execPath, ['bench/webcrypto.js'], { cwd: root }).catch(
      (e: { code?: number; stderr?: string }) => e,
    );
    expect((refused as { code?: number }).code).toBe(2);
    expect((refused as { stderr?: string }).stderr).toContain('--conditions=browser');
  });
});
