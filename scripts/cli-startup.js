// Startup time of the jot binary beside `node -e 0` (medians of N interleaved spawns): node scripts/cli-startup.js [N]. Needs npm run build.
import { spawnSync } from 'node:child_process';
const TOK = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';
const cases = { 'node -e 0': ['-e', '0'], 'jot --version': ['bin/jot.js', '--version'], 'jot decode': ['bin/jot.js', 'decode', TOK] };
const times = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
const N = Number(process.argv[2] ?? 20);
for (let i = 0; i < N; i++) for (const [k, a] of Object.entries(cases)) {
  const t = process.hrtime.bigint(); spawnSync(process.execPath, a, { stdio: 'ignore' }); times[k].push(Number(process.hrtime.bigint() - t) / 1e6);
}
const med = (a) => a.sort((x, y) => x - y)[a.length >> 1];
const base = med(times['node -e 0']);
for (const [k, v] of Object.entries(times)) console.log(`${k.padEnd(14)} median ${med(v).toFixed(1)} ms  min ${Math.min(...v).toFixed(1)} ms  (+${(med(v) - base).toFixed(1)} ms)`);
