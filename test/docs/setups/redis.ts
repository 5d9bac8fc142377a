// doc-test setup: a real redis-server on a free loopback port, for examples that use Redis. Sets REDIS_URL and
// redisUrl; the server is killed when the example's process exits. Names start with __ so examples keep theirs.
import { spawn as __spawn } from 'node:child_process';
import { createServer as __netServer, connect as __tcp } from 'node:net';

const __redisPort = await new Promise<number>((ok) => {
  const s = __netServer().listen(0, '127.0.0.1', () => {
    const p = (s.address() as { port: number }).port;
    s.close(() => ok(p));
  });
});
const __redis = __spawn(
  '/usr/bin/redis-server',
  [
    '--port',
    String(__redisPort),
    '--bind',
    '127.0.0.1',
    '--dir',
    process.cwd(),
    '--appendonly',
    'yes',
    '--appendfsync',
    'always',
  ],
  { stdio: 'ignore' },
);
__redis.unref();
process.on('exit', () => __redis.kill('SIGKILL'));
for (let up = false, i = 0; !up; i++) {
  if (i === 200) throw new Error('redis-server did not start');
  up = await new Promise<boolean>((ok) => {
    const c = __tcp(__redisPort, '127.0.0.1', () => {
      c.destroy();
      ok(true);
    }).on('error', () => ok(false));
  });
  if (!up) await new Promise((ok) => setTimeout(ok, 25));
}
const redisUrl = `redis://127.0.0.1:${__redisPort}`;
process.env.REDIS_URL = redisUrl;
