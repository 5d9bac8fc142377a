// Child processes running the compiled store, driven line by line over stdin/stdout.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface Child {
  readonly process: ChildProcessWithoutNullStreams;
  /** Resolves with the next output line that starts with `prefix` (earlier non-matching lines are dropped). */
  line(prefix: string, timeoutMs?: number): Promise<string>;
  send(line: string): void;
  kill(): Promise<void>;
}

/** Runs `source` as an ES module with `args` as process.argv[1..]. */
export function runChild(source: string, args: string[]): Child {
  const proc = spawn(process.execPath, ['--input-type=module', '-e', source, ...args], { stdio: 'pipe' });
  proc.stderr.on('data', (d: Buffer) => process.stderr.write(`[child] ${d}`));
  const lines: string[] = [];
  let wake: (() => void) | undefined;
  createInterface({ input: proc.stdout }).on('line', (l) => {
    lines.push(l);
    wake?.();
  });
  return {
    process: proc,
    async line(prefix, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const i = lines.findIndex((l) => l.startsWith(prefix));
        if (i >= 0) return lines.splice(0, i + 1).pop()!;
        if (proc.exitCode !== null) throw new Error(`child exited (${proc.exitCode}) before printing "${prefix}"`);
        if (Date.now() > deadline) throw new Error(`child did not print "${prefix}"`);
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, 50);
        });
      }
    },
    send(line) {
      proc.stdin.write(`${line}\n`);
    },
    async kill() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGKILL');
      await exited;
    },
  };
}

/** Wall-clock milliseconds comparable between processes on one host. */
export const wallMs = () => performance.timeOrigin + performance.now();

/** A child holding a Redis-backed list: `revoke <jti>`, `watch <jti>` and `watchkid <kid>` commands. */
export const REDIS_CHILD = `
import { createInterface } from 'node:readline';
const { createRevocationList, redisStore } = await import(process.argv[1]);
const list = createRevocationList({ store: redisStore({ url: process.argv[2] }, { namespace: process.argv[3] }) });
await list.ready();
const now = () => performance.timeOrigin + performance.now();
console.log('ready');
for await (const line of createInterface({ input: process.stdin })) {
  const [cmd, jti] = line.split(' ');
  if (cmd === 'revoke') {
    await list.revoke({ jti, exp: Date.now() / 1000 + 60 });
    console.log('revoked ' + jti + ' ' + now());
  } else if (cmd === 'watch') {
    console.log('watching ' + jti);
    while (!list.isRevokedSync({ jti })) await new Promise((r) => setImmediate(r));
    console.log('seen ' + jti + ' ' + now());
  } else if (cmd === 'watchkid') {
    const kid = jti;
    console.log('watching ' + kid);
    while (!list.isRevokedSync({ sub: 'x' }, { kid })) await new Promise((r) => setImmediate(r));
    console.log('seen ' + kid + ' ' + now());
  }
}
await list.close();
`;
