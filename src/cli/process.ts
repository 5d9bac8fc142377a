/** The process side of the CLI: the real streams, environment, clock and Ctrl-C, handed to main(). */
import { clockFrom, type Io, UsageError } from './io.js';
import { main } from './main.js';

function readStdin(maxBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const stdin = process.stdin;
    stdin.on('data', (c: Buffer) => {
      total += c.length;
      if (total > maxBytes) {
        stdin.destroy();
        reject(new UsageError(`standard input is larger than ${maxBytes} bytes`));
        return;
      }
      chunks.push(c);
    });
    stdin.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    stdin.on('error', () => reject(new UsageError('cannot read standard input')));
  });
}

export async function run(argv: readonly string[], version: string): Promise<number> {
  // A reader that went away (jot decode TOKEN | head -1) is not an error.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => process.exit(e.code === 'EPIPE' ? 0 : 1));
  }
  const handlers = new Set<() => void>();
  process.on('SIGINT', () => {
    // With nobody listening (or on a second Ctrl-C), stop at once as a shell expects.
    if (handlers.size === 0) process.exit(130);
    for (const h of [...handlers]) {
      handlers.delete(h);
      h();
    }
  });
  let now: () => number;
  try {
    now = clockFrom(process.env);
  } catch (e) {
    process.stderr.write(`jot: ${(e as Error).message}\n`);
    return 2;
  }
  const io: Io = {
    stdout: process.stdout,
    stderr: process.stderr,
    readStdin,
    env: process.env,
    now,
    cwd: process.cwd(),
    onInterrupt(handler) {
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
  };
  return main(argv, io, version);
}
