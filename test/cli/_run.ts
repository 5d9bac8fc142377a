// Runs the CLI in-process (main() with captured streams) or as the built binary (bin/jot.js + dist/).
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clockFrom, type Io } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';

export const ROOT = join(import.meta.dirname, '..', '..');
export const BIN = join(ROOT, 'bin', 'jot.js');
/** 2026-01-01T00:00:00Z: the clock of every CLI test. */
export const NOW = 1767225600;

export interface RunOptions {
  stdin?: string;
  env?: Record<string, string | undefined>;
  /** Pretend standard output (and error) are terminals. */
  tty?: boolean;
  cwd?: string;
  onInterrupt?: Io['onInterrupt'];
  /** Called with every write to standard error (after it is recorded). */
  onStderr?: (text: string) => void;
  /** Called with every write to standard output (after it is recorded). */
  onStdout?: (text: string) => void;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function jot(argv: string[], options: RunOptions = {}): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  const env = { JOT_NOW: String(NOW), ...options.env };
  const io: Io = {
    stdout: {
      write: (s) => {
        stdout += s;
        options.onStdout?.(s);
      },
      isTTY: options.tty === true,
    },
    stderr: {
      write: (s) => {
        stderr += s;
        options.onStderr?.(s);
      },
      isTTY: options.tty === true,
    },
    readStdin: async (max) => {
      const s = options.stdin ?? '';
      if (Buffer.byteLength(s) > max) throw new Error('too big');
      return s;
    },
    env,
    now: clockFrom(env),
    cwd: options.cwd ?? process.cwd(),
    onInterrupt: options.onInterrupt,
  };
  const code = await main(argv, io, '0.0.0-test');
  return { code, stdout, stderr };
}

/** A scratch directory, removed by the returned cleanup. */
export function scratch(): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'jot-cli-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The built binary exists (npm run build). */
export function built(): boolean {
  return existsSync(join(ROOT, 'dist', 'cli', 'process.js'));
}

function newest(dir: string): number {
  return Math.max(
    ...readdirSync(dir).map((n) => {
      const p = join(dir, n);
      const st = statSync(p);
      return st.isDirectory() ? newest(p) : st.mtimeMs;
    }),
  );
}

/** Throws unless dist/ holds a build of the current src/cli (tests of the binary need npm run build). */
export function assertBuilt(): void {
  const hint = 'run npm run build before the tests of the built binary';
  if (!built()) throw new Error(`dist/cli is missing: ${hint}`);
  if (newest(join(ROOT, 'src', 'cli')) > statSync(join(ROOT, 'dist', 'cli', 'process.js')).mtimeMs) {
    throw new Error(`dist/cli is older than src/cli: ${hint}`);
  }
}

/** Spawn bin/jot.js (the built CLI) with a fixed clock and no colours unless env says otherwise. */
export function spawnJot(
  argv: string[],
  options: { stdin?: string; env?: Record<string, string>; cwd?: string } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...argv], {
      cwd: options.cwd ?? ROOT,
      env: { PATH: process.env.PATH ?? '', JOT_NOW: String(NOW), NO_COLOR: '1', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(options.stdin ?? '');
  });
}

export function execText(file: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => execFile(file, args, (e, out) => (e ? reject(e) : resolve(out))));
}
