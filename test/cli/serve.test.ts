// jot serve: the debugger on 127.0.0.1 until Ctrl-C, --port, --open (a recording xdg-open on PATH), usage errors.
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { jot, type RunResult, scratch } from './_run.js';

let s: ReturnType<typeof scratch>;
beforeEach(() => {
  s = scratch();
});
afterEach(() => s.cleanup());

/** Runs `jot serve ...` until its first output line, then calls `use(url)` and presses Ctrl-C. */
async function serving(args: string[], use: (url: string) => Promise<void>, env = {}): Promise<RunResult> {
  let stop: (() => void) | undefined;
  let ready: (url: string) => void = () => {};
  const started = new Promise<string>((r) => (ready = r));
  const run = jot(['serve', ...args], {
    env,
    onInterrupt: (h) => {
      stop = h;
      return () => {};
    },
    onStdout: (text) => {
      const m = /http:\/\/127\.0\.0\.1:\d+\//.exec(text);
      if (m !== null) ready(m[0]);
    },
  });
  const url = await Promise.race([started, run.then((r) => Promise.reject(new Error(`ended: ${r.stderr}`)))]);
  try {
    await use(url);
  } finally {
    stop?.();
  }
  return run;
}

describe('jot serve', () => {
  it('serves the page on 127.0.0.1 with its CSP, 404 elsewhere, and stops on Ctrl-C', async () => {
    const r = await serving(['--port', '0'], async (url) => {
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-security-policy')).toMatch(/^default-src 'none'; script-src 'self';/);
      expect(await page.text()).toContain('<title>jot token debugger (offline)</title>');
      expect((await fetch(`${url}debugger.js`)).status).toBe(200);
      expect((await fetch(`${url}nothing`)).status).toBe(404);
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^jot debugger on http:\/\/127\.0\.0\.1:\d+\/\nopen it in your browser; Ctrl-C stops\nstopped\n$/,
    );
  });

  it('--open runs xdg-open with the URL; without one on PATH it says so and prints the URL', async () => {
    const log = join(s.dir, 'opened');
    const opener = join(s.dir, 'xdg-open');
    writeFileSync(opener, `#!/bin/sh\necho "$@" > '${log}'\n`);
    chmodSync(opener, 0o755);
    let served = '';
    const r = await serving(
      ['--port', '0', '--open', '--json'],
      async (url) => {
        served = url;
        for (let i = 0; i < 100; i++) {
          try {
            if (readFileSync(log, 'utf8') !== '') break;
          } catch {}
          await new Promise((w) => setTimeout(w, 20));
        }
      },
      { PATH: s.dir },
    );
    expect(readFileSync(log, 'utf8').trim()).toBe(served);
    const [first, last] = r.stdout.trim().split('\n');
    expect(JSON.parse(first!)).toEqual({ url: served, opened: opener });
    expect(JSON.parse(r.stdout.slice(first!.length))).toEqual({ url: served, opened: opener, stopped: true });
    expect(last).toBeDefined();
    const none = await serving(['--port', '0', '--open'], async () => {}, { PATH: join(s.dir, 'empty') });
    expect(none.stdout).toContain('open it in your browser (no xdg-open found); Ctrl-C stops');
  });

  it('usage errors: a bad port, a port in use, an argument (exit 2)', async () => {
    for (const p of ['-1', '65536', 'http', '80x']) {
      const r = await jot(['serve', `--port=${p}`]);
      expect([r.code, r.stderr], p).toEqual([2, 'jot serve: --port must be a port number (0 picks a free one)\n']);
    }
    const busy = createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
    const port = (busy.address() as { port: number }).port;
    const r = await jot(['serve', '--port', String(port)]);
    busy.close();
    expect([r.code, r.stderr]).toEqual([
      2,
      `jot serve: port ${port} is in use on 127.0.0.1 (--port 0 picks a free one)\n`,
    ]);
    expect((await jot(['serve', 'extra'])).code).toBe(2);
  });
});
