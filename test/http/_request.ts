// Raw HTTP requests over node:http, so that a test controls every header line (two Authorization lines included).
import { request as httpRequest, type OutgoingHttpHeaders } from 'node:http';

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export function send(origin: string, method: string, path: string, headers: OutgoingHttpHeaders = {}): Promise<Answer> {
  const u = new URL(path, origin);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: u.hostname, port: u.port, method, path: u.pathname + u.search, headers, agent: false },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          body += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}
