// The portable conformance bundle on Bun, from the `bun` npm package's linux-x64 binary.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { BINARIES, OUT, record, runCli, tempDir, unavailable } from './harness.js';

const bin = BINARIES.bun();
const why = unavailable('Bun', bin ? undefined : 'no @oven/bun-linux-x64 binary (npm ci installs it on linux-x64)');

describe.skipIf(why !== undefined)('the conformance script on Bun', () => {
  it('runs every algorithm and RFC vector; the results match the runtime table', () => {
    const [dir, done] = tempDir('jot-bun-');
    try {
      // No auto-install, and a private install cache (nothing written to the home directory).
      const env = { BUN_INSTALL_CACHE_DIR: dir, BUN_RUNTIME_TRANSPILER_CACHE_PATH: '0', NO_COLOR: '1' };
      const version = execFileSync(bin!, ['--version'], { encoding: 'utf8' }).trim();
      record('bun', `bun ${version}`, runCli(bin!, ['--no-install', join(OUT, 'cli.js')], env));
    } finally {
      done();
    }
  });
});
