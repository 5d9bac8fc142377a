// The README's algorithm x runtime table is exactly what scripts/runtime-table.js makes of the runtime tests'
// records (test/runtimes/results/), which the runtime tests check against each run.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain JavaScript build script, no types
import { runtimeTable, TABLE_BEGIN, TABLE_END } from '../../scripts/runtime-table.js';
import { RUNTIMES, readRecord, ROOT } from './harness.js';

describe('the README runtime table', () => {
  it('equals the table generated from the latest runtime records', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const a = readme.indexOf(TABLE_BEGIN);
    const b = readme.indexOf(TABLE_END);
    expect(a).toBeGreaterThan(0);
    expect(b).toBeGreaterThan(a);
    const hint = 'regenerate it: node scripts/runtime-table.js --readme';
    expect(readme.slice(a + TABLE_BEGIN.length, b).trim(), hint).toBe(runtimeTable());
  });

  it('has one record per runtime, each with a result for every row of the Node record or a reason', () => {
    const rows = Object.keys(readRecord('node').algorithms!);
    expect(rows.length).toBeGreaterThan(40);
    for (const [name] of RUNTIMES) {
      const r = readRecord(name);
      if (r.tested) expect(Object.keys(r.algorithms!)).toEqual(rows);
      else expect(r.why!.length).toBeGreaterThan(10);
    }
  });
});
