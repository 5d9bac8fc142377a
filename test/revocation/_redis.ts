// Real redis-server processes on free loopback ports, for the Redis store tests.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const REDIS_SERVER = '/usr/bin/redis-server';
export const REDIS_CLI = '/usr/bin/redis-cli';

/**
 * Is redis-server installed? Without it the Redis tests are skipped with a message, except under
 * CI=true, where its absence is a failure.
 */
export function redisAvailable(): boolean {
  if (existsSync(REDIS_SERVER) && existsSync(REDIS_CLI)) return true;
  const message = `${REDIS_SERVER} or ${REDIS_CLI} not found: install the Debian packages redis-server and redis-tools`;
  if (process.env.CI === 'true') throw new Error(message);
  console.warn(`skipping the Redis revocation tests: ${message}`);
  return false;
}

function listenOnce(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(undefined));
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : undefined));
    });
  });
}

/** A free loopback port; with `bus`, port + 10000 (the cluster bus) is free too. */
export async function freePort(bus = false): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const port = await listenOnce(0);
    if (port === undefined) continue;
    if (!bus || (port + 10000 <= 65535 && (await listenOnce(port + 10000)) !== undefined)) return port;
  }
  throw new Error('no free port');
}

async function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let data = '';
    socket.setTimeout(500, () => {
      socket.destroy();
      resolve(false);
    });
    socket.on('error', () => resolve(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      data += chunk.toString();
      if (data.includes('\r\n')) {
        socket.destroy();
        resolve(data.startsWith('+PONG'));
      }
    });
  });
}

export interface RedisServer {
  readonly port: number;
  readonly url: string;
  readonly dir: string;
  /** Sends a signal (default SIGKILL) and waits for the process to exit. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Sends a signal without waiting (SIGSTOP, SIGCONT). */
  signal(signal: NodeJS.Signals): void;
  /** Starts the server again on the same port and directory (its AOF is reloaded). */
  restart(): Promise<void>;
  /** Stops the server and removes its directory. */
  stop(): Promise<void>;
}

export interface StartOptions {
  args?: string[];
  port?: number;
}

/** Starts redis-server with `appendonly yes`, `appendfsync always` and no RDB snapshots. */
export async function startRedis(options: StartOptions = {}): Promise<RedisServer> {
  const port = options.port ?? (await freePort());
  const dir = mkdtempSync(join(tmpdir(), 'jot-redis-'));
  const args = [
    ...['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--dir', dir],
    ...['--appendonly', 'yes', '--appendfsync', 'always', '--daemonize', 'no', '--loglevel', 'warning'],
    ...(options.args ?? []),
  ];
  let child: ChildProcess | undefined;

  async function start(): Promise<void> {
    const proc = spawn(REDIS_SERVER, args, { stdio: 'ignore' });
    child = proc;
    const deadline = Date.now() + 10_000;
    while (!(await ping(port))) {
      if (proc.exitCode !== null) throw new Error(`redis-server exited with ${proc.exitCode}`);
      if (Date.now() > deadline) throw new Error('redis-server did not start');
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  async function kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const proc = child;
    child = undefined;
    if (proc === undefined || proc.exitCode !== null || proc.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      proc.once('exit', () => resolve());
      proc.kill(signal);
    });
  }

  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    dir,
    kill,
    signal: (signal) => child?.kill(signal),
    restart: start,
    async stop() {
      await kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface RedisCluster {
  readonly nodes: RedisServer[];
  readonly urls: string[];
  stop(): Promise<void>;
}

async function cli(...args: string[]): Promise<string> {
  return (await run(REDIS_CLI, args, { timeout: 30_000 })).stdout;
}

/** Starts three masters with cluster mode enabled, creates the cluster and waits until it is ok. */
export async function startCluster(): Promise<RedisCluster> {
  const nodes: RedisServer[] = [];
  try {
    for (let i = 0; i < 3; i++) {
      const port = await freePort(true);
      const args = ['--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${port}.conf`];
      nodes.push(await startRedis({ port, args: [...args, '--cluster-node-timeout', '5000'] }));
    }
    const addresses = nodes.map((n) => `127.0.0.1:${n.port}`);
    await cli('--cluster', 'create', ...addresses, '--cluster-replicas', '0', '--cluster-yes');
    const deadline = Date.now() + 30_000;
    for (const node of nodes) {
      while (!(await cli('-p', String(node.port), 'cluster', 'info')).includes('cluster_state:ok')) {
        if (Date.now() > deadline) throw new Error('the Redis cluster did not become ok');
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  } catch (e) {
    await Promise.all(nodes.map((n) => n.stop()));
    throw e;
  }
  return {
    nodes,
    urls: nodes.map((n) => n.url),
    async stop() {
      await Promise.all(nodes.map((n) => n.stop()));
    },
  };
}

/** Runs redis-cli against a server and returns its output. */
export function redisCli(port: number, ...args: string[]): Promise<string> {
  return cli('-p', String(port), ...args);
}
