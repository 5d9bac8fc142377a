// Runs the shell sessions of the README's "Command line" section with bash, from the repository root
// (npx jot runs this package's own bin; needs npm run build).
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, ROOT } from './_run.js';

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const section = /\n## Command line\n([\s\S]*?)(?=\n## |$)/.exec(readme)?.[1] ?? '';
const blocks = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);

function bash(script: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      '/bin/bash',
      ['-eo', 'pipefail', '-c', script],
      {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', NO_COLOR: '1' },
        timeout: 120_000,
      },
      (e, stdout, stderr) => resolve({ code: e ? Number((e as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin?.end();
  });
}

describe('README: Command line', () => {
  const results: Awaited<ReturnType<typeof bash>>[] = [];
  beforeAll(async () => {
    assertBuilt();
    // One run of each session, in order; the tests below read the results.
    for (const block of blocks) results.push(await bash(block));
  }, 300_000);

  it('has shell sessions', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(4);
  });

  it.each(blocks.map((b, i) => [i + 1, b] as const))('session %i runs to the end', (i, block) => {
    const r = results[i - 1]!;
    expect(r.stderr.replace(/^warning: .*\n/gm, ''), block).not.toMatch(/error|Error|\n\s+at /);
    expect(r.code, `${block}\n--- stderr\n${r.stderr}`).toBe(0);
    expect(r.stdout.length).toBeGreaterThan(0);
  });

  it('the sessions show what the text promises', () => {
    const [first, audit, , revoke] = results as [
      (typeof results)[0],
      (typeof results)[0],
      unknown,
      (typeof results)[0],
    ];
    expect(first.stderr).toContain('rejected: aud: expected "billing", found "api"');
    expect(first.stdout).toContain('exit 1');
    expect(first.stdout).toContain('(expires in 15 min)');
    expect(audit.stdout).toContain('the HMAC secret is "your-256-bit-secret"');
    expect(audit.stdout).toContain('no findings');
    expect(revoke.stdout).toContain('revoked (exit 1)');
    expect(revoke.stdout).toMatch(/1 revoked token id\n/);
  });
});
