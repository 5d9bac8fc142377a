// The two implementations agree (issue 17): the same inputs through node:crypto (this process, src/) and through
// WebCrypto (a child `node --conditions=browser`, which loads dist/browser/ (the WebCrypto build) through the
// package's export conditions). Signed by one, verified by the other; tampered and hostile tokens get the same error
// code; JWKs export alike; JWE made by one opens with the other. What Node's WebCrypto lacks is asserted to be
// ERR_JOSE_NOT_SUPPORTED there, never skipped.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  decryptCompact,
  encryptCompact,
  exportJwk,
  generateKeyPair,
  generateSecret,
  importKey,
  type JWK,
  type Key,
  signJwt,
  verifyJwt,
} from '../../src/index.js';
import { fromB64u, toB64u } from '../helpers/index.js';

type Op = Record<string, unknown> & { op: string };
type Outcome = { ok: true; value: unknown } | { ok: false; code: string };

const root = join(import.meta.dirname, '..', '..');

/** Run the operations on the WebCrypto build, in one child process. */
function onWeb(ops: Op[]): { webBuild: boolean; results: Outcome[] } {
  const text = execFileSync(
    process.execPath,
    ['--conditions=browser', '--no-warnings', join(import.meta.dirname, 'fixtures', 'web-runner.mjs')],
    { cwd: root, input: JSON.stringify(ops), encoding: 'utf8', maxBuffer: 1 << 26 },
  );
  return JSON.parse(text) as { webBuild: boolean; results: Outcome[] };
}

async function onNode(f: () => Promise<unknown>): Promise<Outcome> {
  try {
    return { ok: true, value: await f() };
  } catch (e) {
    return { ok: false, code: (e as { code: string }).code };
  }
}

/** JWS algorithms and their key, and what Node's WebCrypto cannot do (asserted, not skipped). */
const SIGNATURES: readonly { alg: string; crv?: string; webMissing?: true }[] = [
  { alg: 'HS256' },
  { alg: 'HS384' },
  { alg: 'HS512' },
  { alg: 'RS256' },
  { alg: 'RS512' },
  { alg: 'PS256' },
  { alg: 'PS384' },
  { alg: 'ES256' },
  { alg: 'ES384' },
  { alg: 'ES512' },
  { alg: 'EdDSA', crv: 'Ed25519' },
  { alg: 'EdDSA', crv: 'Ed448' },
  { alg: 'ES256K', webMissing: true }, // secp256k1: no WebCrypto has it
];

interface Case {
  name: string;
  alg: string;
  privateJwk: JWK;
  publicJwk: JWK;
  nodeToken: string;
  webMissing: boolean;
}

/** Each way of breaking a token: the last signature character, the payload, the header's alg, the signature. */
function tampered(token: string): string[] {
  const [h, p, s] = token.split('.') as [string, string, string];
  const sig = fromB64u(s);
  sig[0]! ^= 1;
  const payload = toB64u(new TextEncoder().encode('{"sub":"mallory"}'));
  const none = toB64u(new TextEncoder().encode('{"alg":"none"}'));
  return [`${h}.${p}.${toB64u(sig)}`, `${h}.${payload}.${s}`, `${none}.${p}.${s}`, `${h}.${p}.`, `${h}.${p}.${s}x`];
}

describe('node:crypto and WebCrypto agree on the same inputs', () => {
  const cases: Case[] = [];
  let web: { webBuild: boolean; results: Outcome[] };
  let ops: Op[] = [];
  const at: Record<string, number> = {};
  const add = (name: string, op: Op): void => {
    at[name] = ops.length;
    ops.push(op);
  };
  const result = (name: string): Outcome => web.results[at[name]!]!;

  beforeAll(async () => {
    for (const { alg, crv, webMissing } of SIGNATURES) {
      const name = crv === undefined ? alg : `${alg}/${crv}`;
      let privateKey: Key;
      let publicKey: Key;
      if (alg.startsWith('HS')) {
        privateKey = publicKey = await generateSecret(alg);
      } else {
        ({ privateKey, publicKey } = await generateKeyPair(alg, crv === undefined ? {} : { crv }));
      }
      const privateJwk = await exportJwk(privateKey, { includePrivate: true });
      const publicJwk = publicKey.kty === 'oct' ? privateJwk : await exportJwk(publicKey);
      const nodeToken = await signJwt({ sub: 'alice', n: 1 }, privateKey, { issuedAt: false });
      cases.push({ name, alg, privateJwk, publicJwk, nodeToken, webMissing: webMissing === true });
      add(`${name} verify`, { op: 'verify', token: nodeToken, jwk: publicJwk, alg });
      add(`${name} sign`, { op: 'sign', claims: { sub: 'bob' }, jwk: privateJwk, alg });
      add(`${name} export`, { op: 'export', jwk: privateJwk, alg });
      tampered(nodeToken).forEach((t, i) => {
        add(`${name} tampered ${i}`, { op: 'verify', token: t, jwk: publicJwk, alg });
      });
    }
    web = onWeb(ops);
    ops = [];
  });

  it('the child really ran the web build (a key ring without the node:http handler; asynchronous X.509 chains)', () => {
    expect(web.webBuild).toBe(true);
  });

  it('tokens signed by node verify on WebCrypto, and the other way round', async () => {
    for (const c of cases) {
      const verified = result(`${c.name} verify`);
      const signed = result(`${c.name} sign`);
      if (c.webMissing) {
        expect([verified, signed], c.name).toEqual([
          { ok: false, code: 'ERR_JOSE_NOT_SUPPORTED' },
          { ok: false, code: 'ERR_JOSE_NOT_SUPPORTED' },
        ]);
        continue;
      }
      expect(verified, c.name).toEqual({ ok: true, value: { sub: 'alice', n: 1 } });
      expect(signed.ok, c.name).toBe(true);
      const key = await importKey(c.publicJwk, { alg: c.alg });
      const { payload } = await verifyJwt((signed as { value: string }).value, key);
      expect(payload, c.name).toEqual({ sub: 'bob' });
    }
  });

  it('tampered tokens fail with the same code on both', async () => {
    for (const c of cases) {
      const key = await importKey(c.publicJwk, { alg: c.alg });
      const tokens = tampered(c.nodeToken);
      for (let i = 0; i < tokens.length; i++) {
        const mine = await onNode(() => verifyJwt(tokens[i]!, key));
        expect(mine.ok, `${c.name} ${i}`).toBe(false);
        const theirs = result(`${c.name} tampered ${i}`);
        // A structural refusal comes before any cryptography, so even a missing algorithm agrees there.
        if (c.webMissing && theirs.ok === false && theirs.code === 'ERR_JOSE_NOT_SUPPORTED') continue;
        expect(theirs, `${c.name} tampered ${i}`).toEqual(mine);
      }
    }
  });

  it('JWK export is the same (public half of the private JWK)', async () => {
    for (const c of cases) {
      const key = await importKey(c.privateJwk, { alg: c.alg });
      const mine = await onNode(() => exportJwk(key)); // a secret: ERR_INVALID_OPTION on both
      const theirs = result(`${c.name} export`);
      if (c.webMissing) expect(theirs, c.name).toEqual({ ok: false, code: 'ERR_JOSE_NOT_SUPPORTED' });
      else expect(theirs, c.name).toEqual(mine);
    }
  });
});

/** JWE key management and content encryption pairs (RFC 7518), each made by one side and opened by the other. */
const JWE: readonly { alg: string; enc: string; key: () => Promise<{ enc: JWK; dec: JWK }> }[] = [
  { alg: 'dir', enc: 'A256GCM', key: secret('A256GCM') },
  { alg: 'dir', enc: 'A128CBC-HS256', key: secret('A128CBC-HS256') },
  { alg: 'A128KW', enc: 'A256CBC-HS512', key: secret('A128KW') },
  { alg: 'A256GCMKW', enc: 'A128GCM', key: secret('A256GCMKW') },
  { alg: 'RSA-OAEP', enc: 'A256GCM', key: pair('RSA-OAEP') },
  { alg: 'RSA-OAEP-256', enc: 'A128GCM', key: pair('RSA-OAEP-256') },
  { alg: 'ECDH-ES', enc: 'A256GCM', key: pair('ECDH-ES') },
  { alg: 'ECDH-ES+A128KW', enc: 'A128GCM', key: pair('ECDH-ES+A128KW', 'P-384') },
  { alg: 'ECDH-ES+A256KW', enc: 'A256GCM', key: pair('ECDH-ES+A256KW', 'X25519') },
];

function secret(alg: string) {
  return async () => {
    const jwk = await exportJwk(await generateSecret(alg), { includePrivate: true });
    return { enc: jwk, dec: jwk };
  };
}

function pair(alg: string, crv?: string) {
  return async () => {
    const { privateKey, publicKey } = await generateKeyPair(alg, crv === undefined ? {} : { crv });
    return { enc: await exportJwk(publicKey), dec: await exportJwk(privateKey, { includePrivate: true }) };
  };
}

describe('JWE made by one implementation opens with the other', () => {
  it('every key management family, both directions', async () => {
    const ops: Op[] = [];
    const mine: string[] = [];
    const keys: { enc: JWK; dec: JWK }[] = [];
    for (const j of JWE) {
      const k = await j.key();
      keys.push(k);
      const token = await encryptCompact(
        `for ${j.alg}`,
        { alg: j.alg, enc: j.enc },
        await importKey(k.enc, { alg: j.alg }),
      );
      mine.push(token);
      ops.push({ op: 'decrypt', token, jwk: k.dec, alg: j.alg, enc: j.enc });
      ops.push({ op: 'encrypt', plaintext: `from web ${j.alg}`, jwk: k.enc, alg: j.alg, enc: j.enc });
      const parts = token.split('.');
      parts[3] = `${parts[3]!.slice(0, -2)}${parts[3]!.endsWith('A') ? 'B' : 'A'}A`;
      ops.push({ op: 'decrypt', token: parts.join('.'), jwk: k.dec, alg: j.alg, enc: j.enc });
    }
    const web = onWeb(ops);
    for (let i = 0; i < JWE.length; i++) {
      const j = JWE[i]!;
      const [opened, made, broken] = web.results.slice(3 * i, 3 * i + 3) as [Outcome, Outcome, Outcome];
      expect(opened, j.alg).toEqual({ ok: true, value: `for ${j.alg}` });
      expect(made.ok, j.alg).toBe(true);
      const key = await importKey(keys[i]!.dec, { alg: j.alg });
      const r = await decryptCompact((made as { value: string }).value, key, { contentEncryptionAlgorithms: [j.enc] });
      expect(new TextDecoder().decode(r.plaintext), j.alg).toBe(`from web ${j.alg}`);
      const brokenToken = ops[3 * i + 2]!.token as string;
      const nodeBroken = await onNode(() => decryptCompact(brokenToken, key, { contentEncryptionAlgorithms: [j.enc] }));
      expect(broken, `${j.alg} tampered`).toEqual(nodeBroken);
      expect(nodeBroken.ok).toBe(false);
    }
  });
});
