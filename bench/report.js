// Ratios, the printed table and the BENCHMARKS.md section of a run.
import { pairedRatio } from './lib.js';
import { checkTargets } from './targets.js';

/**
 * Adds to every group `floorOps` (its floor row: the same operation run synchronously on one thread) and
 * `bestPeer`, and to every row `xFloor` and `xPeer` (paired ratios).
 */
export function addRatios(results) {
  for (const g of results.groups) {
    const floor = g.rows.find((r) => r.kind === 'floor' && r.opsPerSec > 0);
    g.floorOps = floor?.opsPerSec;
    let best;
    for (const r of g.rows) if (r.kind === 'peer' && r.opsPerSec > 0 && !(best?.opsPerSec >= r.opsPerSec)) best = r;
    g.bestPeer = best === undefined ? undefined : { label: best.label, opsPerSec: best.opsPerSec };
    for (const r of g.rows) {
      if (!(r.opsPerSec > 0)) continue;
      if (floor) r.xFloor = pairedRatio(r, floor);
      if (best) r.xPeer = pairedRatio(r, best);
    }
  }
  results.targets = checkTargets(results);
  return results;
}

export function fmtOps(n) {
  if (!(n > 0)) return '–';
  return n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(1);
}
const fmtUs = (n) => {
  if (!(n > 0)) return '–';
  const us = 1e6 / n;
  return us.toFixed(us >= 100 ? 0 : us >= 10 ? 1 : 2);
};
const fmtX = (x) => (x === undefined ? '–' : `${x.toFixed(2)}×`);
const fmtSpread = (s) => (s === undefined ? '–' : `${(s * 100).toFixed(0)}%`);
const fmtBytes = (b) =>
  Number.isFinite(b) ? `${Math.round(b).toLocaleString('en-US')} B` : 'n/a (run with --expose-gc)';

/** One table row per result row: [operation, implementation, ops/s, µs/op, spread, × floor, × best peer]. */
function cells(g, r, first) {
  const op = first ? g.title : '';
  if (r.na !== undefined) return [op, r.label, `n/a: ${r.na}`, '', '', '', ''];
  if (r.error !== undefined) return [op, r.label, `ERROR: ${r.error}`, '', '', '', ''];
  const label = r.kind === 'ref' ? `${r.label} (reference)` : r.label;
  return [op, label, fmtOps(r.opsPerSec), fmtUs(r.opsPerSec), fmtSpread(r.spread), fmtX(r.xFloor), fmtX(r.xPeer)];
}

const HEAD = ['operation', 'implementation', 'ops/s (median)', 'µs/op', 'spread', '× floor', '× best peer'];

function resultRows(results) {
  const rows = [];
  for (const g of results.groups) for (const [i, r] of g.rows.entries()) rows.push(cells(g, r, i === 0));
  return rows;
}

function textTable(head, rows) {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (r) => r.map((c, i) => String(c).padEnd(widths[i])).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function mdTable(head, rows) {
  const esc = (c) => String(c).replaceAll('|', '\\|');
  return [
    `| ${head.join(' | ')} |`,
    `| ${head.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`),
  ].join('\n');
}

function targetRows(results, all) {
  return results.targets
    .filter((t) => all || !t.peerRow || !t.holds)
    .map((t) => [
      t.holds ? 'holds' : '**missed**',
      t.target,
      t.measured === undefined
        ? '–'
        : t.unit === '×'
          ? `${t.measured.toFixed(3)}×`
          : `${Math.round(t.measured).toLocaleString('en-US')}${t.unit}`,
    ]);
}

function memoryRows(results) {
  return (results.memory?.perVerify ?? []).map((r) => [r.label, fmtBytes(r.bytes)]);
}

function growthRows(results) {
  return (results.memory?.growth ?? []).map((g) => [
    g.label,
    g.calls.toLocaleString('en-US'),
    fmtBytes(g.before),
    fmtBytes(g.after),
    fmtBytes(g.growth),
  ]);
}

function revocationRows(results) {
  const rev = results.revocation;
  if (rev === undefined) return [];
  const rows = rev.rows.map((r) => [
    r.store,
    r.mode,
    fmtOps(r.opsPerSec),
    fmtX(r.ratio),
    r.spread === undefined ? '' : `${Math.round(r.spread * 100)}%`,
  ]);
  for (const s of rev.skipped ?? []) rows.push([s.store, '', `n/a: ${s.reason}`, '', '']);
  if (rev.error !== undefined) rows.push(['(all)', '', `ERROR: ${rev.error}`, '', '']);
  return rows;
}

function coldStartRows(results) {
  const cold = results.coldStart;
  if (cold === undefined) return [];
  if (cold.error !== undefined) return [['(all)', `ERROR: ${cold.error}`, '', '', '', '']];
  const best = Math.min(...cold.rows.filter((r) => r.kind === 'peer').map((r) => r.ms));
  return cold.rows.map((r) => [
    r.label,
    r.ms.toFixed(1),
    `${Math.round(r.spread * 100)}%`,
    r.cpuMs === undefined ? '' : r.cpuMs.toFixed(1),
    Number.isFinite(best) && best > 0 ? `${(r.ms / best).toFixed(2)}×` : '',
    String(r.samples.length),
  ]);
}

const COLD_HEAD = [
  'import + first HS256 verify',
  'ms (median − node -e 0)',
  'spread',
  'CPU ms in the child',
  '× fastest peer',
  'starts',
];

const GROWTH_HEAD = ['verifier', 'verifies', 'heap before', 'heap after', 'growth'];
const REVOCATION_HEAD = ['store', 'mode', 'verifies/s', '× no revocation', 'spread of the ratio'];

/** The console report. */
export function textReport(results) {
  const m = results.meta;
  const out = [
    `jot benchmark, ${m.date}, Node ${m.node}, ${m.cpu} × ${m.cores}, profile ${m.profile}, ${m.timing.clock} clock, ${m.seconds} s`,
    '',
    textTable(HEAD, resultRows(results)),
  ];
  if (results.memory) {
    out.push('', textTable(['heap bytes per HS256 verify', 'bytes'], memoryRows(results)));
    out.push('', textTable(GROWTH_HEAD, growthRows(results)));
  }
  if (results.revocation)
    out.push('', 'Revocation (HS256 verifySync + lookup)', textTable(REVOCATION_HEAD, revocationRows(results)));
  if (results.coldStart) {
    const base = results.coldStart.baselineMs;
    const title = `Cold start (fresh processes; node -e 0 = ${base === undefined ? '?' : base.toFixed(1)} ms, subtracted)`;
    out.push('', title, textTable(COLD_HEAD, coldStartRows(results)));
  }
  out.push('', textTable(['', 'target', 'measured'], targetRows(results, false)));
  const missed = results.targets.filter((t) => !t.holds).length;
  out.push('', `${results.targets.length - missed} of ${results.targets.length} targets hold`);
  return out.join('\n');
}

const clockNote = (c) =>
  c === 'cpu'
    ? 'rows run one call at a time timed by process CPU time (rows with 64 in flight by the wall clock)'
    : 'wall-clock time';
const load = (l) => l.map((x) => x.toFixed(2)).join(' / ');

/** The generated part of BENCHMARKS.md. */
export function markdownReport(results, command) {
  const m = results.meta;
  const v = m.versions;
  const missed = results.targets.filter((t) => !t.holds).length;
  return [
    `Run of ${m.date} (${m.seconds} s), profile \`${m.profile}\`: warm-up ${m.timing.warmupMs} ms, then`,
    `${m.timing.rounds} interleaved rounds of ${m.timing.roundMs} ms per row, ${clockNote(m.timing.clock)}.`,
    '',
    `- Command: \`${command}\``,
    `- Node ${m.node} (V8 ${m.v8}), CPU: ${m.cpu}, ${m.cores} cores, libuv thread pool ${m.threadPool}`,
    `- Load average (1/5/15 min) before: ${load(m.loadBefore)}, after: ${load(m.loadAfter)}`,
    `- Versions: jot ${v.jot}, jose ${v.jose}, jsonwebtoken ${v.jsonwebtoken}, fast-jwt ${v['fast-jwt']}, @node-rs/jsonwebtoken ${v['@node-rs/jsonwebtoken']}`,
    '',
    `### Targets (${results.targets.length - missed} of ${results.targets.length} hold)`,
    '',
    mdTable(['', 'target', 'measured'], targetRows(results, true)),
    '',
    '### Results',
    '',
    'The rows of a group run in interleaved rounds. `× floor` is the median over the rounds of the ratio to the',
    "group's floor row (the same operation on node:crypto, run synchronously on one thread, also for the async, ×64",
    'and cached groups); `× best peer` likewise against the fastest other library of the group (by median).',
    '`spread` is (max − min) / median of a row over the rounds.',
    '',
    mdTable(HEAD, resultRows(results)),
    '',
    '### Memory',
    '',
    mdTable(['heap bytes allocated per HS256 verify', 'bytes'], memoryRows(results)),
    '',
    mdTable(GROWTH_HEAD, growthRows(results)),
    '',
    '### Revocation',
    '',
    'From `bench/revocation.ts`: a precompiled HS256 `verifySync` plus one revocation lookup per operation.',
    '',
    mdTable(REVOCATION_HEAD, revocationRows(results)),
    '',
    '### Cold start',
    '',
    'From `bench/cold-start.js`: a fresh `node` imports the library, prepares the HS256 secret and verifies one',
    `token (exp, iss, aud); the median wall time of ${results.coldStart?.starts ?? '?'} interleaved starts per row, minus the median of`,
    `\`node -e 0\` (${results.coldStart?.baselineMs?.toFixed(1) ?? '?'} ms). \`spread\` is (max − min) / median of the raw starts; the CPU`,
    'column is the median of what each child reported (`process.cpuUsage()` from its first line to the verified token).',
    '',
    mdTable(COLD_HEAD, coldStartRows(results)),
  ].join('\n');
}

export const GENERATED_START = '<!-- bench:generated:start -->';
export const GENERATED_END = '<!-- bench:generated:end -->';

/** BENCHMARKS.md with the generated part replaced (the hand-written notes around it are kept). */
export function updateBenchmarksMd(previous, generated) {
  const block = `${GENERATED_START}\n${generated}\n${GENERATED_END}`;
  if (previous === undefined) {
    return `# Benchmarks\n\nProduced by \`npm run bench\` (bench/run.js).\n\n${block}\n`;
  }
  const a = previous.indexOf(GENERATED_START);
  const b = previous.indexOf(GENERATED_END);
  if (a < 0 || b < a) return `${previous.trimEnd()}\n\n${block}\n`;
  return previous.slice(0, a) + block + previous.slice(b + GENERATED_END.length);
}
