// CPU time of jot's HTTP layer per request, without sockets: `authenticate()` of a node-style request, and each
// adapter's hook (withAuth, Express middleware, Fastify hook, Hono middleware) called with hand-made request and
// response objects, in a tight loop. Sockets and frameworks are left out on purpose: what remains is what jot adds
// to a request. Compares builds paired and interleaved in one process: each dist directory given is loaded once, and
// every round times every case of every build in a rotating order (CPU time of this process, process.cpuUsage).
//
// Usage: node --expose-gc bench/http-layer.js [DIST ...]   (default: ./dist; build first: node scripts/build.js)
//   BENCH_LAYER_ROUNDS (default 15), BENCH_LAYER_ITERATIONS (calls per case per round, default 4000),
//   BENCH_LAYER_ONLY (time only the cases whose name contains it: one case per process measures the monomorphic
//   best case; all cases in one process, the default, is closer to a server whose code sees many request shapes)
// Prints, per case and build, the median and min–max µs per call over the rounds, and with two builds the median
// of the paired ratios (second / first) per case.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const dists = (process.argv.length > 2 ? process.argv.slice(2) : ['dist']).map((d) => resolve(d));
const ROUNDS = Number(process.env.BENCH_LAYER_ROUNDS ?? 15);
const N = Number(process.env.BENCH_LAYER_ITERATIONS ?? 4000);
const ISS = 'https://idp.example';
const AUD = 'api';
const HOST = '127.0.0.1:3000';

async function load(dist) {
  const url = (p) => pathToFileURL(`${dist}/${p}`).href;
  const [core, http, express, fastify, hono] = await Promise.all(
    ['index.js', 'http/index.js', 'http/express.js', 'http/fastify.js', 'http/hono.js'].map((p) => import(url(p))),
  );
  return { core, http, express, fastify, hono };
}

/** One token per algorithm, signed by the first build (a token is data: every build verifies it). */
async function tokens(core) {
  const now = Math.floor(Date.now() / 1000);
  const claims = { sub: 'user-1', scope: 'read write', name: 'A. User', admin: false, iat: now, exp: now + 86_400 };
  const opts = { issuer: ISS, audience: AUD };
  const secret = new TextEncoder().encode('a-32-character-secret-for-hs256!');
  const es = await core.generateKeyPair('ES256');
  const esPublic = await core.exportJwk(es.publicKey);
  return {
    secret,
    esPublic,
    HS256: await core.signJwt(claims, await core.importKey(secret, { alg: 'HS256' }), { alg: 'HS256', ...opts }),
    ES256: await core.signJwt(claims, es.privateKey, { alg: 'ES256', ...opts }),
  };
}

const noop = () => {};
const chain = function () {
  return this;
};

/** The cases of one build: name -> async function doing one authenticated request. */
async function cases(m, t) {
  const hsKey = await m.core.importKey(t.secret, { alg: 'HS256' });
  const esKey = await m.core.importKey(t.esPublic, { alg: 'ES256' });
  const configs = {
    'HS256 uncached': [{ key: hsKey, algorithms: ['HS256'], issuer: ISS, audience: AUD }, t.HS256],
    'HS256 cache': [{ key: hsKey, algorithms: ['HS256'], issuer: ISS, audience: AUD, cache: { max: 1000 } }, t.HS256],
    'ES256 cache': [{ key: esKey, algorithms: ['ES256'], issuer: ISS, audience: AUD, cache: { max: 1000 } }, t.ES256],
  };
  const out = {};
  for (const [label, [options, token]] of Object.entries(configs)) {
    const authorization = `Bearer ${token}`;
    const headers = {
      host: HOST,
      'user-agent': 'bench',
      accept: '*/*',
      authorization,
    };
    const rawHeaders = ['Host', HOST, 'User-Agent', 'bench', 'Accept', '*/*', 'Authorization', authorization];
    const nodeReq = () => ({ method: 'GET', url: '/jot', headers, rawHeaders, socket: {} });
    const res = { setHeader: noop, writeHead: chain, end: noop };
    let seen = 0;
    const check = (r) => {
      if (r?.ok !== true) throw new Error(`${label}: not authenticated (${r?.error})`);
    };
    // authenticate() of a node-style request (what withAuth and the Express and Fastify adapters pass)
    const auth = m.http.createAuthenticator(options);
    const plain = { method: 'GET', url: '/jot', headers };
    out[`${label} authenticate()`] = async () => check(await auth.authenticate(plain));
    // withAuth
    const wrapped = m.http.withAuth(() => seen++, options);
    out[`${label} withAuth`] = () => wrapped(nodeReq(), res);
    // Express middleware (answers through next)
    const mw = m.express.jotAuth(options);
    out[`${label} express`] = () =>
      new Promise((done, fail) => {
        const req = { ...nodeReq(), originalUrl: '/jot', protocol: 'http' };
        mw(req, res, (e) => (e === undefined && req.auth !== undefined ? done() : fail(e ?? new Error('no auth'))));
      });
    // Fastify hook
    const hook = m.fastify.jotHook(options);
    const reply = { code: chain, headers: chain, header: chain, type: chain, send: chain };
    out[`${label} fastify`] = async () => {
      const request = { raw: nodeReq(), url: '/jot', protocol: 'http', auth: null };
      await hook(request, reply);
      if (request.auth === null) throw new Error('fastify: no auth');
    };
    // Hono middleware, with a real Fetch Headers (what @hono/node-server gives)
    const honoMw = m.hono.jotAuth(options);
    const honoHeaders = new Headers(headers);
    const next = async () => {};
    out[`${label} hono`] = async () => {
      let set = false;
      const c = {
        req: { method: 'GET', url: `http://${HOST}/jot`, raw: { headers: honoHeaders } },
        header: noop,
        set: () => {
          set = true;
        },
        body: () => undefined,
      };
      await honoMw(c, next);
      if (!set) throw new Error('hono: no auth');
    };
    // Every case must authenticate before it is timed.
    for (const [name, fn] of Object.entries(out)) if (name.startsWith(label)) await fn();
    await wrapped(nodeReq(), res);
    if (seen === 0) throw new Error('withAuth: handler not called');
  }
  return out;
}

async function timeCase(fn) {
  globalThis.gc?.();
  const before = process.cpuUsage();
  for (let i = 0; i < N; i++) await fn();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / N; // µs per call
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
};

const builds = [];
for (const d of dists) builds.push(await load(d));
const t = await tokens(builds[0].core);
const perBuild = [];
for (const b of builds) perBuild.push(await cases(b, t));
const only = process.env.BENCH_LAYER_ONLY;
const names = Object.keys(perBuild[0]).filter((n) => only === undefined || n.includes(only));
// warm-up: every case of every build
for (const c of perBuild) for (const n of names) for (let i = 0; i < 500; i++) await c[n]();

const samples = perBuild.map(() => Object.fromEntries(names.map((n) => [n, []])));
for (let r = 0; r < ROUNDS; r++) {
  for (let k = 0; k < names.length; k++) {
    const n = names[k];
    const order = builds.map((_, i) => (i + r + k) % builds.length);
    for (const i of order) samples[i][n].push(await timeCase(perBuild[i][n]));
  }
}

const fmt = (x) => x.toFixed(2);
console.log(
  `${ROUNDS} rounds × ${N} calls per case, CPU µs per call (median, min–max); node ${process.version}; ` +
    `load average ${(await import('node:os'))
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(' / ')}`,
);
console.log(dists.map((d, i) => `build ${i}: ${d}`).join('\n'));
const head = ['case', ...dists.map((_, i) => `build ${i}`)];
if (builds.length === 2) head.push('ratio 1/0 (median, min–max)');
console.log(`| ${head.join(' | ')} |`);
console.log(`| ${head.map(() => '---').join(' | ')} |`);
for (const n of names) {
  const cells = samples.map((s) => `${fmt(median(s[n]))} (${fmt(Math.min(...s[n]))}–${fmt(Math.max(...s[n]))})`);
  if (builds.length === 2) {
    const ratios = samples[0][n].map((a, i) => samples[1][n][i] / a);
    cells.push(`${fmt(median(ratios))}× (${fmt(Math.min(...ratios))}–${fmt(Math.max(...ratios))})`);
  }
  console.log(`| ${n} | ${cells.join(' | ')} |`);
}
