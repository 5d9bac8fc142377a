/**
 * `jot serve [--port N] [--open]`: the offline token debugger (jotjs/debugger) on 127.0.0.1 until Ctrl-C. Only the
 * loopback address is ever bound: the page's JWKS fetcher must not be reachable from the network.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { delimiter, join } from 'node:path';
import { createDebuggerHandler } from '../debugger/handler.js';
import { type Command, type Context, flag, str } from './command.js';
import { UsageError } from './io.js';

export interface ServeResult {
  url: string;
  /** How the page was opened: a program's name, or undefined when the URL was only printed. */
  opened?: string;
}

const DEFAULT_PORT = 8788;

function port(ctx: Context): number {
  const raw = str(ctx.values, 'port');
  if (raw === undefined) return DEFAULT_PORT;
  const n = /^\d{1,5}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(n >= 0 && n <= 65535)) throw new UsageError('--port must be a port number (0 picks a free one)');
  return n;
}

/** The first of `names` found on PATH, as a path. */
function onPath(env: Context['io']['env'], names: readonly string[]): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    for (const name of names) {
      try {
        accessSync(join(dir, name), constants.X_OK);
        return join(dir, name);
      } catch {}
    }
  }
  return undefined;
}

const OPENERS: Readonly<Record<string, readonly string[]>> = { darwin: ['open'], win32: [] };

async function compute(ctx: Context): Promise<ServeResult> {
  const handler = createDebuggerHandler();
  const server = createServer({ requestTimeout: 30_000, headersTimeout: 10_000 }, (req, res) => {
    if (!handler(req, res)) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
      res.end('not found');
    }
  });
  const wanted = port(ctx);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(
        new UsageError(
          e.code === 'EADDRINUSE'
            ? `port ${wanted} is in use on 127.0.0.1 (--port 0 picks a free one)`
            : `cannot listen on 127.0.0.1:${wanted} (${e.code ?? 'error'})`,
        ),
      ),
    );
    server.listen(wanted, '127.0.0.1', resolve);
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const result: ServeResult = { url };
  if (flag(ctx.values, 'open')) {
    const opener = onPath(ctx.io.env, OPENERS[process.platform] ?? ['xdg-open']);
    if (opener !== undefined) {
      const child = spawn(opener, [url], { stdio: 'ignore', detached: true });
      child.on('error', () => {});
      child.unref();
      result.opened = opener;
    }
  }
  if (ctx.json) ctx.io.stdout.write(`${JSON.stringify(result)}\n`);
  else {
    ctx.io.stdout.write(`jot debugger on ${ctx.out.bold(url)}\n`);
    ctx.io.stdout.write(
      result.opened === undefined
        ? `open it in your browser${flag(ctx.values, 'open') ? ' (no xdg-open found)' : ''}; Ctrl-C stops\n`
        : `opened with ${result.opened}; Ctrl-C stops\n`,
    );
  }
  await new Promise<void>((resolve) => {
    const stop = () => {
      server.close(() => resolve());
      server.closeAllConnections();
    };
    if (ctx.io.onInterrupt === undefined) return; // no Ctrl-C to wait for: runs until the process ends
    ctx.io.onInterrupt(stop);
  });
  return result;
}

export const command: Command<ServeResult> = {
  compute,
  text: () => 'stopped\n',
  json: (r) => ({ ...r, stopped: true }),
};
