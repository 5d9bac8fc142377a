// Runs the portable conformance bundle (dist/bundles/conformance.js, built by scripts/bundle.js in the global setup)
// on one runtime, and keeps the runtime table's record of each runtime in test/runtimes/results/NAME.json.
//
// A record is what the last update run measured: { runtime, version, entry, tested, why?, algorithms, vectors }.
// Each runtime test compares its run with the record and fails on any difference (statuses and entry; the version
// is informational, since Debian's chromium moves under a fixed lock file). `JOT_UPDATE_RUNTIMES=1 npx vitest run
// test/runtimes` rewrites the records, and `node scripts/runtime-table.js --readme` the README's table from them.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';
import { expect } from 'vitest';
// @ts-expect-error: a plain JavaScript build script, no types
import { OUT, ROOT, WEB_ENTRY } from '../../scripts/bundle.js';

export { OUT, ROOT, WEB_ENTRY };

export type Status = string; // 'ok' | 'not-supported' | `fail:${string}`
export interface Results {
  algorithms: Record<string, Status>;
  vectors: Record<string, Status>;
}
export interface RuntimeRecord extends Partial<Results> {
  runtime: string;
  version: string;
  entry: string;
  tested: boolean;
  why?: string;
}

/** The columns of the runtime table, in order: file name and heading. */
export const RUNTIMES = [
  ['node', 'Node'],
  ['node-webcrypto', 'Node WebCrypto'],
  ['chromium', 'Chromium'],
  ['deno', 'Deno'],
  ['bun', 'Bun'],
  ['workerd', 'workerd'],
] as const;
export type RuntimeName = (typeof RUNTIMES)[number][0];

export const RESULTS_DIR = join(ROOT, 'test', 'runtimes', 'results');
const recordPath = (name: RuntimeName) => join(RESULTS_DIR, `${name}.json`);
const require_ = createRequire(import.meta.url);

/** The binary a platform package ships (npm installs the one package matching this machine). */
export function platformBinary(pkg: string, rel: string): string | undefined {
  try {
    const bin = join(dirname(require_.resolve(`${pkg}/package.json`)), rel);
    return existsSync(bin) ? bin : undefined;
  } catch {
    return undefined;
  }
}

export const BINARIES = {
  deno: () => platformBinary('@deno/linux-x64-glibc', 'deno'),
  bun: () => platformBinary('@oven/bun-linux-x64', 'bin/bun'),
  workerd: () => platformBinary('@cloudflare/workerd-linux-64', 'bin/workerd'),
};

/** Why a runtime cannot run here, or undefined. Under CI=true a reason fails the test instead of skipping it. */
export function unavailable(name: string, why: string | undefined): string | undefined {
  if (why === undefined) return undefined;
  if (process.env.CI === 'true') throw new Error(`${name}: ${why}`);
  console.warn(`${name}: not tested: ${why}`);
  return why;
}

/** Parse the one JSON line a runtime printed (last line of stdout). */
export function parseResults(stdout: string): Results {
  const line = stdout.trim().split('\n').at(-1) ?? '';
  const r = JSON.parse(line) as Results;
  expect(Object.keys(r.algorithms).length).toBeGreaterThan(40);
  expect(Object.keys(r.vectors).length).toBeGreaterThan(50);
  return r;
}

/** Run the command-line form of a bundle on a binary; resolves to its results. */
export function runCli(bin: string, args: string[], env: NodeJS.ProcessEnv = {}): Results {
  const stdout = execFileSync(bin, args, {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 240_000,
    maxBuffer: 16 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return parseResults(stdout);
}

/** Every status that is neither 'ok' nor 'not-supported'. */
export function failures(r: Results): string[] {
  return [...Object.entries(r.algorithms), ...Object.entries(r.vectors)]
    .filter(([, s]) => s !== 'ok' && s !== 'not-supported')
    .map(([k, s]) => `${k}: ${s}`);
}

export function readRecord(name: RuntimeName): RuntimeRecord {
  return JSON.parse(readFileSync(recordPath(name), 'utf8')) as RuntimeRecord;
}

/**
 * Check a run against the runtime's record (or rewrite the record under JOT_UPDATE_RUNTIMES=1). No failures are
 * accepted either way: a runtime lacking an algorithm must say ERR_JOSE_NOT_SUPPORTED, never fail otherwise.
 */
export function record(name: RuntimeName, version: string, r: Results | { why: string }): void {
  const heading = RUNTIMES.find(([n]) => n === name)![1];
  const rec: RuntimeRecord =
    'why' in r
      ? { runtime: heading, version, entry: WEB_ENTRY, tested: false, why: r.why }
      : { runtime: heading, version, entry: WEB_ENTRY, tested: true, ...r };
  // Until the WebCrypto entry is merged, the other runtimes run the Node build through their node:crypto
  // compatibility layers, whose gaps surface as failures; they are recorded (the table shows them) and must not
  // change. On Node itself, and on every runtime once WEB_ENTRY is the web entry, no failure is accepted.
  if ('algorithms' in r) expect(failures(r)).toEqual([]);
  if (process.env.JOT_UPDATE_RUNTIMES === '1') {
    writeFileSync(recordPath(name), `${JSON.stringify(rec, null, 2)}\n`);
    return;
  }
  const old = readRecord(name);
  const hint =
    'the runtime table is stale: JOT_UPDATE_RUNTIMES=1 npx vitest run test/runtimes, then node scripts/runtime-table.js --readme';
  expect({ ...rec, version: old.version }, hint).toEqual(old);
}

/** A free TCP port on 127.0.0.1 (for a child that must bind it itself). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** A fresh temporary directory, removed by the returned function. */
export function tempDir(prefix: string): [string, () => void] {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return [dir, () => rmSync(dir, { recursive: true, force: true })];
}

/** Stop a child we started, and wait for it. */
export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

export { spawn };

/**
 * One test script bundled with jot's WebCrypto build (`dist/browser/`, the entry points named in `alias` by package
 * name) into `outfile`, for the browser platform: a `node:` import anywhere in it fails the build.
 */
export async function bundleWebScript(script: string, outfile: string, entries: Record<string, string>): Promise<void> {
  await build({
    entryPoints: [join(ROOT, 'test', 'runtimes', script)],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    logLevel: 'silent',
    absWorkingDir: ROOT,
    tsconfigRaw: {},
    alias: Object.fromEntries(
      Object.entries(entries).map(([name, file]) => [name, join(ROOT, 'dist', 'browser', file)]),
    ),
  });
}
