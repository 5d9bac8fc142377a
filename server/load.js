// `npm run load`: autocannon against the demo service (server/main.js) in a child process on 127.0.0.1, with a
// fresh SQLite data folder. Rows: GET /me with valid access tokens (ES256 verification, RFC 9068 checks and the
// SQLite revocation check), the same answer without authentication (GET /bench/no-auth, JOT_BENCH=1), and
// POST /token (password grant: one scrypt per request). Bounded: LOAD_SECONDS per row (default 5).
// Prints Markdown rows for BENCHMARKS.md.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';

const SECONDS = Number(process.env.LOAD_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.LOAD_CONNECTIONS ?? 16);
const TOKENS = 20;
if (!(SECONDS > 0 && SECONDS <= 60) || !(CONNECTIONS > 0 && CONNECTIONS <= 512)) {
  console.error('LOAD_SECONDS must be in (0, 60] and LOAD_CONNECTIONS in (0, 512]');
  process.exit(2);
}

const dataDir = mkdtempSync(join(os.tmpdir(), 'jot-load-'));
const child = spawn(process.execPath, [join(import.meta.dirname, 'main.js')], {
  env: { ...process.env, PORT: '0', JOT_DATA_DIR: dataDir, JOT_LOG: '0', JOT_BENCH: '1' },
  stdio: ['ignore', 'pipe', 'inherit'],
});
const base = await new Promise((resolve, reject) => {
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (c) => {
    out += c;
    const m = /jot demo service on (http:\/\/127\.0\.0\.1:\d+)\//.exec(out);
    if (m) resolve(m[1]);
  });
  child.once('exit', (code) => reject(new Error(`the service exited with ${code}`)));
});

const form = 'grant_type=password&username=demo&password=demo&scope=profile';
async function login() {
  const r = await fetch(`${base}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form,
  });
  if (r.status !== 200) throw new Error(`login failed: ${r.status}`);
  return (await r.json()).access_token;
}
const tokens = [];
for (let i = 0; i < TOKENS; i++) tokens.push(await login());

function row(name, result) {
  const errors = result.errors + result.timeouts + result.non2xx;
  return `| ${name} | ${Math.round(result.requests.average).toLocaleString('en-US')} | ${result.latency.p50} | ${result.latency.p99} | ${errors} |`;
}

async function measure(options) {
  return autocannon({ connections: CONNECTIONS, duration: SECONDS, ...options });
}

let next = 0;
const rows = [];
try {
  rows.push(
    row(
      `GET /me, ${TOKENS} valid tokens, SQLite revocation check`,
      await measure({
        url: `${base}/me`,
        requests: [
          {
            setupRequest: (req) => {
              next = (next + 1) % TOKENS;
              return { ...req, headers: { ...req.headers, authorization: `Bearer ${tokens[next]}` } };
            },
          },
        ],
      }),
    ),
  );
  rows.push(
    row('GET /bench/no-auth (same answer, no authentication)', await measure({ url: `${base}/bench/no-auth` })),
  );
  rows.push(
    row(
      'POST /token, password grant (scrypt N=2^15)',
      await measure({
        url: `${base}/token`,
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: form,
        connections: 4, // scrypt runs on libuv's 4 threads: more connections only queue
      }),
    ),
  );
} finally {
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
  rmSync(dataDir, { recursive: true, force: true });
}

console.log(
  `node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), ${CONNECTIONS} connections, ${SECONDS} s per row`,
);
console.log('');
console.log('| route | requests/s | p50 ms | p99 ms | errors |');
console.log('| --- | ---: | ---: | ---: | ---: |');
for (const r of rows) console.log(r);
