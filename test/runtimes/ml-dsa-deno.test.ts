// Issue 20's interop criterion: jose supports ML-DSA only where the runtime's WebCrypto has it, which Node 20 does
// not; Deno (from the `deno` npm package) does. There jose signs and verifies with the native WebCrypto ML-DSA and
// jot's web build with the pure-JS provider, so one run checks jot against jose both ways and the native
// implementation against the pure-JS one.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { BINARIES, ROOT, tempDir, unavailable } from './harness.js';

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
];

describe.skipIf(why !== undefined)('ML-DSA: jot (pure JS) and jose (native WebCrypto) on Deno', () => {
  it('interoperate both ways for every parameter set; tampered signatures are refused by both', async () => {
    const [dir, done] = tempDir('jot-mldsa-deno-');
    try {
      const outfile = join(dir, 'interop.js');
      await build({
        entryPoints: [join(ROOT, 'test', 'runtimes', 'ml-dsa-interop.js')],
        outfile,
        bundle: true,
        format: 'esm',
        platform: 'browser',
        target: 'es2022',
        logLevel: 'silent',
        absWorkingDir: ROOT,
        tsconfigRaw: {},
        alias: { jotjs: join(ROOT, 'dist', 'browser', 'index.js') },
      });
      const env = { ...process.env, DENO_DIR: dir, DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' };
      const stdout = execFileSync(bin!, ['run', '--quiet', '--no-prompt', '--no-config', '--no-npm', outfile], {
        env,
        encoding: 'utf8',
        timeout: 120_000,
      });
      const r = JSON.parse(stdout.trim().split('\n').at(-1)!) as {
        native: Record<string, boolean>;
        results: Record<string, Record<string, string>>;
      };
      // The pinned Deno has ML-DSA in its WebCrypto: were it gone, this test would say so rather than pass.
      expect(r.native).toEqual(Object.fromEntries(ALGS.map((a) => [a, true])));
      for (const alg of ALGS) expect(r.results[alg], alg).toEqual(Object.fromEntries(DIRECTIONS.map((d) => [d, 'ok'])));
    } finally {
      done();
    }
  }, 180_000);
});
