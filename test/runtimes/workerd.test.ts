// The portable conformance bundle on workerd (the Cloudflare Workers runtime), from the `workerd` npm package's
// linux-x64 binary: a worker whose fetch handler runs the script, served on a free loopback port.
import { execFileSync } from 'node:child_process';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  BINARIES,
  freePort,
  OUT,
  parseResults,
  type Results,
  record,
  spawn,
  stop,
  tempDir,
  unavailable,
} from './harness.js';

const bin = BINARIES.workerd();
const why = unavailable(
  'workerd',
  bin ? undefined : 'no @cloudflare/workerd-linux-64 binary (npm ci installs it on linux-x64)',
);

const WORKER = `import { run } from './conformance.js';
export default { async fetch() { return new Response(JSON.stringify(await run())); } };
`;

/** The workerd configuration: one worker (with nodejs_compat while the bundle is the Node build), one socket. */
const config = (port: number) => `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [(name = "main", worker = .conformance)],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "main")],
);
const conformance :Workerd.Worker = (
  modules = [
    (name = "worker.js", esModule = embed "worker.js"),
    (name = "conformance.js", esModule = embed "conformance.js"),
  ],
  compatibilityDate = "2025-09-01",
  compatibilityFlags = ["nodejs_compat"],
);
`;

/** Serve the worker and fetch its results; retried on another port if the one picked was taken meanwhile. */
async function runOnWorkerd(dir: string): Promise<Results> {
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    writeFileSync(join(dir, 'config.capnp'), config(port));
    const child = spawn(bin!, ['serve', join(dir, 'config.capnp')], { stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    child.stdout!.on('data', (d) => (log += d));
    child.stderr!.on('data', (d) => (log += d));
    try {
      const deadline = Date.now() + 30_000;
      while (Date.now() < deadline && child.exitCode === null) {
        try {
          const res = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(180_000) });
          expect(res.status, log).toBe(200);
          return parseResults(await res.text());
        } catch (e) {
          if ((e as Error).name === 'AssertionError') throw e;
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      if (attempt < 2 && /address already in use/i.test(log)) continue;
      throw new Error(`workerd did not answer: ${log.slice(-2000)}`);
    } finally {
      await stop(child);
    }
  }
}

describe.skipIf(why !== undefined)('the conformance script on workerd', () => {
  it('runs every algorithm and RFC vector in a worker; the results match the runtime table', async () => {
    const [dir, done] = tempDir('jot-workerd-');
    try {
      copyFileSync(join(OUT, 'conformance.js'), join(dir, 'conformance.js'));
      writeFileSync(join(dir, 'worker.js'), WORKER);
      const version = execFileSync(bin!, ['--version'], { encoding: 'utf8' }).trim();
      record('workerd', version, await runOnWorkerd(dir));
    } finally {
      done();
    }
  });
});
