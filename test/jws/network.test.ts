/**
 * Header-supplied keys are never used (A08-A11, global invariant G3): verifying a token whose header carries
 * `jwk`, `jku`, `x5u`, `x5c` or a path-like `kid` opens no socket, fetches nothing, reads no file, and never
 * verifies with the attacker's key. `kid` is an opaque string handed to the caller's resolver unchanged.
 */
import fs from 'node:fs';
import http, { createServer, type Server } from 'node:http';
import https from 'node:https';
import { syncBuiltinESMExports } from 'node:module';
import net from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  exportJwk,
  generateKeyPair,
  type JoseHeader,
  signCompact,
  signJson,
  verifyCompact,
  verifyJson,
} from '../../src/index.js';
import { expectCode, keysFor, segments } from '../helpers/index.js';

let server: Server;
let hits = 0;
let base = '';
const spies: { mock: { calls: unknown[] } }[] = [];

beforeAll(async () => {
  server = createServer((_req, res) => {
    hits++;
    res.end('{"keys":[]}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  const fail = () => {
    throw new Error('unexpected I/O during verification');
  };
  spies.push(vi.spyOn(globalThis, 'fetch').mockImplementation(fail));
  for (const mod of [http, https]) {
    spies.push(vi.spyOn(mod, 'request').mockImplementation(fail), vi.spyOn(mod, 'get').mockImplementation(fail));
  }
  spies.push(
    vi.spyOn(net, 'connect').mockImplementation(fail),
    vi.spyOn(net, 'createConnection').mockImplementation(fail),
  );
  for (const name of ['readFile', 'readFileSync', 'open', 'openSync', 'createReadStream'] as const) {
    spies.push(vi.spyOn(fs, name).mockImplementation(fail as never));
  }
  spies.push(
    vi.spyOn(fs.promises, 'readFile').mockImplementation(fail),
    vi.spyOn(fs.promises, 'open').mockImplementation(fail),
  );
  // Named imports of node builtins (import { request } from 'node:https') follow the spied objects.
  syncBuiltinESMExports();
});

afterAll(async () => {
  vi.restoreAllMocks();
  syncBuiltinESMExports();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  for (const s of spies) (s as unknown as { mockClear(): void }).mockClear();
});

function noIo(): void {
  expect(hits).toBe(0);
  for (const s of spies) expect(s.mock.calls).toHaveLength(0);
}

describe('header keys and URLs are never used (G3)', () => {
  it('jwk, jku, x5u, x5c and kid paths: the attacker key never verifies, nothing is fetched or read', async () => {
    const victim = await keysFor('ES256');
    const attacker = await generateKeyPair('ES256');
    const attackerJwk = await exportJwk(attacker.publicKey);
    const headers: JoseHeader[] = [
      { alg: 'ES256', jwk: attackerJwk },
      { alg: 'ES256', jku: `${base}/jwks.json` },
      { alg: 'ES256', x5u: `${base}/cert.pem` },
      { alg: 'ES256', x5c: ['MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA'] },
      { alg: 'ES256', kid: '../../../../../../etc/passwd' },
      { alg: 'ES256', kid: `${base}/kid` },
      { alg: 'ES256', kid: 'file:///etc/passwd', jku: 'file:///etc/passwd' },
    ];
    for (const header of headers) {
      const token = await signCompact('{"sub":"admin"}', header, attacker.privateKey);
      await expectCode(verifyCompact(token, victim.publicKey), 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED');
      const [h, p, s] = segments(token);
      await expectCode(verifyJson({ protected: h, payload: p, signature: s }, victim.publicKey), [
        'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
      ]);
      // The same members in an unprotected header change nothing either.
      const { alg: _alg, ...unprotected } = header;
      const json = await signJson('{"sub":"admin"}', [
        { protectedHeader: { alg: 'ES256' }, unprotectedHeader: unprotected, key: attacker.privateKey },
      ]);
      await expectCode(verifyJson(json, victim.publicKey), 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED');
    }
    noIo();
  });

  it('kid is opaque: any value reaches the resolver unchanged, and a Key ignores it', async () => {
    const { privateKey, publicKey } = await keysFor('ES256');
    const kids: unknown[] = [
      '../../etc/passwd',
      "' OR '1'='1",
      '*)(uid=*',
      '$(id)',
      '__proto__',
      'constructor',
      '',
      'x'.repeat(1000),
      123,
      { $ne: null },
      ['a'],
      null,
    ];
    for (const kid of kids) {
      const token = await signCompact('x', { alg: 'ES256', kid } as JoseHeader, privateKey);
      let seen: unknown = Symbol('unset');
      const r = await verifyCompact(token, (header) => {
        seen = header.kid;
        return publicKey;
      });
      expect(seen).toEqual(kid);
      expect(r.protectedHeader.kid).toEqual(kid);
      await verifyCompact(token, publicKey);
    }
    noIo();
  });

  it('self-test: the spies do see I/O made through named imports and globals', async () => {
    const { readFileSync } = await import('node:fs');
    const { request } = await import('node:https');
    expect(() => readFileSync('/etc/hostname')).toThrow('unexpected I/O');
    expect(() => request('https://127.0.0.1/')).toThrow('unexpected I/O');
    await expect(async () => fetch(`${base}/x`)).rejects.toThrow('unexpected I/O');
    expect(spies.reduce((n, s) => n + s.mock.calls.length, 0)).toBe(3);
  });
});
