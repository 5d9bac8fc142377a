// HTTP authentication benchmark (`npm run bench:http`): autocannon against real servers on 127.0.0.1, one child
// process per framework and algorithm. Each jot route beside the same route unauthenticated and beside the
// framework's usual JWT middleware, with the same key, token and claims checks (exp, iss, aud, algorithm).
//
// Environment: BENCH_HTTP_SECONDS (per round, default 2), BENCH_HTTP_ROUNDS (default 3), BENCH_HTTP_CONNECTIONS
// (default 32), BENCH_HTTP_PIPELINING (default 8: enough requests in flight to keep the server busy, so that rates
// measure its CPU per request rather than round trips). Argument: framework names to run (default all). Rows of one server are measured in interleaved
// rounds in a rotating order; rps is the median round, p50/p99 the median of the rounds' percentiles, and ratios are paired (the median
// of the per-round ratios).
import { fork } from 'node:child_process';
import { createPublicKey, randomBytes, verify as cryptoVerify } from 'node:crypto';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { exportJwk, exportPem, generateKeyPair, importKey, signJwt } from '../dist/index.js';

const SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? 2);
const ROUNDS = Number(process.env.BENCH_HTTP_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_HTTP_CONNECTIONS ?? 32);
const PIPELINING = Number(process.env.BENCH_HTTP_PIPELINING ?? 8);
const FRAMEWORKS = ['node:http', 'express', 'fastify', 'hono'];
const USUAL = { 'node:http': 'jsonwebtoken', express: 'express-jwt', fastify: '@fastify/jwt', hono: 'hono/jwt' };
const only = process.argv.slice(2).filter((a) => FRAMEWORKS.includes(a));
const ISS = 'https://idp.example';
const AUD = 'https://api.example';

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const secret = [...randomBytes(32)].map((b) => alphabet[b % alphabet.length]).join('');
const es = await generateKeyPair('ES256');
const cfg = {
  ISS,
  AUD,
  secret,
  publicPem: await exportPem(es.publicKey),
  privatePem: await exportPem(es.privateKey),
  publicJwk: { ...(await exportJwk(es.publicKey)), alg: 'ES256' },
};
const claims = { sub: 'user-42', scope: 'orders:read orders:write', name: 'Ada Lovelace', admin: false };
const signOptions = { issuer: ISS, audience: AUD, expiresIn: 3600, typ: 'JWT' };
const hsKey = await importKey(new TextEncoder().encode(secret), { alg: 'HS256' });
const tokens = {
  HS256: await signJwt(claims, hsKey, signOptions),
  ES256: await signJwt(claims, es.privateKey, signOptions),
};
/** The token with the (well-formed) signature of another token: every route must answer 401. */
const swap = (t, other) => t.slice(0, t.lastIndexOf('.')) + other.slice(other.lastIndexOf('.'));
const forged = {
  HS256: swap(tokens.HS256, await signJwt({ ...claims, sub: 'x' }, hsKey, signOptions)),
  ES256: swap(tokens.ES256, await signJwt({ ...claims, sub: 'x' }, es.privateKey, signOptions)),
};

/** One ES256 verification per request is the physical limit of an uncached ES256 route: its rate on one thread. */
function es256VerifyRate() {
  const key = createPublicKey(cfg.publicPem);
  const t = tokens.ES256;
  const dot = t.lastIndexOf('.');
  const input = Buffer.from(t.slice(0, dot));
  const sig = Buffer.from(t.slice(dot + 1), 'base64url');
  const opts = { key, dsaEncoding: 'ieee-p1363' };
  let n = 0;
  const end = performance.now() + 1000;
  while (performance.now() < end) {
    for (let i = 0; i < 50; i++) cryptoVerify('sha256', input, opts, sig);
    n += 50;
  }
  return n;
}

function startServer(framework, alg) {
  const child = fork(new URL('./http-server.js', import.meta.url), [framework, alg], {
    env: { ...process.env, JOT_BENCH_CONFIG: JSON.stringify(cfg) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (m) => resolve({ child, origin: `http://127.0.0.1:${m.port}` }));
    child.once('exit', (code) => reject(new Error(`${framework} server exited with ${code}`)));
  });
}

function cannon(url, token, duration) {
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url,
        connections: CONNECTIONS,
        pipelining: PIPELINING,
        duration,
        headers: { authorization: `Bearer ${token}` },
      },
      (e, r) => (e ? reject(e) : resolve(r)),
    );
  });
}

async function check(origin, path, token, bad) {
  const res = await fetch(origin + path, { headers: { authorization: `Bearer ${token}` } });
  const text = await res.text();
  if (res.status !== 200 || !text.includes('"sub"')) throw new Error(`${origin}${path}: ${res.status} ${text}`);
  if (path !== '/none') {
    const r = await fetch(origin + path, { headers: { authorization: `Bearer ${bad}` } });
    if (r.status !== 401) throw new Error(`${path} answered ${r.status} to a bad signature`);
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

async function measure(framework, alg) {
  const { child, origin } = await startServer(framework, alg);
  const token = tokens[alg];
  const routes = ['/none', '/jot', '/jot-cached', '/usual'];
  try {
    for (const r of routes) await check(origin, r, token, forged[alg]);
    // Every route gets the same request, Authorization header included (the unauthenticated one ignores it), so the
    // ratios measure authentication, not the bytes of the header.
    for (const r of routes) await cannon(origin + r, token, 1); // warm-up
    const samples = Object.fromEntries(routes.map((r) => [r, []]));
    for (let round = 0; round < ROUNDS; round++) {
      const order = routes.map((_, i) => routes[(i + round) % routes.length]);
      for (const r of order) samples[r].push(await cannon(origin + r, token, SECONDS));
    }
    const out = {};
    for (const r of routes) {
      const rates = samples[r].map((x) => x.requests.average);
      out[r] = {
        rates,
        rps: median(rates),
        p50: median(samples[r].map((x) => x.latency.p50)),
        p99: median(samples[r].map((x) => x.latency.p99)),
        errors: samples[r].reduce((n, x) => n + x.errors + x.timeouts + x.non2xx, 0),
      };
    }
    return out;
  } finally {
    child.disconnect();
    child.kill();
  }
}

const started = new Date();
const limit = es256VerifyRate();
const rows = [];
for (const framework of only.length > 0 ? only : FRAMEWORKS) {
  for (const alg of ['HS256', 'ES256']) {
    const m = await measure(framework, alg);
    const none = m['/none'];
    // Paired ratios: the median over rounds of the ratio of two rows' rates in that round. A round's rows ran
    // seconds apart, so a burst of load from elsewhere touches both; the ratio of two medians would not cancel it.
    const paired = (a, b) => median(a.rates.map((x, i) => x / b.rates[i]));
    const add = (label, r, vsUsual) =>
      rows.push({
        framework,
        alg,
        label,
        ...r,
        ofNone: paired(r, none),
        ofUsual: vsUsual ? paired(r, m['/usual']) : undefined,
      });
    add('no authentication', none, false);
    add('jot', m['/jot'], true);
    add('jot, verified-token cache', m['/jot-cached'], true);
    add(USUAL[framework], m['/usual'], false);
    process.stderr.write(`${framework} ${alg} done\n`);
  }
}

const fmt = (n) => Math.round(n).toLocaleString('en-US');
const ratio = (x) => (x === undefined ? '' : `${x.toFixed(2)}×`);
const lines = [
  `Run of ${started.toISOString()}: ${ROUNDS} interleaved rounds of ${SECONDS} s per row, ${CONNECTIONS} connections × ${PIPELINING} pipelined requests,`,
  `autocannon in the parent process, each server in its own child process (Node ${process.version},`,
  `${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, load average before ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ')}).`,
  `Physical limit of an uncached ES256 route: one ES256 verification per request, ${fmt(limit)} verifications/s on one thread.`,
  '',
  '| framework | alg | route | req/s | p50 ms | p99 ms | errors | × unauthenticated | × usual middleware |',
  '| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...rows.map(
    (r) =>
      `| ${r.framework} | ${r.alg} | ${r.label} | ${fmt(r.rps)} | ${r.p50} | ${r.p99} | ${r.errors} | ${ratio(r.ofNone)} | ${ratio(r.ofUsual)} |`,
  ),
];
console.log(lines.join('\n'));
