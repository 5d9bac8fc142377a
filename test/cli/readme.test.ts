// The README's "Command line" sessions print what the text around them promises. test/docs/code-blocks.test.ts
// runs every block too (it checks that each runs to the end); this file also reads what they print: the rejection
// line, the exit statuses, the audit findings, the revocation. Each session runs with bash in a scratch project
// whose node_modules/.bin/jot is this package's bin (so npx jot runs it); needs npm run build.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, BIN, ROOT } from './_run.js';

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const section = /\n## Command line\n([\s\S]*?)(?=\n## |$)/.exec(readme)?.[1] ?? '';
const blocks = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);

let project = '';

function bash(script: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const cwd = mkdtempSync(join(project, 'session-'));
  return new Promise((resolve) => {
    const child = execFile(
      '/bin/bash',
      ['-euo', 'pipefail', '-c', script],
      {
        cwd,
        env: {
          PATH: `${join(project, 'node_modules', '.bin')}:${process.env.PATH ?? ''}`,
          HOME: process.env.HOME ?? '/tmp',
          NO_COLOR: '1',
          npm_config_yes: 'false',
        },
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
    project = mkdtempSync(join(tmpdir(), 'jot-readme-'));
    mkdirSync(join(project, 'node_modules', '.bin'), { recursive: true });
    symlinkSync(ROOT, join(project, 'node_modules', 'jotjs'), 'dir');
    symlinkSync(BIN, join(project, 'node_modules', '.bin', 'jot'));
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'readme-sessions', private: true }));
    // One run of each session, in order; the tests below read the results.
    for (const block of blocks) results.push(await bash(block));
  }, 300_000);
  afterAll(() => {
    if (project !== '') rmSync(project, { recursive: true, force: true });
  });

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
