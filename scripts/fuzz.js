#!/usr/bin/env node
/**
 * The long fuzz run (`npm run fuzz`): every target of scripts/fuzz-targets.js against the build in dist/ (run
 * `npm run build` first). It reports every input on which something other than a JotError with a documented code
 * escaped, and every mutated token that verified or decrypted; it exits with status 1 if there was any.
 *
 * Environment:
 *   FUZZ_RUNS     total cases, shared evenly by the targets (default 1,000,000)
 *   FUZZ_SEED     base seed (default: the time); each target and worker derives its own from it
 *   FUZZ_WORKERS  worker threads (default 1)
 *   FUZZ_TARGETS  comma-separated target names (default: all)
 *   FUZZ_REPORT   a file to write the JSON summary to
 *   FUZZ_SLOW_MS  a case taking longer is a finding too (default 2000): every call must return in bounded time
 */
import { existsSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import fc from 'fast-check';
import { createTargets } from './fuzz-targets.js';

const CHUNK = 2_000;
const SLOW_MS = Number(process.env.FUZZ_SLOW_MS ?? 2000);
const KEEP = 10;

async function loadLibrary() {
  const root = new URL('../dist/', import.meta.url);
  if (!existsSync(new URL('index.js', root))) {
    console.error('dist/ is missing: run `npm run build` first');
    process.exit(2);
  }
  const modules = await Promise.all(
    ['index.js', 'jwt/index.js', 'jwe/index.js', 'keyset/index.js'].map((p) => import(new URL(p, root).href)),
  );
  return Object.assign({}, ...modules);
}

function envInt(name, dflt) {
  const v = process.env[name];
  if (v === undefined || v === '') return dflt;
  const n = Number(v.replace(/_/g, ''));
  if (!Number.isSafeInteger(n) || n < 1) {
    console.error(`${name} must be a positive integer`);
    process.exit(2);
  }
  return n;
}

/** Run `runs` cases of `target` from `seed`, in chunks; `progress(done)` after each chunk. */
async function runTarget(target, runs, seed, progress) {
  const findings = [];
  let found = 0;
  let done = 0;
  for (let chunk = 0; done < runs; chunk++) {
    const numRuns = Math.min(CHUNK, runs - done);
    const chunkSeed = (seed + chunk * 7919) | 0;
    const property = fc.asyncProperty(target.arbitrary, async (input) => {
      const t0 = performance.now();
      let finding = await target.check(input);
      const ms = performance.now() - t0;
      if (finding === undefined && ms > SLOW_MS) finding = `slow: ${ms.toFixed(0)} ms`;
      if (finding !== undefined) {
        found++;
        if (findings.length < KEEP) findings.push({ seed: chunkSeed, finding });
      }
      return true;
    });
    const r = await fc.check(property, { numRuns, seed: chunkSeed });
    if (r.failed) {
      found++;
      findings.push({ seed: chunkSeed, finding: `harness: ${String(r.errorInstance ?? r.error)}` });
    }
    done += numRuns;
    progress(numRuns);
  }
  return { cases: done, found, findings };
}

async function work({ runsPerTarget, seed, names, index }, report) {
  const lib = await loadLibrary();
  const targets = (await createTargets(lib, fc)).filter((t) => names === undefined || names.includes(t.name));
  const results = {};
  for (const [i, t] of targets.entries()) {
    results[t.name] = await runTarget(
      t,
      runsPerTarget[t.name] ?? 0,
      (seed + 1_000_003 * i + 104_729 * index) | 0,
      (n) => report({ progress: n, target: t.name }),
    );
  }
  return results;
}

if (!isMainThread) {
  const results = await work(workerData, (m) => parentPort.postMessage(m));
  parentPort.postMessage({ results });
} else {
  const total = envInt('FUZZ_RUNS', 1_000_000);
  const seed = envInt('FUZZ_SEED', Date.now() % 2_147_483_647);
  const workers = Math.min(envInt('FUZZ_WORKERS', 1), availableParallelism() * 2);
  const names = process.env.FUZZ_TARGETS ? process.env.FUZZ_TARGETS.split(',') : undefined;
  const lib = await loadLibrary();
  const all = (await createTargets(lib, fc)).map((t) => t.name).filter((n) => names === undefined || names.includes(n));
  if (all.length === 0) {
    console.error('no fuzz target selected');
    process.exit(2);
  }
  const per = Math.floor(total / all.length);
  const shares = Array.from({ length: workers }, () => ({}));
  for (const [i, name] of all.entries()) {
    const n = per + (i < total - per * all.length ? 1 : 0);
    for (let w = 0; w < workers; w++) shares[w][name] = Math.floor(n / workers) + (w < n % workers ? 1 : 0);
  }
  const started = Date.now();
  const date = new Date(started).toISOString();
  console.log(
    `jot fuzz: ${total.toLocaleString('en')} cases, ${all.length} targets, ${workers} worker(s), seed ${seed}`,
  );
  let done = 0;
  let lastPrint = 0;
  const onProgress = (m) => {
    done += m.progress;
    const now = Date.now();
    if (now - lastPrint > 30_000 || done === total) {
      lastPrint = now;
      const rate = done / ((now - started) / 1000);
      console.log(
        `  ${done.toLocaleString('en')} / ${total.toLocaleString('en')} (${m.target}), ${rate.toFixed(0)} cases/s`,
      );
    }
  };
  const parts = await Promise.all(
    shares.map(
      (runsPerTarget, index) =>
        new Promise((resolve, reject) => {
          const data = { runsPerTarget, seed, names: all, index };
          if (workers === 1) {
            work(data, onProgress).then(resolve, reject);
            return;
          }
          const w = new Worker(new URL(import.meta.url), { workerData: data });
          w.on('message', (m) => (m.results ? resolve(m.results) : onProgress(m)));
          w.on('error', reject);
          w.on('exit', (code) => code !== 0 && reject(new Error(`worker exited with ${code}`)));
        }),
    ),
  );
  const targets = {};
  for (const part of parts) {
    for (const [name, r] of Object.entries(part)) {
      const t = (targets[name] ??= { cases: 0, found: 0, findings: [] });
      t.cases += r.cases;
      t.found += r.found;
      t.findings.push(...r.findings.slice(0, KEEP - t.findings.length));
    }
  }
  const cases = Object.values(targets).reduce((n, t) => n + t.cases, 0);
  const findings = Object.values(targets).reduce((n, t) => n + t.found, 0);
  const summary = {
    date,
    command: `FUZZ_RUNS=${total} FUZZ_SEED=${seed} FUZZ_WORKERS=${workers} npm run fuzz`,
    node: process.version,
    seed,
    workers,
    cases,
    durationSeconds: Math.round((Date.now() - started) / 100) / 10,
    escapes: Object.values(targets).reduce(
      (n, t) => n + t.findings.filter((f) => f.finding.startsWith('escape')).length,
      0,
    ),
    findings,
    targets: Object.fromEntries(Object.entries(targets).map(([n, t]) => [n, { cases: t.cases, findings: t.found }])),
  };
  for (const [name, t] of Object.entries(targets)) {
    for (const f of t.findings) console.log(`FINDING ${name} (seed ${f.seed}): ${f.finding}`);
  }
  console.log(JSON.stringify(summary, null, 2));
  if (process.env.FUZZ_REPORT) writeFileSync(process.env.FUZZ_REPORT, `${JSON.stringify(summary, null, 2)}\n`);
  process.exit(findings === 0 ? 0 : 1);
}
