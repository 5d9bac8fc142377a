// The portable conformance bundle on Deno, from the `deno` npm package's linux-x64 binary.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { BINARIES, OUT, record, runCli, tempDir, unavailable } from './harness.js';

const bin = BINARIES.deno();
const why = unavailable(
  'Deno',
  bin ? undefined : 'no @deno/linux-x64-glibc binary (npm ci installs it on linux-x64 glibc)',
);

describe.skipIf(why !== undefined)('the conformance script on Deno', () => {
  it('runs every algorithm and RFC vector; the results match the runtime table', () => {
    const [dir, done] = tempDir('jot-deno-');
    try {
      // A private DENO_DIR (nothing written to the home directory), no update check, no config lookup.
      const env = { DENO_DIR: dir, DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' };
      const version = execFileSync(bin!, ['--version'], { encoding: 'utf8', env: { ...process.env, ...env } });
      const args = ['run', '--quiet', '--no-prompt', '--no-config', '--no-npm', join(OUT, 'cli.js')];
      record('deno', version.split('\n')[0]!.trim(), runCli(bin!, args, env));
    } finally {
      done();
    }
  });
});
