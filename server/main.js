// `npm start`: the demo authorization server and API on 127.0.0.1. Environment:
//   PORT            port (default 8787; 0 picks a free one)
//   JOT_DATA_DIR    data folder (default .data/ in the project): key ring secret, users, SQLite files
//   JOT_REDIS_URL   keep revocations, DPoP replay ids, used refresh tokens and the key ring in Redis
//   JOT_REDIS_DURABILITY  auto (default: WAITAOF or an fsync-always AOF), waitaof, or server (trust the server)
//   JOT_ISSUER      public origin (default http://127.0.0.1:PORT); instances sharing Redis share it
//   JOT_LOG=0       no request log;  JOT_BENCH=1  adds GET /bench/no-auth (for npm run load)
import { createServer } from 'node:http';
import { join } from 'node:path';
import { createService } from './app.js';

const root = join(import.meta.dirname, '..');
const dataDir = process.env.JOT_DATA_DIR || join(root, '.data');
const requested = process.env.PORT === undefined || process.env.PORT === '' ? 8787 : Number(process.env.PORT);
if (!Number.isInteger(requested) || requested < 0 || requested > 65535) {
  console.error('PORT must be a port number');
  process.exit(2);
}
const quiet = process.env.JOT_LOG === '0';
const log = (line) => {
  if (!quiet) console.log(`${new Date().toISOString()} ${line}`);
};

const server = createServer({ requestTimeout: 10_000, headersTimeout: 5_000, maxHeaderSize: 16_384 });
server.keepAliveTimeout = 5_000;
try {
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(requested, '127.0.0.1', resolve);
  });
} catch (e) {
  console.error(`cannot listen on 127.0.0.1:${requested}: ${e?.code ?? e} (set PORT to another port)`);
  process.exit(1);
}
const port = server.address().port;
const issuer = process.env.JOT_ISSUER || `http://127.0.0.1:${port}`;
if (!/^https?:\/\/[^/?#]+$/.test(issuer) || new URL(issuer).origin !== issuer) {
  console.error('JOT_ISSUER must be an origin such as https://as.example (no path, no trailing slash)');
  server.close();
  process.exit(2);
}
let service;
try {
  service = await createService({
    dataDir,
    issuer,
    redisUrl: process.env.JOT_REDIS_URL || undefined,
    redisDurability: process.env.JOT_REDIS_DURABILITY || undefined,
    log,
    benchRoute: process.env.JOT_BENCH === '1',
  });
} catch (e) {
  console.error(`cannot start: ${e?.code ?? ''} ${e?.message ?? e}`);
  server.close();
  process.exit(1);
}
server.on('request', (req, res) => {
  const start = performance.now();
  res.on('finish', () => {
    // Method, route and status only: never the query, headers, body or an unknown path (tokens, passwords).
    const path = service.routeOf((req.url ?? '').split('?')[0]);
    log(`${req.method} ${path} ${res.statusCode} ${(performance.now() - start).toFixed(1)}ms`);
  });
  service.handle(req, res);
});
server.on('clientError', (_e, socket) => {
  if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
  else socket.destroy();
});

console.log(`jot demo service on http://127.0.0.1:${port}/ (issuer ${issuer})`);
console.log(`  debugger  http://127.0.0.1:${port}/  (the offline token debugger; endpoints: /service)`);
console.log(`  metadata  ${issuer}/.well-known/oauth-authorization-server`);
console.log(`  JWKS      ${issuer}/.well-known/jwks.json`);
console.log(`  data      ${process.env.JOT_REDIS_URL ? 'Redis (revocation, DPoP replay, key ring)' : dataDir}`);
console.log('  demo user demo / demo');
console.log(`  try: curl -s -d grant_type=password -d username=demo -d password=demo ${issuer}/token`);

let stopping = false;
async function stop(signal) {
  if (stopping) return;
  stopping = true;
  log(`${signal}: stopping`);
  server.close();
  server.closeIdleConnections();
  const force = setTimeout(() => server.closeAllConnections(), 3000);
  force.unref();
  await new Promise((resolve) => server.once('close', resolve));
  await service.close();
  process.exit(0);
}
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
