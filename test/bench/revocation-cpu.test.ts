import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

// Keeps bench/revocation-cpu.js from rotting: two rounds of a few verifies, two labels of the same build; no timing
// assertions, only that every row reports a rate and a ratio over the rows without a list.

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('bench/revocation-cpu.js (smoke run)', () => {
  it('prints a rate and a paired ratio for each row', async () => {
    if (!existsSync(join(root, 'dist', 'index.js'))) throw new Error('dist/ is missing: run npm run build first');
    const args = ['bench/revocation-cpu.js', '--rounds', '2', '--ops', '2000', '--memory', 'a=dist', 'b=dist'];
    const { stdout } = await promisify(execFile)(process.execPath, args, { cwd: root, timeout: 60_000 });
    const rows = stdout
      .split('\n')
      .map((l) => /^(.+?)\s+([\d,]+)\/s\s+ratio (\d+\.\d{3}) \(rounds (\d+\.\d{3})–(\d+\.\d{3})\)$/.exec(l))
      .filter((m) => m !== null)
      .map((m) => ({ label: m[1]!.trim(), rate: Number(m[2]!.replaceAll(',', '')), ratio: Number(m[3]) }));
    expect(rows.map((r) => r.label)).toEqual(['no list', 'sqlite (a)', 'memory (a)', 'sqlite (b)', 'memory (b)']);
    for (const r of rows) expect(r.rate > 0 && r.ratio > 0, r.label).toBe(true);
    expect(rows[0]!.ratio).toBe(1);
  }, 90_000);
});
