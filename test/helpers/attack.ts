/**
 * Global invariants of the hostile-input suites (shared/attacks.md G1-G5), as assertions:
 *
 * - {@link expectJotError}: only a `JotError` with a documented code escapes (G1); signature, algorithm and key errors
 *   carry no payload (A50); nothing the caller marks secret (token, key, MAC, CEK, plaintext, password) appears in
 *   the message, stack, enumerable members, `JSON.stringify(err)`, `util.inspect(err)` or the `cause` chain (A52).
 * - {@link spyOnSideEffects} and {@link countingServer}: no socket, request, DNS lookup, file read or child process
 *   is started by verification (G3).
 * - {@link sameFailure}: every decryption failure has one code and one message (G4).
 */
import { Buffer } from 'node:buffer';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { inspect } from 'node:util';
import { expect } from 'vitest';
import { ERROR_CODES, JotError, type JotErrorCode } from '../../src/errors.js';
import { cpuMs } from './timing.js';

/** A secret: text, or bytes (searched as base64url, base64 and hex too). */
export type Secret = string | Uint8Array;

export interface JotErrorExpectations {
  /** Values that must appear nowhere in the error (A52). Strings shorter than 6 characters are not searched. */
  secrets?: readonly Secret[];
  /** The exact message, when a test pins it (G4). */
  message?: string;
}

const CLAIM_CODES: ReadonlySet<JotErrorCode> = new Set(['ERR_JWT_EXPIRED', 'ERR_JWT_CLAIM_VALIDATION_FAILED']);

/** Every textual form an error can reach a log through, down its cause chain. */
export function errorTexts(e: unknown, depth = 0): string[] {
  if (depth > 8 || e === undefined || e === null) return [];
  if (typeof e !== 'object') return [String(e)];
  const x = e as { message?: unknown; stack?: unknown; cause?: unknown };
  const out = [String(x.message), String(x.stack), inspect(e, { depth: 6 })];
  try {
    out.push(JSON.stringify(e) ?? '');
  } catch {
    out.push('');
  }
  for (const k of Object.keys(e)) out.push(`${k}=${inspect((e as Record<string, unknown>)[k], { depth: 6 })}`);
  return [...out, ...errorTexts(x.cause, depth + 1)];
}

/** The searchable spellings of a secret. */
function spellings(s: Secret): string[] {
  if (typeof s === 'string') return s.length >= 6 ? [s] : [];
  if (s.byteLength < 6) return [];
  const b = Buffer.from(s);
  const std = b.toString('base64');
  return [b.toString('base64url'), std.replace(/=+$/, ''), b.toString('hex'), b.toString('hex').toUpperCase()];
}

/** Assert that no secret appears in any textual form of `e` (A52). */
export function expectNoLeak(e: unknown, secrets: readonly Secret[]): void {
  const texts = errorTexts(e).join('\n');
  for (const s of secrets) {
    for (const spelled of spellings(s)) {
      if (texts.includes(spelled)) throw new Error(`the error leaks a secret (${spelled.slice(0, 12)}...)`);
    }
  }
}

/** G1 and A50 on a thrown value: a JotError with a documented code from `codes`, no payload unless a claim error. */
export function checkJotError(e: unknown, codes: readonly JotErrorCode[], x: JotErrorExpectations = {}): JotError {
  if (!(e instanceof JotError)) {
    const what = e instanceof Error ? `${e.constructor.name}: ${e.message}` : String(e);
    throw new Error(`G1: expected a JotError (${codes.join(' | ')}), got ${what}`);
  }
  expect(ERROR_CODES, 'G1: the code is documented').toContain(e.code);
  expect(codes, `expected one of ${codes.join(' | ')}`).toContain(e.code);
  expect(['JotError', 'JwtClaimError']).toContain(e.name);
  expect(typeof e.message === 'string' && e.message.length > 0).toBe(true);
  if (!CLAIM_CODES.has(e.code)) expect((e as { payload?: unknown }).payload, 'A50: no claims').toBeUndefined();
  else expect(Object.keys(e), 'A50: claims stay out of logs').not.toContain('payload');
  if (x.message !== undefined) expect(e.message).toBe(x.message);
  expectNoLeak(e, x.secrets ?? []);
  return e;
}

/**
 * Run `action` (a promise, or a function that throws or returns a promise) and assert the global invariants on the
 * rejection: a JotError whose code is documented and in `codes`, no payload on non-claim errors, no secret leaked.
 */
export async function expectJotError(
  action: Promise<unknown> | (() => unknown),
  codes: JotErrorCode | readonly JotErrorCode[],
  x: JotErrorExpectations = {},
): Promise<JotError> {
  const list: readonly JotErrorCode[] = typeof codes === 'string' ? [codes] : codes;
  let value: unknown;
  try {
    value = await (typeof action === 'function' ? action() : action);
  } catch (e) {
    return checkJotError(e, list, x);
  }
  throw new Error(`expected ${list.join(' | ')}, but the call succeeded with ${inspect(value, { depth: 1 })}`);
}

/** The outcome as 'ok' or a JotError code; anything else is rethrown (G1). */
export async function outcomeOf(action: Promise<unknown> | (() => unknown)): Promise<'ok' | JotErrorCode> {
  try {
    await (typeof action === 'function' ? action() : action);
    return 'ok';
  } catch (e) {
    if (e instanceof JotError && ERROR_CODES.includes(e.code)) return e.code;
    throw e;
  }
}

/** G4: every failure has the same code, message and JSON form. */
export function sameFailure(errors: readonly JotError[]): void {
  expect(errors.length).toBeGreaterThan(1);
  const first = errors[0]!;
  for (const e of errors) {
    expect(e.code).toBe(first.code);
    expect(e.message).toBe(first.message);
    expect(JSON.stringify(e)).toBe(JSON.stringify(first));
    expect(Object.keys(e).sort()).toEqual(Object.keys(first).sort());
    expect(e.cause).toBeUndefined();
  }
}

const require = createRequire(import.meta.url);

/** Module members that reach the network, the file system or a child process. */
const WATCHED: Readonly<Record<string, readonly string[]>> = {
  'node:http': ['request', 'get'],
  'node:https': ['request', 'get'],
  'node:http2': ['connect'],
  'node:net': ['connect', 'createConnection'],
  'node:tls': ['connect'],
  'node:dgram': ['createSocket'],
  'node:dns': ['lookup', 'resolve', 'resolve4', 'resolve6', 'resolveAny'],
  'node:fs': [
    'readFile',
    'readFileSync',
    'open',
    'openSync',
    'createReadStream',
    'readdir',
    'readdirSync',
    'stat',
    'statSync',
    'access',
    'accessSync',
    'existsSync',
  ],
  'node:child_process': ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork'],
};

export interface SideEffectSpy {
  /** `module.member` of every watched call made while the spy was installed. */
  readonly calls: readonly string[];
  restore(): void;
}

/**
 * Wrap every watched function (and `globalThis.fetch`, `fs.promises.readFile/open`, `net.Socket#connect`) with a
 * recording pass-through, and sync the ESM named exports of the built-in modules, so imports of either form see the
 * spies. Call `restore()` in a `finally`.
 */
export function spyOnSideEffects(): SideEffectSpy {
  const calls: string[] = [];
  const undo: (() => void)[] = [];
  const wrap = (target: Record<string, unknown>, member: string, label: string): void => {
    const original = target[member];
    if (typeof original !== 'function') return;
    const spy = function (this: unknown, ...args: unknown[]) {
      calls.push(label);
      return (original as (...a: unknown[]) => unknown).apply(this, args);
    };
    target[member] = spy;
    undo.push(() => {
      target[member] = original;
    });
  };
  for (const [name, members] of Object.entries(WATCHED)) {
    const mod = require(name) as Record<string, unknown>;
    for (const m of members) wrap(mod, m, `${name}.${m}`);
  }
  const fsp = (require('node:fs') as { promises: Record<string, unknown> }).promises;
  for (const m of ['readFile', 'open', 'readdir', 'stat']) wrap(fsp, m, `node:fs.promises.${m}`);
  const net = require('node:net') as { Socket: { prototype: Record<string, unknown> } };
  wrap(net.Socket.prototype, 'connect', 'node:net.Socket#connect');
  wrap(globalThis as unknown as Record<string, unknown>, 'fetch', 'fetch');
  syncBuiltinESMExports();
  return {
    calls,
    restore() {
      for (const u of undo.reverse()) u();
      syncBuiltinESMExports();
    },
  };
}

/** Run `f` under {@link spyOnSideEffects} and return the calls it made (G3 wants none). Errors of `f` propagate. */
export async function sideEffectsOf(f: () => Promise<unknown> | unknown): Promise<readonly string[]> {
  const spy = spyOnSideEffects();
  try {
    await f();
  } finally {
    spy.restore();
  }
  return [...spy.calls];
}

export interface CountingServer {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  readonly port: number;
  /** Requests received so far. */
  hits(): number;
  close(): Promise<void>;
}

/** A loopback HTTP server on 127.0.0.1 that counts requests and answers every path with `body` (an attacker JWKS). */
export async function countingServer(body: unknown): Promise<CountingServer> {
  let count = 0;
  const server = createServer((_req: IncomingMessage, res: ServerResponse) => {
    count++;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(body));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    hits: () => count,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Assert that `f` fails with one of `codes` (as {@link expectJotError}) within `ms` CPU milliseconds and `bytes` of heap
 * growth: hostile input is refused early, not after the work it asks for.
 */
export async function expectBoundedRefusal(
  f: () => unknown,
  codes: Parameters<typeof expectJotError>[1],
  ms = 1000,
  bytes = 32 * 1024 * 1024,
): Promise<void> {
  const before = process.memoryUsage();
  // CPU time (every thread), not wall time: the bound is on work done, whatever else the machine is doing.
  const { ms: elapsed, result } = await cpuMs(async () => {
    await expectJotError(f, codes);
    return 'refused as expected';
  });
  if (result !== 'refused as expected') throw result; // the assertion on the error code failed
  const after = process.memoryUsage();
  expect(elapsed).toBeLessThan(ms);
  expect(after.heapUsed + after.arrayBuffers - before.heapUsed - before.arrayBuffers).toBeLessThan(bytes);
}
