// Startup time of the jot binary beside `node -e 0`: medians of N interleaved spawns (wall time), and
// the CPU time (user + system) of the same N runs, which a busy machine disturbs less.
// Usage: npm run build && node scripts/cli-startup.js [N]
import { spawnSync } from 'node:child_process';

const TOK =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';
const cases = {
  'node -e 0': ['-e', '0'],
  'jot --version': ['bin/jot.js', '--version'],
  'jot decode': ['bin/jot.js', 'decode', TOK],
};
const N = Number(process.argv[2] ?? 20);
const wall = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
for (let i = 0; i < N; i++) {
  for (const [k, a] of Object.entries(cases)) {
    const t = process.hrtime.bigint();
    spawnSync(process.execPath, a, { stdio: 'ignore' });
    wall[k].push(Number(process.hrtime.bigint() - t) / 1e6);
  }
}
/** CPU seconds (user + system) of N runs, from bash's `times` (children's totals). */
function cpu(args) {
  const quoted = [process.execPath, ...args].map((a) => `'${a}'`).join(' ');
  const out = spawnSync('bash', ['-c', `for i in $(seq ${N}); do ${quoted} >/dev/null; done; times`], {
    encoding: 'utf8',
  });
  const line = out.stdout.trim().split('\n')[1] ?? '';
  const secs = [...line.matchAll(/(\d+)m([\d.]+)s/g)].reduce((s, m) => s + Number(m[1]) * 60 + Number(m[2]), 0);
  return (secs * 1000) / N;
}
const med = (a) => a.sort((x, y) => x - y)[a.length >> 1];
const base = med([...wall['node -e 0']]);
const cpuBase = cpu(cases['node -e 0']);
for (const [k, a] of Object.entries(cases)) {
  const m = med([...wall[k]]);
  const c = k === 'node -e 0' ? cpuBase : cpu(a);
  console.log(
    `${k.padEnd(14)} wall median ${m.toFixed(1)} ms (+${(m - base).toFixed(1)})  min ${Math.min(...wall[k]).toFixed(1)} ms  cpu ${c.toFixed(1)} ms (+${(c - cpuBase).toFixed(1)})`,
  );
}
