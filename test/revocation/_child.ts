// Child processes running the compiled store, driven line by line over stdin/stdout.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { expect } from 'vitest';
import type { RevocationList } from '../../src/revocation/index.js';
import { eventually } from './_suite.js';

export interface Child {
  readonly process: ChildProcessWithoutNullStreams;
  /** Resolves with the next output line that starts with `prefix` (earlier non-matching lines are dropped). */
  line(prefix: string, timeoutMs?: number): Promise<string>;
  /** Calls `listener` with every output line from now on (the lines also stay available to {@link line}). */
  onLine(listener: (line: string) => void): void;
  send(line: string): void;
  /** SIGKILL; resolves once the process exited and every line it printed was read. */
  kill(): Promise<void>;
}

/** Runs `source` as an ES module with `args` as process.argv[1..]. */
export function runChild(source: string, args: string[]): Child {
  const proc = spawn(process.execPath, ['--input-type=module', '-e', source, ...args], { stdio: 'pipe' });
  proc.stderr.on('data', (d: Buffer) => process.stderr.write(`[child] ${d}`));
  const lines: string[] = [];
  const listeners: ((line: string) => void)[] = [];
  let wake: (() => void) | undefined;
  const output = createInterface({ input: proc.stdout });
  const outputClosed = new Promise((r) => output.once('close', r));
  output.on('line', (l) => {
    lines.push(l);
    for (const f of listeners) f(l);
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
    onLine(listener) {
      listeners.push(listener);
    },
    send(line) {
      proc.stdin.write(`${line}\n`);
    },
    async kill() {
      if (proc.exitCode === null && proc.signalCode === null) {
        const exited = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGKILL');
        await exited;
      }
      await outputClosed;
    },
  };
}

/** Wall-clock milliseconds comparable between processes on one host. */
export const wallMs = () => performance.timeOrigin + performance.now();

/** Where a list child keeps its list: the same stores the tests build in this process. */
export type ChildStore =
  | { readonly kind: 'redis'; readonly url: string; readonly namespace: string }
  | { readonly kind: 'sqlite'; readonly path: string };

/**
 * A child holding a revocation list on a Redis or SQLite store (argv: index, kind, url or path, namespace), driven by
 * commands: `revoke <jti>`, `watch <jti>`, `watchkid <kid>` (wall times printed), and `flood <prefix>`, which revokes
 * `<prefix><i>` 20 at a time without end and prints `ok <jti>` once each revoke() resolved (to be killed mid-write).
 */
const LIST_CHILD = `
import { createInterface } from 'node:readline';
const [index, kind, where, namespace] = process.argv.slice(1);
const { createRevocationList, redisStore, sqliteStore } = await import(index);
const store =
  kind === 'redis' ? redisStore({ url: where }, { namespace })
  : kind === 'sqlite' ? sqliteStore({ path: where })
  : undefined;
if (store === undefined) throw new Error('unknown store kind ' + kind);
const list = createRevocationList({ store });
await list.ready();
const now = () => performance.timeOrigin + performance.now();
console.log('ready');
for await (const line of createInterface({ input: process.stdin })) {
  const [cmd, arg] = line.split(' ');
  if (cmd === 'revoke') {
    await list.revoke({ jti: arg, exp: Date.now() / 1000 + 60 });
    console.log('revoked ' + arg + ' ' + now());
  } else if (cmd === 'watch') {
    console.log('watching ' + arg);
    while (!list.isRevokedSync({ jti: arg })) await new Promise((r) => setImmediate(r));
    console.log('seen ' + arg + ' ' + now());
  } else if (cmd === 'watchkid') {
    console.log('watching ' + arg);
    while (!list.isRevokedSync({ sub: 'x' }, { kid: arg })) await new Promise((r) => setImmediate(r));
    console.log('seen ' + arg + ' ' + now());
  } else if (cmd === 'flood') {
    for (let i = 0; ; i += 20) {
      await Promise.all(Array.from({ length: 20 }, async (_, j) => {
        await list.revoke({ jti: arg + (i + j), exp: Date.now() / 1000 + 3600 });
        console.log('ok ' + arg + (i + j));
      }));
    }
  }
}
await list.close();
`;

/** Starts a {@link LIST_CHILD} on `store`, running the compiled `revocation/index.js` at `index`. */
export function runListChild(index: string, store: ChildStore): Child {
  const where = store.kind === 'redis' ? [store.url, store.namespace] : [store.path];
  return runChild(LIST_CHILD, [index, store.kind, ...where]);
}

/**
 * Revocations passed both ways between `list` and a list child on the same store, `rounds` times each way: the
 * milliseconds from a revoke() resolving in one process to the other process answering true (wall clock, one host).
 */
export async function crossProcessLatencies(list: RevocationList, child: Child, rounds = 20): Promise<number[]> {
  await child.line('ready');
  const latencies: number[] = [];
  for (let i = 0; i < rounds; i++) {
    // child -> parent: from the child's revoke() resolving to this process answering true.
    expect(list.isRevokedSync({ jti: `c${i}` })).toBe(false);
    child.send(`revoke c${i}`);
    const resolvedAt = Number((await child.line(`revoked c${i} `)).split(' ')[2]);
    expect(await eventually(() => list.isRevokedSync({ jti: `c${i}` }), 1000)).toBe(true);
    latencies.push(wallMs() - resolvedAt);
    // parent -> child: from this process's revoke() resolving to the child answering true.
    child.send(`watch p${i}`);
    await child.line(`watching p${i}`);
    await list.revoke({ jti: `p${i}`, exp: Date.now() / 1000 + 60 });
    const revokedAt = wallMs();
    const seenAt = Number((await child.line(`seen p${i} `)).split(' ')[2]);
    latencies.push(seenAt - revokedAt);
  }
  return latencies;
}
