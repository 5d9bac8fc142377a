/**
 * Timing in tests without flaky absolute wall-clock bounds.
 *
 * - Work bounds (a hostile input refused "before any work") are measured in CPU time of this process, all threads
 *   included (node's thread pool too): descheduling on a loaded machine does not count, real work does.
 * - Propagation between processes is wall-clock by nature: a bound holds for the 90th percentile of several
 *   samples, and every sample stays under a hard ceiling, so one descheduled sample on a busy CI machine cannot
 *   fail the run while a slow mechanism still does.
 */
import { expect } from 'vitest';

/** CPU milliseconds (user + system, every thread of the process) spent while `fn` runs, and its outcome. */
export async function cpuMs<T>(fn: () => T | Promise<T>): Promise<{ ms: number; result: T | Error }> {
  const before = process.cpuUsage();
  let result: T | Error;
  try {
    result = await fn();
  } catch (e) {
    result = e as Error;
  }
  const used = process.cpuUsage(before);
  return { ms: (used.user + used.system) / 1000, result };
}

/**
 * Propagation bound for wall-clock samples: the median is under `limit` ms and none exceeds `ceiling` ms. A wall
 * clock on a loaded machine (CI beside other jobs, two cores) deschedules a process for hundreds of milliseconds now
 * and then, so a single slow sample says nothing about the design; a median over the limit, or any sample over the
 * ceiling (what polling on a long interval would give), does.
 */
export function expectPropagation(samples: readonly number[], limit: number, ceiling = 2000): void {
  const sorted = [...samples].sort((a, b) => a - b);
  const median = sorted[Math.floor((sorted.length - 1) / 2)]!;
  expect(median, `median of ${samples.length} samples (${sorted.map((s) => s.toFixed(1)).join(', ')})`).toBeLessThan(
    limit,
  );
  expect(sorted[sorted.length - 1]!, 'slowest sample').toBeLessThan(ceiling);
}
