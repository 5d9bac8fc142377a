// Measurement primitives for `npm run bench`: warm-up, rounds, medians and spread.
import { performance } from 'node:perf_hooks';

/** Options: roundMs per round, rounds count, warmupMs. */
export const DEFAULTS = Object.freeze({ roundMs: 400, rounds: 5, warmupMs: 200 });

function stats(rates) {
  const sorted = [...rates].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  const spread = median > 0 ? (sorted[sorted.length - 1] - sorted[0]) / median : 0;
  return { median, spread, min: sorted[0], max: sorted[sorted.length - 1] };
}

/** Ops/s of a synchronous function. */
export function measureSync(fn, opts = DEFAULTS) {
  let batch = 1;
  const warmEnd = performance.now() + opts.warmupMs;
  while (performance.now() < warmEnd) {
    for (let i = 0; i < batch; i++) fn();
    if (batch < 1024) batch *= 2;
  }
  const rates = [];
  for (let r = 0; r < opts.rounds; r++) {
    let n = 0;
    const start = performance.now();
    const end = start + opts.roundMs;
    let now = start;
    while (now < end) {
      for (let i = 0; i < batch; i++) fn();
      n += batch;
      now = performance.now();
    }
    rates.push((n * 1000) / (now - start));
  }
  return stats(rates);
}

/** Ops/s of an async function, with `concurrency` calls in flight (1 = one at a time). */
export async function measureAsync(fn, opts = DEFAULTS, concurrency = 1) {
  const runFor = async (ms) => {
    let n = 0;
    const start = performance.now();
    const end = start + ms;
    let now = start;
    while (now < end) {
      if (concurrency === 1) await fn();
      else {
        const batch = new Array(concurrency);
        for (let i = 0; i < concurrency; i++) batch[i] = fn();
        await Promise.all(batch);
      }
      n += concurrency;
      now = performance.now();
    }
    return (n * 1000) / (now - start);
  };
  await runFor(opts.warmupMs);
  const rates = [];
  for (let r = 0; r < opts.rounds; r++) rates.push(await runFor(opts.roundMs));
  return stats(rates);
}

/**
 * Heap bytes allocated per call of a synchronous function. Run node with `--expose-gc` and a young
 * generation large enough that no scavenge happens inside a sample (`--max-semi-space-size=128`).
 */
export function bytesPerCall(fn, calls = 5_000, samples = 7) {
  if (typeof globalThis.gc !== 'function') return Number.NaN;
  for (let i = 0; i < 2_000; i++) fn();
  const per = [];
  for (let s = 0; s < samples; s++) {
    globalThis.gc();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < calls; i++) fn();
    per.push((process.memoryUsage().heapUsed - before) / calls);
  }
  return stats(per).median;
}
