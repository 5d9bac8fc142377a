// doc-test setup: a real three-master Redis Cluster on free loopback ports, for examples that use Cluster. Sets
// REDIS_CLUSTER_NODES (comma-separated URLs) and redisNodes; the servers are killed when the example's process
// exits. Self-contained like setups/redis.ts, since a block runs in a scratch project, outside vitest; the tests
// start their clusters with test/revocation/_redis.ts. Names start with __ so examples keep theirs.
import { execFileSync as __execFileSync, spawn as __spawn } from 'node:child_process';
import { createServer as __netServer } from 'node:net';

const __free = (port: number) =>
  new Promise<number | undefined>((ok) => {
    const s = __netServer()
      .once('error', () => ok(undefined))
      .listen(port, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => ok(p));
      });
  });
const __ports: number[] = [];
while (__ports.length < 3) {
  const p = await __free(0);
  // The cluster bus listens on port + 10000.
  if (p !== undefined && p + 10000 <= 65535 && (await __free(p + 10000)) !== undefined) __ports.push(p);
}
const __servers = __ports.map((p) =>
  __spawn(
    '/usr/bin/redis-server',
    [
      ...['--port', String(p), '--bind', '127.0.0.1', '--dir', process.cwd(), '--save', ''],
      ...['--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${p}.conf`],
      ...['--appendonly', 'yes', '--appendfsync', 'always', '--appendfilename', `aof-${p}.aof`],
      ...['--appenddirname', `aof-${p}`],
    ],
    { stdio: 'ignore' },
  ),
);
for (const s of __servers) s.unref();
process.on('exit', () => {
  for (const s of __servers) s.kill('SIGKILL');
});
const __cli = (...args: string[]) => __execFileSync('/usr/bin/redis-cli', args, { encoding: 'utf8', timeout: 30_000 });
for (const p of __ports) {
  for (let i = 0; ; i++) {
    if (i === 200) throw new Error('redis-server did not start');
    try {
      if (__cli('-p', String(p), 'ping').startsWith('PONG')) break;
    } catch {}
    await new Promise((ok) => setTimeout(ok, 25));
  }
}
__cli('--cluster', 'create', ...__ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '0', '--cluster-yes');
for (const p of __ports) {
  for (let i = 0; !__cli('-p', String(p), 'cluster', 'info').includes('cluster_state:ok'); i++) {
    if (i === 300) throw new Error('the Redis cluster did not become ok');
    await new Promise((ok) => setTimeout(ok, 100));
  }
}
const redisNodes = __ports.map((p) => `redis://127.0.0.1:${p}`);
process.env.REDIS_CLUSTER_NODES = redisNodes.join(',');
