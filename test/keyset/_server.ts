// A real HTTP server on 127.0.0.1 for the key set tests: a swappable handler and a request log.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export interface TestServer {
  readonly origin: string;
  /** Requests received, in order (method, path and the headers that matter here). */
  readonly requests: { path: string; ifNoneMatch: string | undefined; headers: IncomingMessage['headers'] }[];
  handle(handler: Handler): void;
  /** Count of requests to `path` (all paths when omitted). */
  count(path?: string): number;
  close(): Promise<void>;
}

/** JSON with optional headers. */
export function json(body: unknown, headers: Record<string, string> = {}): Handler {
  return (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', ...headers });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  };
}

export async function startServer(handler: Handler = json({ keys: [] })): Promise<TestServer> {
  let current = handler;
  const requests: TestServer['requests'] = [];
  const server: Server = createServer((req, res) => {
    const inm = req.headers['if-none-match'];
    requests.push({
      path: req.url ?? '',
      ifNoneMatch: typeof inm === 'string' ? inm : undefined,
      headers: req.headers,
    });
    current(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    handle(h) {
      current = h;
    },
    count: (path) => requests.filter((r) => path === undefined || r.path === path).length,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A clock the tests move by hand. */
export function manualClock(start = 1_800_000_000_000): { now: () => number; advance(ms: number): void } {
  let t = start;
  return {
    now: () => t,
    advance(ms) {
      t += ms;
    },
  };
}

/** The rotation schedule the ring tests use with {@link manualClock}: rotate daily, publish 20 minutes ahead, retire
 * after 2 hours, no timer (the tests call `check()`). */
export const HAND_SCHEDULE = {
  rotateEvery: '1d',
  maxAge: '10m',
  publishAhead: '20m',
  retireAfter: '2h',
  checkEvery: 0,
} as const;
