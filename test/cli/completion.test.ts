import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/surface.js';
import { jot, scratch } from './_run.js';

let s: ReturnType<typeof scratch>;
beforeEach(() => {
  s = scratch();
});
afterEach(() => s.cleanup());

function shell(path: string, pkg: string): boolean {
  if (existsSync(path)) return true;
  if (process.env.CI === 'true') throw new Error(`${path} not found: install the Debian package ${pkg}`);
  console.warn(`skipping the ${pkg} completion check: install the Debian package ${pkg}`);
  return false;
}

/** Completions bash offers for the words typed so far (the script sourced, its function called). */
function bashComplete(script: string, words: string[]): string[] {
  const file = join(s.dir, 'jot.bash');
  writeFileSync(file, script);
  const line = `source ${file}; COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _jot; printf '%s\\n' "\${COMPREPLY[@]}"`;
  return execFileSync('/bin/bash', ['-c', line], { cwd: s.dir, encoding: 'utf8' }).split('\n').filter(Boolean);
}

describe('jot completion', () => {
  it('bash: a valid script that completes commands, options, actions and option values', async () => {
    const r = await jot(['completion', 'bash']);
    expect(r.code).toBe(0);
    if (!shell('/bin/bash', 'bash')) return;
    execFileSync('/bin/bash', ['-n'], { input: r.stdout });
    expect(bashComplete(r.stdout, ['jot', ''])).toEqual(expect.arrayContaining(COMMANDS.map((c) => c.name)));
    expect(bashComplete(r.stdout, ['jot', 've'])).toEqual(['verify']);
    expect(bashComplete(r.stdout, ['jot', 'verify', '--ma'])).toEqual(['--max-age']);
    expect(bashComplete(r.stdout, ['jot', 'revoke', 'l'])).toEqual(['list']);
    expect(bashComplete(r.stdout, ['jot', 'keygen', 'ES256', '--format', ''])).toEqual(['jwk', 'pem']);
    expect(bashComplete(r.stdout, ['jot', 'completion', ''])).toEqual(['bash', 'zsh']);
  });

  it('zsh: a script zsh parses, naming every command', async () => {
    const r = await jot(['completion', 'zsh']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^#compdef jot\n/);
    for (const c of COMMANDS) expect(r.stdout).toContain(`'${c.name}:`);
    if (!shell('/usr/bin/zsh', 'zsh')) return;
    execFileSync('/usr/bin/zsh', ['-n'], { input: r.stdout });
  });

  it('an unknown shell is a usage error', async () => {
    const r = await jot(['completion', 'fish']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('jot completion: jot completion takes bash or zsh\n');
  });
});
