/**
 * A09-A12 and G3: header values that name keys (`jku`, `x5u`, `x5c`, `jwk`, `kid`) never cause a request, a DNS
 * lookup, a file read or a child process, and never select a key outside the caller's configuration. A counting
 * HTTP server on 127.0.0.1 serves the attacker's JWKS; `fetch`, `http(s).request`, `net`, `dns`, `fs` and
 * `child_process` are spied on (test/helpers/attack.ts) around every verification. createRemoteJwkSet's part of
 * A09 and A12 (b) (configured URL only, https, redirects, size, cooldown) is tested in test/keyset/remote.test.ts.
 */
import { execFileSync } from 'node:child_process';
import { createHash, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  exportJwk,
  importKey,
  type JoseHeader,
  type JWK,
  type Key,
  signCompact,
  signJson,
  verifyCompact,
  verifyJson,
} from '../../src/index.js';
import { decryptCompact, decryptJson, encryptCompact, encryptJson } from '../../src/jwe/index.js';
import { decodeUnverified, decryptJwt, verifyJwt, verifyUnsecuredJwt } from '../../src/jwt/index.js';
import { createLocalJwkSet } from '../../src/keyset/index.js';
import {
  type CountingServer,
  countingServer,
  expectJotError,
  hs256,
  jsonB64u,
  keysFor,
  refusedEverywhere,
  SECRET,
  sideEffectsOf,
  toB64u,
  verifiers,
  expectPayloadOf,
} from '../helpers/index.js';

const CLAIMS = JSON.stringify({ sub: 'admin', iss: 'https://idp.example', exp: 4_102_444_800 });
const dir = mkdtempSync(join(tmpdir(), 'jot-a09-'));

function openssl(args: string[]): void {
  execFileSync('openssl', args, { stdio: 'ignore' });
}
function pemFile(name: string, key: KeyObject): string {
  const f = join(dir, name);
  writeFileSync(f, key.export({ format: 'pem', type: 'pkcs8' }));
  return f;
}
const derOf = (pem: string): string => pem.replace(/-----[A-Z ]+-----|\s/g, '');

let server: CountingServer;
let attacker: { privateKey: KeyObject; publicKey: KeyObject };
let attackerKey: Key;
let victim: { privateKey: Key; publicKey: Key };
let victimSet: ReturnType<typeof createLocalJwkSet>;
let selfSigned: string;
let chain: string[];

beforeAll(async () => {
  attacker = generateKeyPairSync('rsa', { modulusLength: 2048 });
  attackerKey = await importKey(attacker.privateKey, { alg: 'RS256' });
  victim = await keysFor('RS256');
  victimSet = createLocalJwkSet({ keys: [{ ...(await exportJwk(victim.publicKey)), kid: 'victim' }] });
  const attackerJwk = { ...(attacker.publicKey.export({ format: 'jwk' }) as JWK), kid: 'atk', alg: 'RS256' };
  server = await countingServer({ keys: [attackerJwk] });
  // x5c material made before any spy is installed: a self-signed leaf (CN = the victim issuer), and a leaf issued
  // by an attacker-controlled intermediate.
  const leafKey = pemFile('leaf.key', attacker.privateKey);
  openssl([
    'req',
    '-x509',
    '-new',
    '-key',
    leafKey,
    '-subj',
    '/CN=https:\\/\\/idp.example',
    '-days',
    '2',
    '-out',
    join(dir, 'self.pem'),
  ]);
  selfSigned = readFileSync(join(dir, 'self.pem'), 'utf8');
  const ca = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const caKey = pemFile('ca.key', ca.privateKey);
  openssl([
    'req',
    '-x509',
    '-new',
    '-key',
    caKey,
    '-subj',
    '/CN=Attacker CA',
    '-days',
    '2',
    '-out',
    join(dir, 'ca.pem'),
  ]);
  openssl(['req', '-new', '-key', leafKey, '-subj', '/CN=victim', '-out', join(dir, 'leaf.csr')]);
  openssl([
    'x509',
    '-req',
    '-in',
    join(dir, 'leaf.csr'),
    '-CA',
    join(dir, 'ca.pem'),
    '-CAkey',
    caKey,
    '-CAcreateserial',
    '-days',
    '2',
    '-out',
    join(dir, 'leaf.pem'),
  ]);
  chain = [derOf(readFileSync(join(dir, 'leaf.pem'), 'utf8')), derOf(readFileSync(join(dir, 'ca.pem'), 'utf8'))];
});

afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The hostile header URLs of A09, pointing at the counting server where they can. */
function urls(): string[] {
  const o = server.origin;
  const jwks = encodeURIComponent(JSON.stringify({ keys: [] }));
  return [
    `${o}/jwks.json`,
    'file:///etc/passwd',
    `data:application/json,${jwks}`,
    'http://169.254.169.254/latest/meta-data/',
    `https://trusted.example@127.0.0.1:${server.port}/`,
    `http://[::1]:${server.port}/`,
    `http://2130706433:${server.port}/`,
    `${o}/redirect?to=${encodeURIComponent(o)}`,
  ];
}

/** Verify `token` on every entry point, with the victim key and with the victim's key set: refused, and G3. */
async function refusedWithoutSideEffects(token: string, codes: Parameters<typeof refusedEverywhere>[2]) {
  const lists = [verifiers(victim.publicKey), verifiers(victimSet, { algorithms: ['RS256'] })];
  const before = server.hits();
  const calls = await sideEffectsOf(async () => {
    for (const list of lists) await refusedEverywhere(token, list, codes);
  });
  expect(calls).toEqual([]);
  expect(server.hits()).toBe(before);
}

describe('G3 harness', () => {
  it('the spies and the counting server do see a real request (so zero means zero)', async () => {
    const before = server.hits();
    const calls = await sideEffectsOf(async () => {
      await (await fetch(`${server.origin}/jwks.json`)).json();
      readFileSync(join(dir, 'self.pem'));
    });
    expect(calls).toContain('fetch');
    expect(calls).toContain('node:fs.readFileSync');
    expect(server.hits()).toBe(before + 1);
  });
});

describe('A09: jku and x5u header URLs are never fetched', () => {
  it('every URL form, every entry point: 0 requests, 0 file reads; the key comes from the caller', async () => {
    for (const member of ['jku', 'x5u']) {
      for (const u of urls()) {
        const token = await signCompact(CLAIMS, { alg: 'RS256', kid: 'atk', [member]: u }, attackerKey);
        await refusedWithoutSideEffects(token, ['ERR_JWS_SIGNATURE_VERIFICATION_FAILED', 'ERR_JWKS_NO_MATCHING_KEY']);
      }
    }
    expect(server.hits()).toBe(1); // the harness request above, and nothing since
  });

  it('the same for the JSON serializations, JWE and decoding', async () => {
    const kek = await importKey(SECRET, { alg: 'A256KW' });
    for (const u of urls()) {
      const jws = await signJson(CLAIMS, [
        { protectedHeader: { alg: 'RS256', kid: 'atk', jku: u }, unprotectedHeader: { x5u: u }, key: attackerKey },
      ]);
      const jwe = await encryptCompact(CLAIMS, { alg: 'A256KW', enc: 'A256GCM', jku: u, x5u: u, kid: 'atk' }, kek);
      const jweJson = await encryptJson(CLAIMS, {
        protectedHeader: { enc: 'A256GCM', jku: u },
        recipients: [{ key: kek, header: { alg: 'A256KW', x5u: u } }],
      });
      const before = server.hits();
      const calls = await sideEffectsOf(async () => {
        await expectJotError(verifyJson(jws, victim.publicKey), 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED');
        await expectJotError(verifyJson(jws, victimSet, { algorithms: ['RS256'] }), 'ERR_JWKS_NO_MATCHING_KEY');
        // The caller's key decrypts; the header URLs change nothing.
        expect((await decryptCompact(jwe, kek)).protectedHeader.jku).toBe(u);
        expect((await decryptJson(jweJson, kek)).header?.x5u).toBe(u);
        await decryptJwt(jwe, kek);
        const other = await importKey(new Uint8Array(32).fill(9), { alg: 'A256KW' });
        await expectJotError(decryptCompact(jwe, other), 'ERR_JWE_DECRYPTION_FAILED');
        await expectJotError(
          decryptCompact(jwe, victimSet, { keyManagementAlgorithms: ['A256KW'] }),
          'ERR_JWKS_NO_MATCHING_KEY',
        );
        decodeUnverified(hs256({ alg: 'HS256', jku: u }, {}));
        expect(verifyUnsecuredJwt(`${jsonB64u({ alg: 'none', jku: u, x5u: u })}.e30.`).protectedHeader.jku).toBe(u);
      });
      expect(calls).toEqual([]);
      expect(server.hits()).toBe(before);
    }
  });
});

describe('A10: an x5c certificate in the header is never used for key selection', () => {
  it('self-signed leaf (CN = the issuer), a chain from an attacker CA, a mismatched x5t#S256', async () => {
    const leaf = derOf(selfSigned);
    const wrongThumb = toB64u(createHash('sha256').update('other').digest());
    const headers = [
      { alg: 'RS256', x5c: [leaf] },
      { alg: 'RS256', kid: 'victim', x5c: [leaf] },
      { alg: 'RS256', x5c: chain },
      { alg: 'RS256', x5c: [leaf], 'x5t#S256': wrongThumb },
      { alg: 'RS256', x5c: ['not base64 !'], x5u: `${server.origin}/cert.pem` },
    ];
    for (const header of headers) {
      const token = await signCompact(CLAIMS, header, attackerKey);
      await refusedWithoutSideEffects(token, ['ERR_JWS_SIGNATURE_VERIFICATION_FAILED', 'ERR_JWKS_NO_MATCHING_KEY']);
    }
  });
});

describe('A11: kid injection', () => {
  it('paths, SQL, LDAP, shell commands, prototype names, control characters: no match, no side effect', async () => {
    const kids = [
      '../../../../../../dev/null',
      '/dev/null',
      '/invalid_path',
      '|sleep 10',
      `| curl ${server.origin}/RCE_in_kid`,
      "x' UNION SELECT '1';--",
      "' OR '1'='1",
      '*)(uid=*))(|(uid=*',
      '',
      'victim\u0000',
      'victim\r\n',
      'VICTIM',
      ' victim',
      '__proto__',
      'constructor',
      'toString',
      'hasOwnProperty',
    ];
    const secrets = [new Uint8Array(0), '1'];
    const set = victimSet;
    for (const kid of kids) {
      // The attacker signs with the keys jwt_tool uses for these payloads (an empty key, "1"): HMAC, refused by
      // the RSA victim before any MAC; and with a real RSA key of their own.
      const tokens = [
        ...secrets.map((s) => hs256({ alg: 'HS256', kid }, { sub: 'admin' }, s)),
        await signCompact(CLAIMS, { alg: 'RS256', kid }, attackerKey),
      ];
      for (const token of tokens) {
        const before = server.hits();
        const calls = await sideEffectsOf(async () => {
          const codes = ['ERR_JWKS_NO_MATCHING_KEY', 'ERR_KEY_INVALID', 'ERR_JOSE_ALG_NOT_ALLOWED'] as const;
          await refusedEverywhere(token, verifiers(set, { algorithms: ['RS256', 'HS256'] }), codes);
          expect(() => set({ alg: 'RS256', kid })).toThrow(
            expect.objectContaining({ code: 'ERR_JWKS_NO_MATCHING_KEY' }),
          );
        });
        expect(calls).toEqual([]);
        expect(server.hits()).toBe(before);
      }
    }
  });

  it('a non-string kid is ERR_JWS_INVALID; an oversized one ERR_LIMIT_EXCEEDED (token cap, then 1024)', async () => {
    for (const kid of [0, [], {}, null, ['victim'], true]) {
      const token = await signCompact(CLAIMS, { alg: 'RS256', kid } as unknown as JoseHeader, victim.privateKey);
      await refusedEverywhere(token, verifiers(victimSet, { algorithms: ['RS256'] }), ['ERR_JWS_INVALID']);
    }
    const huge = await signCompact(CLAIMS, { alg: 'RS256', kid: 'k'.repeat(1 << 20) }, victim.privateKey);
    await refusedEverywhere(huge, verifiers(victimSet, { algorithms: ['RS256'] }), ['ERR_LIMIT_EXCEEDED']);
    const roomy = { algorithms: ['RS256'], maxTokenLength: 2 << 20 };
    await expectJotError(verifyCompact(huge, victimSet, roomy), 'ERR_LIMIT_EXCEEDED');
    await expectJotError(verifyJwt(huge, victimSet, roomy), 'ERR_LIMIT_EXCEEDED');
    expect(() => victimSet({ alg: 'RS256', kid: 'k'.repeat(1025) })).toThrow(
      expect.objectContaining({ code: 'ERR_LIMIT_EXCEEDED' }),
    );
    expect(() => victimSet({ alg: 'RS256', kid: 'k'.repeat(1024) })).toThrow(
      expect.objectContaining({ code: 'ERR_JWKS_NO_MATCHING_KEY' }),
    );
  });
});

describe('A12: an unknown kid never falls back to a default key; no kid means "candidates of the alg family"', () => {
  it('(a) an unknown kid against a set holding one key, with or without a kid of its own', async () => {
    const token = await signCompact(CLAIMS, { alg: 'RS256', kid: 'does-not-exist' }, victim.privateKey);
    const jwk = await exportJwk(victim.publicKey);
    for (const keys of [[jwk], [{ ...jwk, kid: 'default' }]]) {
      const set = createLocalJwkSet({ keys });
      await refusedEverywhere(token, verifiers(set, { algorithms: ['RS256'] }), ['ERR_JWKS_NO_MATCHING_KEY']);
    }
  });

  it('(c) no kid and HS256 against 2 RSA, 1 EC and 1 oct key: only the oct key is a candidate', async () => {
    const rsa1 = await exportJwk((await keysFor('RS256')).publicKey);
    const rsa2 = await exportJwk((await keysFor('PS256')).publicKey);
    const ec = await exportJwk((await keysFor('ES256')).publicKey);
    const oct = { kty: 'oct', k: toB64u(SECRET) };
    const set = createLocalJwkSet({ keys: [rsa1, rsa2, ec, oct] });
    const good = hs256({ alg: 'HS256' }, { sub: 'u' });
    for (const [name, verify] of verifiers(set, { algorithms: ['HS256'] })) {
      expectPayloadOf(await verify(good), good, name);
    }
    const forged = hs256({ alg: 'HS256' }, { sub: 'u' }, JSON.stringify(rsa1));
    await refusedEverywhere(forged, verifiers(set, { algorithms: ['HS256'] }), [
      'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
    ]);
    // Several candidates without a kid are tried in the set's order, within a bound (maxCandidates, default 3).
    const other = (n: number) => ({ kty: 'oct', k: toB64u(new Uint8Array(32).fill(n)) });
    const two = createLocalJwkSet({ keys: [rsa1, other(3), oct] });
    for (const [name, verify] of verifiers(two, { algorithms: ['HS256'] })) {
      expectPayloadOf(await verify(good), good, name);
    }
    await refusedEverywhere(forged, verifiers(two, { algorithms: ['HS256'] }), [
      'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
    ]);
    const many = createLocalJwkSet({ keys: [other(3), other(4), other(5), oct] });
    await refusedEverywhere(good, verifiers(many, { algorithms: ['HS256'] }), ['ERR_JWKS_MULTIPLE_MATCHING_KEYS']);
  });
});
