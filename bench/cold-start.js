// Cold start (issue 19): the time a fresh process takes to import a library and verify its first token, for jot,
// jose, fast-jwt and jsonwebtoken. Each start is a new `node` running one ES module (`-e`), which imports the
// library, prepares the HS256 secret the way that library takes it, verifies one token (exp, iss, aud and the
// algorithm checked, as in every other row) and prints "ok". Starts run interleaved (a rotating order), `starts`
// per row; a row's figure is its median wall time minus the median of `node -e 0` (node's own start), so what
// remains is the library's import and first verification. Each child also reports its own CPU time from its first
// line to "ok" (`process.cpuUsage()`), which load on the other core disturbs less than wall time (`cpuMs`, median).
// BENCH_COLD_START_ALSO=/path/to/another/dist/index.js adds a row for another build of jot (a before/after pair).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { AUD, ISS } from './fixtures.js';

// process.argv in a child: [node, token, secret hex, iss, aud]. The CPU clock starts with the child's first line.
const ARGS = 'const cpu0 = process.cpuUsage(); const [, token, hex, iss, aud] = process.argv;';
/** What a child prints once its token verified: "ok <CPU ms since its first line>". */
const OK = "process.stdout.write('ok ' + ((c) => (c.user + c.system) / 1000)(process.cpuUsage(cpu0)))";

/** jot's child script: import `url`, import the secret, verify. */
const jotSource = (url) => `${ARGS}
const { importKey, verifyJwt } = await import(${JSON.stringify(url)});
const key = await importKey(Buffer.from(hex, 'hex'), { alg: 'HS256' });
const { payload } = await verifyJwt(token, key, { issuer: iss, audience: aud });
if (payload.iss === iss) ${OK};`;

/** One child script per row; `lib` is what it imports (a URL for jot). */
function scripts(jotUrl) {
  const also = process.env.BENCH_COLD_START_ALSO;
  return [
    {
      lib: 'jot',
      label: 'jot verifyJwt',
      kind: 'jot',
      source: jotSource(jotUrl),
    },
    ...(also
      ? [{ lib: 'jot', label: `jot verifyJwt (${also})`, kind: 'ref', source: jotSource(pathToFileURL(also).href) }]
      : []),
    {
      lib: 'jose',
      label: 'jose jwtVerify',
      kind: 'peer',
      source: `${ARGS}
const { jwtVerify } = await import('jose');
const { payload } = await jwtVerify(token, Buffer.from(hex, 'hex'), { algorithms: ['HS256'], issuer: iss, audience: aud });
if (payload.iss === iss) ${OK};`,
    },
    {
      lib: 'fast-jwt',
      label: 'fast-jwt createVerifier()',
      kind: 'peer',
      source: `${ARGS}
const { createVerifier } = await import('fast-jwt');
const verify = createVerifier({ key: Buffer.from(hex, 'hex'), algorithms: ['HS256'], allowedIss: iss, allowedAud: aud });
if (verify(token).iss === iss) ${OK};`,
    },
    {
      lib: 'jsonwebtoken',
      label: 'jsonwebtoken verify',
      kind: 'peer',
      source: `${ARGS}
const { default: jwt } = await import('jsonwebtoken');
const payload = jwt.verify(token, Buffer.from(hex, 'hex'), { algorithms: ['HS256'], issuer: iss, audience: aud });
if (payload.iss === iss) ${OK};`,
    },
  ];
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/**
 * One fresh process running `source`: its wall milliseconds and the CPU milliseconds it reported; throws unless it
 * printed "ok <cpu>" (or is the baseline).
 */
function start(root, source, args, baseline) {
  const t = performance.now();
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', source, ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  const ms = performance.now() - t;
  const cpu = /^ok (\d+(?:\.\d+)?)$/.exec(r.stdout);
  if (r.status !== 0 || (!baseline && cpu === null)) {
    throw new Error(`a cold start failed (exit ${r.status}): ${(r.stderr || r.stdout).slice(0, 300)}`);
  }
  return { ms, cpuMs: cpu === null ? 0 : Number(cpu[1]) };
}

/**
 * Cold-start rows: `{ baselineMs, starts, rows: [{ lib, label, kind, ms, spread, cpuMs, samples, cpuSamples }] }`;
 * `ms` is the median start minus the baseline's median, `spread` (max - min) / median of the raw starts, `cpuMs` the
 * median CPU time the children reported.
 */
export function coldStart({ root, token, secret, starts }) {
  const jotUrl = pathToFileURL(join(root, 'dist', 'index.js')).href;
  const args = [token, Buffer.from(secret).toString('hex'), ISS, AUD];
  const rows = [{ lib: 'node', label: 'node -e 0', kind: 'ref', source: '0', baseline: true }, ...scripts(jotUrl)];
  for (const row of rows) {
    row.samples = [];
    row.cpuSamples = [];
    start(root, row.source, args, row.baseline); // warm the file cache; its output checked
  }
  for (let i = 0; i < starts; i++) {
    for (let k = 0; k < rows.length; k++) {
      const row = rows[(k + i) % rows.length];
      const { ms, cpuMs } = start(root, row.source, args, row.baseline);
      row.samples.push(ms);
      row.cpuSamples.push(cpuMs);
    }
  }
  const baselineMs = median(rows[0].samples);
  return {
    baselineMs,
    starts,
    rows: rows.slice(1).map((r) => {
      const m = median(r.samples);
      return {
        lib: r.lib,
        label: r.label,
        kind: r.kind,
        ms: m - baselineMs,
        spread: (Math.max(...r.samples) - Math.min(...r.samples)) / m,
        cpuMs: median(r.cpuSamples),
        samples: r.samples,
        cpuSamples: r.cpuSamples,
      };
    }),
  };
}
