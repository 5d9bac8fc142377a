// A terminal session recorded as text through a real pseudo-terminal (tmux): colours and the audit
// progress bar appear on a TTY and not in a pipe, and Ctrl-C stops the secret search cleanly.
// Uses the built binary (npm run build).
import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, BIN, NOW, scratch } from './_run.js';

const TMUX = '/usr/bin/tmux';
function tmuxAvailable(): boolean {
  if (existsSync(TMUX)) return true;
  const message = `${TMUX} not found: install the Debian package tmux`;
  if (process.env.CI === 'true') throw new Error(message);
  console.warn(`skipping the terminal session tests: ${message}`);
  return false;
}

const JWT_IO =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';
// HS256 over a strong secret: the wordlist search runs to the end (or to Ctrl-C).
const STRONG = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ4In0.dzJ7NFzVQwcqs7XSWxxq-3tyAhBavGPU2b53vm9Jx8g';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!tmuxAvailable())('a terminal session (tmux)', () => {
  const s = scratch();
  const socket = `jot-test-${process.pid}`;
  const tmux = (...args: string[]) =>
    execFileSync(TMUX, ['-L', socket, '-f', '/dev/null', ...args], { encoding: 'utf8' });
  const capture = (session: string) => tmux('capture-pane', '-p', '-e', '-J', '-S', '-200', '-t', session);

  async function until(session: string, pattern: RegExp, what: string): Promise<string> {
    // Polls the pane; the only bound is a generous deadline against a hang, never a timing assertion.
    const deadline = Date.now() + 60_000;
    for (;;) {
      const text = capture(session);
      if (pattern.test(text)) return text;
      if (Date.now() > deadline) throw new Error(`${what} never appeared; the pane holds:\n${text}`);
      await sleep(50);
    }
  }

  function start(session: string, script: string): void {
    const file = join(s.dir, `${session}.sh`);
    writeFileSync(file, `${script}\necho __DONE__\nsleep 600\n`);
    tmux(
      'new-session',
      '-d',
      '-s',
      session,
      '-x',
      '200',
      '-y',
      '60',
      `env -u NO_COLOR -u FORCE_COLOR -u CI TERM=xterm-256color JOT_NOW=${NOW} bash --noprofile --norc ${file}`,
    );
  }

  beforeAll(() => {
    assertBuilt();
    // 3 million candidates, written in slices: long enough to interrupt on any machine.
    const fd = openSync(join(s.dir, 'big.txt'), 'w');
    for (let i = 0; i < 3_000_000; i += 100_000) {
      writeSync(fd, `${Array.from({ length: 100_000 }, (_, j) => `candidate-${i + j}`).join('\n')}\n`);
    }
    closeSync(fd);
  });
  afterAll(() => {
    try {
      tmux('kill-server');
    } catch {
      // already gone
    }
    s.cleanup();
  });

  it('colours and the progress bar on the terminal, plain text and no progress in a pipe', async () => {
    start(
      'colours',
      [
        `node ${BIN} decode ${JWT_IO}`,
        `node ${BIN} audit ${JWT_IO}`,
        'echo "__PIPE__"',
        `node ${BIN} decode ${JWT_IO} | cat`,
        `node ${BIN} audit ${JWT_IO} 2>&1 | cat`,
      ].join('\n'),
    );
    const text = await until('colours', /__DONE__/, 'the end of the session');
    // The recording, kept for a look: cat -v shows the escapes.
    writeFileSync(join(tmpdir(), 'jot-cli-tty-session.txt'), text);
    const [tty, pipe] = text.split('__PIPE__') as [string, string];
    // On the terminal (tmux re-renders the SGR sequences it was sent): coloured keys and severities,
    // and the progress line of the bundled list.
    const SGR = '(?:\u001b\\[[0-9;]*m)*';
    expect(tty).toMatch(/\u001b\[36m"alg"/);
    expect(tty).toMatch(new RegExp(`\u001b\\[(?:[0-9;]*;)?31m${SGR}HIGH`));
    expect(tty).toMatch(
      new RegExp(`bundled list \\[${SGR}#*${SGR}-*${SGR}\\] +\\d+% {2}\\d+ tried {2}[\\d.]+[kM]?/s {2}found`),
    );
    // In a pipe: the same content without escapes or progress.
    expect(pipe).toContain('"alg": "HS256"');
    expect(pipe).toContain('HIGH    the HMAC secret is "your-256-bit-secret"');
    expect(pipe).not.toMatch(/\u001b\[3\dm/);
    expect(pipe).not.toContain('bundled list [');
  });

  it('Ctrl-C stops the wordlist search cleanly and reports what was tried', async () => {
    start('interrupt', `node ${BIN} audit ${STRONG} --wordlist ${join(s.dir, 'big.txt')}; echo "__EXIT $?__"`);
    await until(
      'interrupt',
      /wordlist \[.*\] +\d+% {2}[\d,]+ tried {2}[\d.]+[kM]?\/s {2}~[\d.]+ (s|min|h) left/,
      'the wordlist progress bar with rate and estimate',
    );
    tmux('send-keys', '-t', 'interrupt', 'C-c');
    const text = await until('interrupt', /__DONE__/, 'the end of the session');
    expect(text).toMatch(/secret search: \d+ candidates tried \(bundled, .*big\.txt\), stopped/);
    expect(text).toMatch(/INFO.*secret search stopped after \d+ candidates/);
    // Exit 1: the token has high findings (no exp); not 130, the search was stopped, not the process.
    expect(text).toContain('__EXIT 1__');
    expect(text).not.toMatch(/\n\s+at /);
  });
});
