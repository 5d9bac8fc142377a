// Issue 19's SQLite revocation target in CPU time: HS256 verifySync + isRevokedSync on an SQLite list, over the
// same verifySync without a list, in paired, interleaved rounds timed by process.cpuUsage() in one process (load on
// the other core barely moves it; a wall clock on a shared machine does).
//
//   npm run build && node bench/revocation-cpu.js [--rounds 21] [--ops 30000] [--memory] [label=distDir ...]
//
// Each `label=distDir` (default `after=dist`) is a build of jot whose sqliteStore is measured, so two builds (e.g. a
// copy of dist/ made before a change) are compared in the same rounds. Every build's list holds 10,000 revoked jtis
// and one subject cut-off; the lookups cycle through 1,024 claim sets, one in ten revoked (as bench/revocation.ts).
// A round runs every row once, in a rotating order; each row's ratio is its verifies per CPU second over the rate
// without a list in the same round. Prints, per row, the median ratio and its min–max over the rounds.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const ISS = 'https://issuer.example';
const AUD = 'api.example';
const ENTRIES = 10_000;

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  if (i < 0) return fallback;
  const [value] = args.splice(i, 2).slice(1);
  return Number(value);
};
const rounds = option('--rounds', 21);
const ops = option('--ops', 30_000);
const withMemory = args.includes('--memory');
const builds = args
  .filter((a) => !a.startsWith('--'))
  .map((a) => {
    const [label, dir] = a.includes('=') ? a.split('=') : [a, a];
    return { label, dir: resolve(dir) };
  });
if (builds.length === 0) builds.push({ label: 'after', dir: resolve('dist') });

const load = (dir, entry) => import(pathToFileURL(join(dir, entry)).href);
const jot = await load(builds[0].dir, 'index.js');
const key = await jot.importKey(new Uint8Array(randomBytes(32)), { alg: 'HS256' });
const token = jot.createSigner({ key, issuer: ISS, audience: AUD, expiresIn: 3600 }).signSync({ sub: 'user-1' });
const verifier = jot.createVerifier({ key, algorithms: ['HS256'], issuer: ISS, audience: AUD });
const verify = () => verifier.verifySync(token);

const now = Math.floor(Date.now() / 1000);
const claims = Array.from({ length: 1024 }, (_, i) => ({
  jti: i % 10 === 0 ? `revoked-${(i * 7919) % ENTRIES}` : `live-${i}`,
  sub: `user-${i % 97}`,
  iat: now - 60,
  exp: now + 3600,
}));

const tmp = mkdtempSync(join(tmpdir(), 'jot-bench-revocation-cpu-'));
const lists = [];
/** A list over `store`, filled; its row verifies and looks up. */
async function listRow(label, list) {
  lists.push(list);
  await list.ready();
  await Promise.all(Array.from({ length: ENTRIES }, (_, i) => list.revoke({ jti: `revoked-${i}`, exp: now + 3600 })));
  await list.revokeSubject('user-0', { issuedBefore: now - 3600 });
  let revoked = 0;
  for (const c of claims) if (list.isRevokedSync(c)) revoked++;
  if (revoked === 0) throw new Error(`${label}: no revoked token found`);
  return {
    label,
    op: (i) => {
      verify();
      return list.isRevokedSync(claims[i & 1023]);
    },
  };
}

const rows = [{ label: 'no list', op: () => verify() }];
try {
  for (const { label, dir } of builds) {
    const revocation = await load(dir, 'revocation/index.js');
    const store = revocation.sqliteStore({ path: join(tmp, `${label}.db`) });
    rows.push(await listRow(`sqlite (${label})`, revocation.createRevocationList({ store })));
    if (withMemory) rows.push(await listRow(`memory (${label})`, revocation.createRevocationList()));
  }

  const cpuMs = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const yieldNow = () => new Promise((r) => setImmediate(r));
  /** Verifies per CPU second over `ops` calls (yielding every 20 ms of CPU so that timers run, as a server would). */
  async function measure(op) {
    let spent = 0;
    let started = cpuMs();
    let mark = started;
    for (let i = 0; i < ops; i++) {
      op(i);
      if ((i & 1023) === 1023) {
        const t = cpuMs();
        if (t - mark > 20) {
          spent += t - started;
          await yieldNow();
          started = mark = cpuMs();
        }
      }
    }
    spent += cpuMs() - started;
    return (ops * 1000) / spent;
  }

  for (const row of rows) {
    row.rates = [];
    for (let i = 0; i < 3; i++) await measure(row.op); // warm-up
  }
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < rows.length; k++) {
      const row = rows[(k + r) % rows.length];
      row.rates.push(await measure(row.op));
    }
  }
  const median = (v) => {
    const s = [...v].sort((a, b) => a - b);
    return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  };
  console.log(`${rounds} rounds of ${ops} verifies per row, CPU time (process.cpuUsage), node ${process.version}`);
  for (const row of rows) {
    const ratios = row.rates.map((rate, i) => rate / rows[0].rates[i]);
    const rate = Math.round(median(row.rates)).toLocaleString('en-US');
    const range = `${Math.min(...ratios).toFixed(3)}–${Math.max(...ratios).toFixed(3)}`;
    console.log(`${row.label.padEnd(20)} ${rate.padStart(9)}/s  ratio ${median(ratios).toFixed(3)} (rounds ${range})`);
  }
} finally {
  await Promise.allSettled(lists.map((l) => l.close()));
  rmSync(tmp, { recursive: true, force: true });
}
