#!/usr/bin/env node
// jot on WebCrypto beside jose on the same WebCrypto, one process: `node --conditions=browser bench/webcrypto.js`
// (npm run bench:web). The condition loads jot's web build (dist/browser/, every #crypto/* on WebCrypto); jose
// uses WebCrypto on every runtime. Async verify and sign, one call at a time, per algorithm.
//
// Each row is one measureGroup of bench/lib.js (the harness of `npm run bench`): jot and jose are warmed up, then
// timed in alternating rounds (jot, jose, then jose, jot, ...), so a burst of other work on the machine lands on both.
// The ratio is the median over the rounds of jot's rate over jose's in the same round (>= 1.0x: jot is not slower),
// with the lowest and highest round's ratio beside it.
//
//   BENCH_SECONDS=1.5   timed seconds per library per row, split into the rounds
//   BENCH_ROUNDS=15     rounds per library per row
//   BENCH_CLOCK=wall    time by the wall clock instead of the process's CPU time (the default; see below)
//   BENCH_SMOKE=1       tiny rounds, for test/bench/webcrypto.test.ts (the figures mean nothing)
//
// CPU time (process.cpuUsage: user + system of every thread, so the libuv pool threads where Node runs
// crypto.subtle's work count too) is the default: one call at a time, the wall clock also counts the idle wait for
// the pool thread and the main thread's wake-up, which both libraries pay alike on the same subtle call and which
// other processes on a shared machine stretch. BENCH_CLOCK=wall measures the latency a caller sees instead.
import * as jose from 'jose';
import * as jot from 'jotjs';
import { measureGroup, pairedRatios, stats } from './lib.js';

// The node build's key ring serves itself over node:http (handler()); the web build's PortableKeyRing does not.
if (typeof jot.createKeyRing({ alg: 'ES256', checkEvery: 0 }).handler === 'function') {
  console.error('this is the node build: run with node --conditions=browser bench/webcrypto.js');
  process.exit(2);
}

const SMOKE = process.env.BENCH_SMOKE === '1';
const SECONDS = SMOKE ? 0.004 : Number(process.env.BENCH_SECONDS ?? 1.5);
const ROUNDS = SMOKE ? 2 : Math.max(1, Math.round(Number(process.env.BENCH_ROUNDS ?? 15)));
const CLOCK = process.env.BENCH_CLOCK === 'wall' ? 'wall' : 'cpu';
if (!(SECONDS > 0)) {
  console.error('BENCH_SECONDS must be a positive number');
  process.exit(2);
}
const TIMING = { warmupMs: SMOKE ? 1 : 200, roundMs: (SECONDS * 1000) / ROUNDS, rounds: ROUNDS, clock: CLOCK };

const ALGS = [
  ['HS256', undefined],
  ['ES256', undefined],
  ['RS256', undefined],
  ['PS256', undefined],
  ['EdDSA', 'Ed25519'],
];

/** jot's and jose's rates for one operation, interleaved; the ratio's median and range over the rounds. */
async function compare(jotFn, joseFn) {
  const [a, b] = await measureGroup(
    [
      { fn: jotFn, async: true },
      { fn: joseFn, async: true },
    ],
    TIMING,
  );
  const ratio = stats(pairedRatios(a, b));
  return { jot: a.median, jose: b.median, ratio: ratio.median, min: ratio.min, max: ratio.max };
}

const claims = { sub: 'user-1', iss: 'https://idp.example', aud: 'api' };
const rows = [];
for (const [alg, crv] of ALGS) {
  let priv;
  let pub;
  if (alg === 'HS256') priv = pub = await jot.generateSecret(alg);
  else ({ privateKey: priv, publicKey: pub } = await jot.generateKeyPair(alg, crv ? { crv } : {}));
  const privJwk = await jot.exportJwk(priv, { includePrivate: true });
  const pubJwk = alg === 'HS256' ? privJwk : await jot.exportJwk(pub);
  const jPriv = await jose.importJWK(privJwk, alg);
  const jPub = await jose.importJWK(pubJwk, alg);
  const token = await jot.signJwt(claims, priv, { expiresIn: '1h' });
  const verifier = jot.createVerifier({ key: pub, issuer: claims.iss, audience: claims.aud });
  const signer = jot.createSigner({ key: priv, expiresIn: '1h' });
  const joseVerify = () => jose.jwtVerify(token, jPub, { issuer: claims.iss, audience: claims.aud });
  const joseSign = () =>
    new jose.SignJWT(claims).setProtectedHeader({ alg }).setIssuedAt().setExpirationTime('1h').sign(jPriv);
  // Both sides checked once before timing: a row that does less cannot win.
  if ((await verifier.verify(token)).payload.sub !== claims.sub) throw new Error(`${alg}: jot verify`);
  if ((await joseVerify()).payload.sub !== claims.sub) throw new Error(`${alg}: jose verify`);
  await jose.jwtVerify(await signer.sign(claims), jPub, { issuer: claims.iss, audience: claims.aud });
  await verifier.verify(await joseSign());
  rows.push({ alg: crv ?? alg, op: 'verify', ...(await compare(() => verifier.verify(token), joseVerify)) });
  rows.push({ alg: crv ?? alg, op: 'sign', ...(await compare(() => signer.sign(claims), joseSign)) });
}

const fmt = (x) => Math.round(x).toLocaleString('en-US').padStart(9);
const clockText = CLOCK === 'cpu' ? 'process CPU time' : 'wall clock';
console.log(
  `node ${process.version}, WebCrypto (globalThis.crypto.subtle), one call at a time, ${ROUNDS} interleaved rounds ` +
    `of ${Math.round(TIMING.roundMs)} ms per library per row, ${clockText}\n`,
);
console.log('| algorithm | op | jot web ops/s | jose ops/s | jot / jose | min–max over rounds |');
console.log('|---|---|---:|---:|---:|---:|');
for (const r of rows) {
  const range = `${r.min.toFixed(2)}–${r.max.toFixed(2)}x`;
  console.log(`| ${r.alg} | ${r.op} | ${fmt(r.jot)} | ${fmt(r.jose)} | ${r.ratio.toFixed(2)}x | ${range} |`);
}
