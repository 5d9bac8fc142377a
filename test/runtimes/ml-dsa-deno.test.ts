// Issue 20's interop criterion: jose supports ML-DSA only where the runtime's WebCrypto has it, which Node 20 does
// not; Deno (from the `deno` npm package) does. There jot's web build picks WebCrypto's ML-DSA by feature test, and
// the script's spy on crypto.subtle reports that jot signed and verified through it. A second run hides WebCrypto's
// ML-DSA from jot (never from jose), so jot falls back to the pure-JS provider. Each run checks jot against jose and
// against the pure-JS implementation both ways, seeds included: native and pure JS interoperate in every pairing.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BINARIES, bundleWebScript, tempDir, unavailable } from './harness.js';

const bin = BINARIES.deno();
const why = unavailable(
  'Deno',
  bin ? undefined : 'no @deno/linux-x64-glibc binary (npm ci installs it on linux-x64 glibc)',
);
const ALGS = ['ML-DSA-44', 'ML-DSA-65', 'ML-DSA-87'];
const DIRECTIONS = [
  'jose signs, jot verifies',
  'jot signs, jose verifies',
  'jose seed, jot signs',
  'jot seed, jose signs',
  'jot signs, pure JS verifies',
  'pure JS signs, jot verifies',
];

/** The same refusals whichever provider jot uses (ml-dsa-interop.js's `checks`). */
const CHECKS = {
  "pub not the seed's": 'ERR_KEY_INVALID',
  'key of another set': 'ERR_JOSE_ALG_NOT_ALLOWED',
  'seed of another set': 'ERR_JWK_INVALID',
  'non-empty context': 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
  'truncated signature': 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
  'seed-only PKCS#8': 'ok',
};

interface Run {
  mask: boolean;
  native: Record<string, boolean>;
  provider: Record<string, { sign: string; verify: string }>;
  results: Record<string, Record<string, string>>;
  checks: Record<string, Record<string, string>>;
}

describe.skipIf(why !== undefined)('ML-DSA on Deno: jot (WebCrypto, or pure JS when hidden), jose and pure JS', () => {
  let dir = '';
  let outfile = '';
  let done: () => void = () => undefined;
  beforeAll(async () => {
    [dir, done] = tempDir('jot-mldsa-deno-');
    outfile = join(dir, 'interop.js');
    await bundleWebScript('ml-dsa-interop.js', outfile, { jotjs: 'index.js' });
  });
  afterAll(() => done());

  const run = (...args: string[]): Run => {
    const env = { ...process.env, DENO_DIR: dir, DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' };
    const stdout = execFileSync(bin!, ['run', '--quiet', '--no-prompt', '--no-config', '--no-npm', outfile, ...args], {
      env,
      encoding: 'utf8',
      timeout: 120_000,
    });
    const r = JSON.parse(stdout.trim().split('\n').at(-1)!) as Run;
    // The pinned Deno has ML-DSA in its WebCrypto: were it gone, this test would say so rather than pass.
    expect(r.native).toEqual(Object.fromEntries(ALGS.map((a) => [a, true])));
    for (const alg of ALGS) {
      expect(r.results[alg], alg).toEqual(Object.fromEntries(DIRECTIONS.map((d) => [d, 'ok'])));
      expect(r.checks[alg], alg).toEqual(CHECKS);
    }
    return r;
  };

  it('jot signs and verifies with WebCrypto ML-DSA, interoperating with jose and pure JS both ways', async () => {
    const r = run();
    for (const alg of ALGS) expect(r.provider[alg], alg).toEqual({ sign: 'webcrypto', verify: 'webcrypto' });
  }, 180_000);

  it('with WebCrypto ML-DSA hidden from jot, the pure-JS fallback interoperates with jose both ways', async () => {
    const r = run('mask');
    expect(r.mask).toBe(true);
    for (const alg of ALGS) expect(r.provider[alg], alg).toEqual({ sign: 'pure-js', verify: 'pure-js' });
  }, 180_000);
});
