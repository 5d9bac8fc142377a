#!/usr/bin/env node
// jot on WebCrypto beside jose on the same WebCrypto, one process: `node --conditions=browser bench/webcrypto.js`
// (npm run bench:web). The condition loads jot's web build (dist/index.web.js, #crypto/* -> dist/crypto/web/); jose
// uses WebCrypto on every runtime. Async verify and sign, one call at a time, per algorithm; the ratio is jot's
// operations per second over jose's (>= 1.0 means jot is not slower).
import * as jose from 'jose';
import * as jot from 'jotjs';

if (jot.createKeyRing !== undefined) {
  console.error('this is the node build: run with node --conditions=browser bench/webcrypto.js');
  process.exit(2);
}

const SECONDS = Number(process.env.BENCH_SECONDS ?? 1.5);
const ALGS = [
  ['HS256', undefined],
  ['ES256', undefined],
  ['RS256', undefined],
  ['PS256', undefined],
  ['EdDSA', 'Ed25519'],
];

async function rate(fn) {
  for (let i = 0; i < 50; i++) await fn(); // warm-up
  let n = 0;
  const end = performance.now() + SECONDS * 1000;
  const start = performance.now();
  while (performance.now() < end) {
    for (let i = 0; i < 20; i++) await fn();
    n += 20;
  }
  return n / ((performance.now() - start) / 1000);
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
  const v = [await rate(() => verifier.verify(token)), await rate(joseVerify)];
  const s = [await rate(() => signer.sign(claims)), await rate(joseSign)];
  rows.push({ alg: crv ?? alg, op: 'verify', jot: v[0], jose: v[1] });
  rows.push({ alg: crv ?? alg, op: 'sign', jot: s[0], jose: s[1] });
}

const fmt = (x) => Math.round(x).toLocaleString('en-US').padStart(9);
console.log(`node ${process.version}, WebCrypto (globalThis.crypto.subtle), ${SECONDS}s per row, one call at a time\n`);
console.log('| algorithm | op | jot web ops/s | jose ops/s | jot / jose |');
console.log('|---|---|---:|---:|---:|');
for (const r of rows) {
  console.log(`| ${r.alg} | ${r.op} | ${fmt(r.jot)} | ${fmt(r.jose)} | ${(r.jot / r.jose).toFixed(2)}x |`);
}
