// The benchmark suite: loads jot from dist/ and every peer, builds identical inputs, checks every row once, then
// measures the groups, the memory figures and the revocation rows. Returns plain data (see report.js).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { AUD, CLAIMS, ISS, JWE_ALGS, JWS_ALGS, joseKeys, jotKeys, makeMaterial } from './fixtures.js';
import { floorClaimsText, floorJwe, floorJwt } from './floor.js';
import { jweGroups } from './jwe-cases.js';
import { jwtGroups } from './jwt-cases.js';
import { keysetGroups } from './keyset-cases.js';
import { mlDsaGroups } from './ml-dsa-cases.js';
import { bytesPerCall, bytesPerCallAsync, measureGroup } from './lib.js';
import { coldStart } from './cold-start.js';
import { loadRevocationBench } from './revocation-runner.js';

/** Run lengths. `full` is `npm run bench`; `quick` is BENCH_QUICK=1; `smoke` is the test suite's tiny run. */
export const PROFILES = Object.freeze({
  full: {
    timing: { warmupMs: 150, roundMs: 120, rounds: 9 },
    bytesCalls: 5_000,
    heapVerifies: 1_000_000,
    revocation: { durationMs: 1000, entries: 10_000 },
    coldStarts: 20,
  },
  quick: {
    timing: { warmupMs: 40, roundMs: 40, rounds: 5 },
    bytesCalls: 2_000,
    heapVerifies: 50_000,
    revocation: { durationMs: 200, entries: 1_000 },
    coldStarts: 7,
  },
  smoke: {
    timing: { warmupMs: 1, roundMs: 2, rounds: 1 },
    bytesCalls: 50,
    heapVerifies: 500,
    revocation: { durationMs: 20, entries: 50 },
    coldStarts: 1,
  },
});

const PEERS = ['jose', 'jsonwebtoken', 'fast-jwt', '@node-rs/jsonwebtoken'];

function versions(root) {
  const require = createRequire(join(root, 'package.json'));
  const out = { jot: JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version };
  for (const name of PEERS) {
    try {
      out[name] = require(`${name}/package.json`).version;
    } catch {
      out[name] = 'not installed';
    }
  }
  return out;
}

async function load(root) {
  const dist = (p) => import(pathToFileURL(join(root, 'dist', p)).href);
  const [jot, jose, jsonwebtoken, fastJwt, nodeRs] = await Promise.all([
    dist('index.js'),
    import('jose'),
    import('jsonwebtoken'),
    import('fast-jwt'),
    import('@node-rs/jsonwebtoken').catch(() => undefined),
  ]);
  const rs = nodeRs?.default ?? nodeRs;
  return { jot, jose, jsonwebtoken: jsonwebtoken.default, fastJwt, nodeRs: rs };
}

/** Keys in every form, the floors, and one token per algorithm (made by the floor) that every verifier reads. */
export async function setup(root) {
  const libs = await load(root);
  const material = makeMaterial();
  const floors = Object.fromEntries(JWS_ALGS.map((alg) => [alg, floorJwt(alg, material.jws[alg])]));
  const floorsJwe = Object.fromEntries(JWE_ALGS.map((alg) => [alg, floorJwe(alg, material.jwe[alg])]));
  const plaintext = Buffer.from(floorClaimsText(CLAIMS, Math.floor(Date.now() / 1000)));
  return {
    ...libs,
    material,
    jotKeys: await jotKeys(libs.jot, material),
    joseKeys: await joseKeys(libs.jose, material),
    floors,
    floorsJwe,
    tokens: Object.fromEntries(JWS_ALGS.map((alg) => [alg, floors[alg].signSync(CLAIMS)])),
    jweTokens: Object.fromEntries(JWE_ALGS.map((alg) => [alg, floorsJwe[alg].encrypt(plaintext)])),
    // The bytes inside jweTokens: decrypt rows compare against these, not against a text rebuilt later (its iat
    // would differ whenever a second boundary falls between the two).
    jwePlaintext: plaintext,
  };
}

const message = (e) => (e instanceof Error ? e.message : String(e));

/** Run each row once and check its result; a failing row is reported as an error and not timed. */
async function validate(group) {
  for (const row of group.rows) {
    if (row.na !== undefined) continue;
    try {
      const r = row.async ? await row.fn() : row.fn();
      if (!row.check(r)) row.error = 'wrong result';
    } catch (e) {
      row.error = message(e);
    }
  }
}

/** Tokens for the heap-growth run: distinct subjects, so no verification is a repeat of the one before. */
function distinctTokens(jot, key, n) {
  const signer = jot.createSigner({ key, issuer: ISS, audience: AUD, expiresIn: 3600 });
  return Array.from({ length: n }, (_, i) => signer.signSync({ ...CLAIMS, sub: `user-${i}` }));
}

/** Heap used after full collections, before and after `n` calls. */
function heapGrowth(fn, n) {
  if (typeof globalThis.gc !== 'function') return { calls: n, growth: Number.NaN };
  for (let i = 0; i < Math.min(n, 20_000); i++) fn(i);
  globalThis.gc();
  globalThis.gc();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < n; i++) fn(i);
  globalThis.gc();
  globalThis.gc();
  const after = process.memoryUsage().heapUsed;
  return { calls: n, before, after, growth: after - before };
}

async function memory(ctx, profile) {
  const { jot, jose, fastJwt, jsonwebtoken, nodeRs, material, jotKeys: jk, joseKeys: jsk, floors, tokens } = ctx;
  const token = tokens.HS256;
  const m = material.jws.HS256;
  const policy = { algorithms: ['HS256'], issuer: ISS, audience: AUD };
  const verifier = jot.createVerifier({ key: jk.jws.HS256.public, ...policy });
  const cached = jot.createVerifier({ key: jk.jws.HS256.public, ...policy, cache: { max: 1000 } });
  const fj = fastJwt.createVerifier({ key: m.secret, algorithms: ['HS256'], allowedIss: ISS, allowedAud: AUD });
  const fjc = fastJwt.createVerifier({
    key: m.secret,
    algorithms: ['HS256'],
    allowedIss: ISS,
    allowedAud: AUD,
    cache: 1000,
  });
  const rsValidation = { algorithms: ['HS256'], iss: [ISS], aud: [AUD], leeway: 0 };
  const n = profile.bytesCalls;
  const sync = (lib, label, kind, fn) => ({ lib, label, kind, bytes: bytesPerCall(fn, n) });
  const async = async (lib, label, kind, fn) => ({ lib, label, kind, bytes: await bytesPerCallAsync(fn, n) });
  const perVerify = [
    sync('floor', 'floor', 'floor', () => floors.HS256.verifySync(token)),
    sync('jot', 'jot createVerifier().verifySync', 'jot', () => verifier.verifySync(token)),
    await async('jot', 'jot createVerifier().verify (async)', 'jot', () => verifier.verify(token)),
    sync('jot', 'jot createVerifier({ cache }).verifySync', 'jot', () => cached.verifySync(token)),
    sync('fast-jwt', 'fast-jwt createVerifier()', 'peer', () => fj(token)),
    sync('fast-jwt', 'fast-jwt createVerifier({ cache })', 'peer', () => fjc(token)),
    await async('jose', 'jose jwtVerify (async)', 'peer', () => jose.jwtVerify(token, jsk.jws.HS256.public, policy)),
    sync('jsonwebtoken', 'jsonwebtoken verify', 'peer', () => jsonwebtoken.verify(token, m.secretKey, policy)),
  ];
  if (nodeRs !== undefined) {
    perVerify.push(
      sync('@node-rs/jsonwebtoken', '@node-rs/jsonwebtoken verifySync', 'peer', () =>
        nodeRs.verifySync(token, m.secret, rsValidation),
      ),
    );
  }
  const many = distinctTokens(jot, jk.jws.HS256.private, 4096);
  const growth = [
    {
      label: 'jot createVerifier().verifySync, 4,096 distinct tokens in turn',
      ...heapGrowth((i) => verifier.verifySync(many[i & 4095]), profile.heapVerifies),
    },
    {
      label: 'jot createVerifier({ cache: { max: 1000 } }).verifySync, 4,096 distinct tokens in turn',
      ...heapGrowth((i) => cached.verifySync(many[i & 4095]), profile.heapVerifies),
    },
  ];
  return { perVerify, growth };
}

/**
 * Run the suite. `clock`: 'wall' or 'cpu' (see lib.js). `only`: a substring of group ids to keep (memory and
 * revocation run only without it, the cold-start rows without it or with `cold-start`). `log`: progress lines.
 */
export async function runSuite({ root, profileName = 'full', clock = 'wall', only, log = () => {} }) {
  const profile = PROFILES[profileName];
  const timing = { ...profile.timing, clock };
  const started = Date.now();
  const meta = {
    date: new Date().toISOString(),
    node: process.version,
    v8: process.versions.v8,
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    threadPool: Number(process.env.UV_THREADPOOL_SIZE ?? 4),
    loadBefore: loadavg(),
    profile: profileName,
    timing,
    versions: versions(root),
  };
  log(`setting up keys and tokens (${profileName})`);
  const ctx = await setup(root);
  const keysets = await keysetGroups(ctx, root);
  let groups = [...jwtGroups(ctx), ...(await mlDsaGroups(ctx)), ...jweGroups(ctx), ...keysets.groups];
  if (only !== undefined) groups = groups.filter((g) => g.id.includes(only));
  for (const [i, group] of groups.entries()) {
    await validate(group);
    const live = group.rows.filter((r) => r.na === undefined && r.error === undefined);
    const stats = await measureGroup(live, timing);
    live.forEach((r, k) => {
      r.stats = stats[k];
    });
    log(`[${i + 1}/${groups.length}] ${group.title}`);
  }
  let mem;
  let revocation;
  if (only === undefined) {
    log('memory: bytes per HS256 verify, heap growth');
    mem = await memory(ctx, profile);
    log('revocation');
    revocation = await runRevocation(ctx, root, profile, clock);
  }
  let cold;
  if (only === undefined || only === 'cold-start') {
    log('cold start: import + first verify in fresh processes');
    try {
      cold = coldStart({
        root,
        token: ctx.tokens.HS256,
        secret: ctx.material.jws.HS256.secret,
        starts: profile.coldStarts,
      });
    } catch (e) {
      cold = { error: message(e), rows: [] };
    }
  }
  await keysets.close();
  meta.loadAfter = loadavg();
  meta.seconds = Math.round((Date.now() - started) / 1000);
  return { meta, groups: groups.map(plainGroup), memory: mem, revocation, coldStart: cold };
}

async function runRevocation(ctx, root, profile, clock) {
  const { jot, jotKeys: jk, tokens } = ctx;
  const verifier = jot.createVerifier({ key: jk.jws.HS256.public, algorithms: ['HS256'], issuer: ISS, audience: AUD });
  try {
    const bench = await loadRevocationBench(root);
    return await bench({ ...profile.revocation, clock, verify: () => verifier.verifySync(tokens.HS256) });
  } catch (e) {
    return { error: message(e), rows: [], skipped: [] };
  }
}

function plainGroup(g) {
  return {
    id: g.id,
    section: g.section,
    op: g.op,
    alg: g.alg,
    mode: g.mode,
    title: g.title,
    rows: g.rows.map((r) => ({
      lib: r.lib,
      label: r.label,
      kind: r.kind,
      inFlight: r.async ? (r.concurrency ?? 1) : 0,
      ...(r.na !== undefined ? { na: r.na } : {}),
      ...(r.error !== undefined ? { error: r.error } : {}),
      ...(r.stats !== undefined ? { opsPerSec: r.stats.median, spread: r.stats.spread, rates: r.stats.rates } : {}),
    })),
  };
}
