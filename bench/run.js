#!/usr/bin/env node
// `npm run bench`: jot against jose, jsonwebtoken, fast-jwt, @node-rs/jsonwebtoken and the node:crypto floor.
//
//   node bench/run.js [--only <group id part>] [--out <file.md>] [--json <file.json>] [--no-write] [--update-benchmarks]
//   BENCH_QUICK=1 node bench/run.js      a short run (about a minute), printed only unless --out is given
//   BENCH_SMOKE=1 node bench/run.js      tiny iteration counts, for the smoke test
//   BENCH_CLOCK=cpu node bench/run.js    time rows run one call at a time by process CPU time (a busy machine)
//
// A full run writes its report to bench/results/latest.md (ignored by git); with --update-benchmarks it rewrites the
// generated part of the tracked BENCHMARKS.md instead (`npm run bench -- --update-benchmarks`). The process re-spawns itself with --expose-gc and a
// large young generation, which the allocation figures need.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const NODE_FLAGS = ['--expose-gc', '--max-semi-space-size=128'];
const self = fileURLToPath(import.meta.url);

if (typeof globalThis.gc !== 'function') {
  const child = spawnSync(process.execPath, [...process.execArgv, ...NODE_FLAGS, self, ...process.argv.slice(2)], {
    stdio: 'inherit',
  });
  process.exit(child.status ?? 1);
}

const root = resolve(dirname(self), '..');
const { addRatios, markdownReport, textReport, updateBenchmarksMd } = await import('./report.js');
const { runSuite } = await import('./suite.js');

function parseArgs(argv) {
  const o = { write: true, updateBenchmarks: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--only' || a === '--out' || a === '--json') {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      o[a.slice(2)] = v;
    } else if (a === '--no-write') o.write = false;
    else if (a === '--update-benchmarks') o.updateBenchmarks = true;
    else throw new Error(`unknown argument ${a}`);
  }
  return o;
}

const args = parseArgs(process.argv.slice(2));
const profileName = process.env.BENCH_SMOKE === '1' ? 'smoke' : process.env.BENCH_QUICK === '1' ? 'quick' : 'full';
if (!existsSync(join(root, 'dist', 'index.js'))) {
  console.error('dist/ is missing: run `npm run build` first (npm run bench does).');
  process.exit(2);
}

const log = profileName === 'smoke' || args.json === '-' ? () => {} : (line) => console.error(line);
const clock = process.env.BENCH_CLOCK === 'cpu' ? 'cpu' : 'wall';
const results = addRatios(await runSuite({ root, profileName, clock, only: args.only, log }));

let env = profileName === 'quick' ? 'BENCH_QUICK=1 ' : profileName === 'smoke' ? 'BENCH_SMOKE=1 ' : '';
if (clock === 'cpu') env = `BENCH_CLOCK=cpu ${env}`;
const command =
  process.env.npm_lifecycle_event === 'bench'
    ? `${env}npm run bench`
    : `${env}node bench/run.js${process.argv.length > 2 ? ` ${process.argv.slice(2).join(' ')}` : ''}`;

if (args.json === '-') process.stdout.write(`${JSON.stringify(results)}\n`);
else {
  console.log(textReport(results));
  if (args.json !== undefined) writeFileSync(args.json, `${JSON.stringify(results, null, 2)}\n`);
}

const out =
  args.out ??
  (args.updateBenchmarks
    ? join(root, 'BENCHMARKS.md')
    : profileName === 'full' && args.only === undefined
      ? join(root, 'bench', 'results', 'latest.md')
      : undefined);
if (out !== undefined && args.write) {
  const previous = existsSync(out) ? readFileSync(out, 'utf8') : undefined;
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, updateBenchmarksMd(previous, markdownReport(results, command)));
  log(`wrote ${out}`);
}

const broken = results.groups.flatMap((g) =>
  g.rows.filter((r) => r.error !== undefined).map((r) => `${g.title}: ${r.label}`),
);
if (results.revocation?.error !== undefined) broken.push(`revocation: ${results.revocation.error}`);
if (results.coldStart?.error !== undefined) broken.push(`cold start: ${results.coldStart.error}`);
if (broken.length > 0) {
  console.error(`rows that failed their check:\n  ${broken.join('\n  ')}`);
  process.exitCode = 1;
}
