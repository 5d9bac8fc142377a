// Measurement primitives for `npm run bench`: warm-up, rounds, medians and spread.
//
// `measureGroup` is what the runner uses: the rows of one comparison (say, every library's HS256 verify) are
// measured in interleaved rounds (round 1 of every row, then round 2, ...), in a rotating order, so drift and
// background load hit every row alike and the ratios between rows stay honest.
import { performance } from 'node:perf_hooks';

/**
 * Options: roundMs per round, rounds count, warmupMs, and the clock: 'wall' (default) or 'cpu', the process's CPU
 * time (user + system, every thread), which a busy machine disturbs far less. The clock applies to rows run one
 * call at a time; rows with several calls in flight measure throughput, so they always use the wall clock.
 */
export const DEFAULTS = Object.freeze({ roundMs: 400, rounds: 5, warmupMs: 200, clock: 'wall' });

const wallMs = () => performance.now();
function cpuMs() {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}
const clockOf = (opts, concurrency = 1) => (opts.clock === 'cpu' && concurrency === 1 ? cpuMs : wallMs);

/** Median, spread ((max - min) / median), min and max of a list of rates (kept, in round order, as `rates`). */
export function stats(rates) {
  const sorted = [...rates].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  const spread = median > 0 ? (sorted[sorted.length - 1] - sorted[0]) / median : 0;
  return { median, spread, min: sorted[0], max: sorted[sorted.length - 1], rounds: rates.length, rates: [...rates] };
}

/**
 * The ratio of two rows of one group: the median of the per-round ratios. The rounds of a group interleave its rows,
 * so each round's pair ran close together and a change of background load touches both: far steadier than the ratio
 * of two medians on a busy machine.
 */
export function pairedRatio(a, b) {
  const ratios = pairedRatios(a, b);
  return ratios.length === 0 ? a.opsPerSec / b.opsPerSec : stats(ratios).median;
}

/** The per-round ratios of two rows of one group, in round order (`a.rates[i] / b.rates[i]`). */
export function pairedRatios(a, b) {
  const n = Math.min(a.rates?.length ?? 0, b.rates?.length ?? 0);
  const ratios = [];
  for (let i = 0; i < n; i++) ratios.push(a.rates[i] / b.rates[i]);
  return ratios;
}

/** Calls of `fn` per timing check: enough that reading the clock costs nothing, few enough to stop on time. */
function calibrateSync(fn, warmupMs, targetMs, clock) {
  let batch = 1;
  const warmEnd = clock() + warmupMs;
  do {
    const t0 = clock();
    for (let i = 0; i < batch; i++) fn();
    if (clock() - t0 < targetMs / 2 && batch < 1 << 16) batch *= 2;
  } while (clock() < warmEnd);
  return batch;
}

function roundSync(fn, batch, ms, clock) {
  let n = 0;
  const start = clock();
  const end = start + ms;
  let now = start;
  do {
    for (let i = 0; i < batch; i++) fn();
    n += batch;
    now = clock();
  } while (now < end);
  return (n * 1000) / (now - start);
}

/** One batch of an async function: `concurrency` calls in flight (1 = one at a time), awaited together. */
async function batchAsync(fn, concurrency) {
  if (concurrency === 1) {
    await fn();
    return;
  }
  const inFlight = new Array(concurrency);
  for (let i = 0; i < concurrency; i++) inFlight[i] = fn();
  await Promise.all(inFlight);
}

async function calibrateAsync(fn, concurrency, warmupMs, targetMs, clock) {
  let batch = 1;
  const warmEnd = clock() + warmupMs;
  do {
    const t0 = clock();
    for (let i = 0; i < batch; i++) await batchAsync(fn, concurrency);
    if (clock() - t0 < targetMs / 2 && batch < 1 << 14) batch *= 2;
  } while (clock() < warmEnd);
  return batch;
}

async function roundAsync(fn, concurrency, batch, ms, clock) {
  let n = 0;
  const start = clock();
  const end = start + ms;
  let now = start;
  do {
    for (let i = 0; i < batch; i++) await batchAsync(fn, concurrency);
    n += batch * concurrency;
    now = clock();
  } while (now < end);
  return (n * 1000) / (now - start);
}

/** Ops/s of a synchronous function. */
export function measureSync(fn, opts = DEFAULTS) {
  const clock = clockOf(opts);
  const batch = calibrateSync(fn, opts.warmupMs, Math.max(0.5, opts.roundMs / 20), clock);
  const rates = [];
  for (let r = 0; r < opts.rounds; r++) rates.push(roundSync(fn, batch, opts.roundMs, clock));
  return stats(rates);
}

/** Ops/s of an async function, with `concurrency` calls in flight (1 = one at a time). */
export async function measureAsync(fn, opts = DEFAULTS, concurrency = 1) {
  const clock = clockOf(opts, concurrency);
  const batch = await calibrateAsync(fn, concurrency, opts.warmupMs, Math.max(0.5, opts.roundMs / 20), clock);
  const rates = [];
  for (let r = 0; r < opts.rounds; r++) rates.push(await roundAsync(fn, concurrency, batch, opts.roundMs, clock));
  return stats(rates);
}

/**
 * Ops/s of several rows measured side by side. Each entry: `{ fn, async?: boolean, concurrency?: number }`.
 * Every row is warmed up and calibrated first, then the rounds interleave the rows in a rotating order.
 * Returns one stats object per entry, in order.
 */
export async function measureGroup(entries, opts = DEFAULTS) {
  const targetMs = Math.max(0.5, opts.roundMs / 20);
  const clocks = entries.map((e) => clockOf(opts, e.async ? (e.concurrency ?? 1) : 1));
  const batches = [];
  for (const [i, e] of entries.entries()) {
    batches.push(
      e.async
        ? await calibrateAsync(e.fn, e.concurrency ?? 1, opts.warmupMs, targetMs, clocks[i])
        : calibrateSync(e.fn, opts.warmupMs, targetMs, clocks[i]),
    );
  }
  const rates = entries.map(() => []);
  for (let r = 0; r < opts.rounds; r++) {
    for (let k = 0; k < entries.length; k++) {
      const i = (k + r) % entries.length;
      const e = entries[i];
      rates[i].push(
        e.async
          ? await roundAsync(e.fn, e.concurrency ?? 1, batches[i], opts.roundMs, clocks[i])
          : roundSync(e.fn, batches[i], opts.roundMs, clocks[i]),
      );
    }
  }
  return rates.map(stats);
}

/** Calls that fit in `budget` bytes of young generation, from a first estimate of bytes per call. */
function callsFor(perCall, wanted, budget) {
  if (!(perCall > 0)) return wanted;
  return Math.max(Math.min(50, wanted), Math.min(wanted, Math.floor(budget / perCall)));
}

/**
 * Heap bytes allocated per call of a synchronous function. Run node with `--expose-gc` and a young
 * generation large enough that no scavenge happens inside a sample (`--max-semi-space-size=128`).
 */
export function bytesPerCall(fn, calls = 5_000, samples = 7) {
  if (typeof globalThis.gc !== 'function') return Number.NaN;
  for (let i = Math.min(2_000, calls); i > 0; i--) fn();
  const sample = (n) => {
    globalThis.gc();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < n; i++) fn();
    return (process.memoryUsage().heapUsed - before) / n;
  };
  const n = callsFor(sample(Math.min(100, calls)), calls, 48 * 1024 * 1024);
  const per = [];
  for (let s = 0; s < samples; s++) per.push(sample(n));
  return stats(per).median;
}

/** Heap bytes allocated per call of an async function, awaited one at a time (same flags as bytesPerCall). */
export async function bytesPerCallAsync(fn, calls = 5_000, samples = 7) {
  if (typeof globalThis.gc !== 'function') return Number.NaN;
  for (let i = Math.min(500, calls); i > 0; i--) await fn();
  const sample = async (n) => {
    globalThis.gc();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < n; i++) await fn();
    return (process.memoryUsage().heapUsed - before) / n;
  };
  const n = callsFor(await sample(Math.min(100, calls)), calls, 48 * 1024 * 1024);
  const per = [];
  for (let s = 0; s < samples; s++) per.push(await sample(n));
  return stats(per).median;
}
