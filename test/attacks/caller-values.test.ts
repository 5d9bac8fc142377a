/**
 * A56 and G1 for caller values (issue 10, class 4): nothing but a JotError escapes any public function, whatever the
 * caller passes. The test walks EVERY export of every entry point of package.json `exports` (`jotjs`,
 * `jotjs/revocation`, `jotjs/keyring`, `jotjs/http` and the Express, Fastify and Hono adapters), enumerated at run time so that a new export is covered without anyone remembering to, and calls each function
 * (classes with `new`) with hostile values in every argument position: null, undefined, numbers, strings, BigInt,
 * symbols, arrays, functions, objects whose getters throw, objects whose conversion to a primitive throws, Proxies
 * that throw on every trap, revoked Proxies. Functions with a known valid call are also called with one argument, or
 * one member of an options object, replaced at a time, and the functions and methods they return are walked too.
 * Every call must return or fail with a JotError (thrown or rejected), within a bounded time.
 *
 * In the `web` project (#crypto/* on WebCrypto) it walks the entry points offered under the `browser` condition
 * instead (`jotjs` -> src/index.web.ts), where every `*Sync` method must throw, and a valid call of one must throw
 * ERR_JOSE_NOT_SUPPORTED (WebCrypto is asynchronous).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import Fastify from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import * as httpEntry from '../../src/http/index.js';
import * as main from '../../src/index.js';
import { entryPoints } from '../helpers/entry-points.js';
import { selfSignedCa, sslIn } from '../helpers/openssl.js';
import { WEB_CRYPTO } from '../helpers/runtime.js';

const { ERROR_CODES, JotError } = main;
const documented = (e: unknown) => e instanceof JotError && ERROR_CODES.includes(e.code);
const dir = mkdtempSync(join(tmpdir(), 'jot-caller-'));
// Hostile strings reach sqliteStore({ path }) too: relative paths land in the temporary directory.
const cwd = process.cwd();
process.chdir(dir);
afterAll(() => {
  process.chdir(cwd);
  rmSync(dir, { recursive: true, force: true });
});

const CALL_MS = 5000;

class Boom extends Error {}
const boom = (): never => {
  throw new Boom('hostile caller value');
};

/** Every trap throws. */
function throwingProxy<T extends object>(target: T): T {
  const traps = [
    'get',
    'set',
    'has',
    'deleteProperty',
    'ownKeys',
    'getOwnPropertyDescriptor',
    'defineProperty',
    'getPrototypeOf',
    'setPrototypeOf',
    'isExtensible',
    'preventExtensions',
    'apply',
    'construct',
  ];
  return new Proxy(target, Object.fromEntries(traps.map((t) => [t, boom])) as ProxyHandler<T>);
}

/** Option and member names jot reads, each a throwing enumerable getter, plus throwing conversions. */
const NAMES = [
  'alg',
  'enc',
  'kid',
  'kty',
  'use',
  'key_ops',
  'crv',
  'k',
  'n',
  'e',
  'x',
  'y',
  'd',
  'keys',
  'typ',
  'cty',
  'crit',
  'zip',
  'b64',
  'jku',
  'jwk',
  'x5c',
  'iss',
  'sub',
  'aud',
  'exp',
  'nbf',
  'iat',
  'jti',
  'key',
  'cache',
  'max',
  'ttl',
  'algorithms',
  'issuer',
  'audience',
  'subject',
  'clockTolerance',
  'maxTokenAge',
  'requiredClaims',
  'currentDate',
  'revocation',
  'includePrivate',
  'modulusLength',
  'protectedHeader',
  'unprotectedHeader',
  'header',
  'recipients',
  'aad',
  'payload',
  'signature',
  'signatures',
  'protected',
  'ciphertext',
  'iv',
  'tag',
  'encrypted_key',
  'flattened',
  'store',
  'failOpen',
  'clock',
  'purgeInterval',
  'maxEntries',
  'path',
  'url',
  'client',
  'rootNodes',
  'namespace',
  'issuedBefore',
  'expiresIn',
  'notBefore',
  'issuedAt',
  'jwtId',
  'strict',
  'detachedPayload',
  'maxKeys',
  'allowPrivate',
  'keyManagementAlgorithms',
  'contentEncryptionAlgorithms',
  'maxPbes2Count',
  'allowZip',
  'maxDecompressedBytes',
  'maxTokenLength',
  'then',
  'toJSON',
  'length',
  'byteLength',
  'buffer',
  'onFailOpen',
  'method',
  'headers',
  'protocol',
  'scopes',
  'realm',
  'tokenFrom',
  'dpop',
  'verifier',
  'profile',
  'accessToken',
  'nonce',
  'trustAnchors',
  'purpose',
  'jwks',
  'kind',
  'passphrase',
  'encryptionKey',
  'rotateEvery',
  'name',
  'table',
  'raw',
  'rawHeaders',
  'req',
  'auth',
  'authenticator',
  'global',
  'error',
  'description',
];
function getterObject(): object {
  const o: Record<string | symbol, unknown> = {};
  for (const name of NAMES) Object.defineProperty(o, name, { get: boom, enumerable: true, configurable: true });
  Object.defineProperty(o, Symbol.toPrimitive, { get: boom });
  return o;
}

const revokedProxy = (() => {
  const r = Proxy.revocable({}, {});
  r.revoke();
  return r.proxy;
})();

/** The hostile values, with a label for the report. */
const HOSTILE: [string, () => unknown][] = [
  ['undefined', () => undefined],
  ['null', () => null],
  ['0', () => 0],
  ['-1', () => -1],
  ['NaN', () => Number.NaN],
  ['1e300', () => 1e300],
  ['Infinity', () => Number.POSITIVE_INFINITY],
  ['true', () => true],
  ["''", () => ''],
  ["'x'", () => 'x'],
  ["'__proto__'", () => '__proto__'],
  ['10n', () => 10n],
  ['Symbol()', () => Symbol('s')],
  ['[]', () => []],
  ['[null]', () => [null]],
  ['{}', () => ({})],
  ['Object.create(null)', () => Object.create(null)],
  ['function returning undefined', () => () => undefined],
  ['function that throws', () => boom],
  ['Uint8Array(0)', () => new Uint8Array(0)],
  ['new String("x")', () => new String('x')],
  ['Date(NaN)', () => new Date(Number.NaN)],
  ['object with throwing getters', getterObject],
  ['array with a throwing getter', () => Object.defineProperty([1, 2], 0, { get: boom })],
  ['Proxy throwing on every trap', () => throwingProxy({})],
  ['Proxy of an array throwing on every trap', () => throwingProxy([])],
  ['Proxy of a function throwing on every trap', () => throwingProxy(() => {})],
  ['revoked Proxy', () => revokedProxy],
];

type Fn = (...args: unknown[]) => unknown;

const isClass = (f: Fn) => /^class\b/.test(Function.prototype.toString.call(f));

interface Finding {
  where: string;
  what: string;
}

/**
 * On WebCrypto: the `*Sync` methods met in the walk (a signer's signSync, a verifier's verifySync). Every call of one
 * must throw ERR_JOSE_NOT_SUPPORTED, whatever its arguments: the refusal comes first, before any argument is read.
 */
const REFUSES_SYNC = new WeakSet<Fn>();
/** The *Sync methods that compute with crypto (a revocation list's isRevokedSync does not, and works everywhere). */
const CRYPTO_SYNC: ReadonlySet<string> = new Set(['signSync', 'verifySync']);
const syncMet = new Set<string>();

/** Calls `f` (with `new` for a class) and classifies the outcome; returns the result when it succeeded. */
async function attempt(
  where: string,
  f: Fn,
  args: unknown[],
  findings: Finding[],
  self?: unknown,
  /** For a call that must succeed: where it failed with a JotError. */
  mustSucceed?: string[],
): Promise<unknown> {
  const report = (what: string) => findings.push({ where, what });
  // On WebCrypto a *Sync method has nothing to compute with: it always throws, a valid call ERR_JOSE_NOT_SUPPORTED.
  const refusesSync = REFUSES_SYNC.has(f);
  const refused = (e: unknown) => mustSucceed?.push(`${where}: ${describeError(e)}`);
  let value: unknown;
  try {
    value = isClass(f) ? Reflect.construct(f, args) : Reflect.apply(f, self, args);
  } catch (e) {
    if (!documented(e)) report(`threw ${describeError(e)}`);
    else if (refusesSync && (e as { code: string }).code !== 'ERR_JOSE_NOT_SUPPORTED') {
      report(`threw ${describeError(e)} on WebCrypto, not ERR_JOSE_NOT_SUPPORTED`);
    } else if (!refusesSync) refused(e);
    return undefined;
  }
  if (refusesSync) report('returned on WebCrypto, where a *Sync method throws ERR_JOSE_NOT_SUPPORTED');
  if (value !== null && (typeof value === 'object' || typeof value === 'function') && isThenable(value)) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<'timeout'>((r) => {
      timer = setTimeout(() => r('timeout'), CALL_MS);
    });
    try {
      const settled = await Promise.race([value as Promise<unknown>, timeout]);
      if (settled === 'timeout') report(`did not settle within ${CALL_MS} ms`);
      return settled === 'timeout' ? undefined : settled;
    } catch (e) {
      if (!documented(e)) report(`rejected with ${describeError(e)}`);
      else refused(e);
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  }
  return value;
}

function isThenable(v: unknown): boolean {
  try {
    return typeof (v as { then?: unknown }).then === 'function';
  } catch {
    return false;
  }
}

function describeError(e: unknown): string {
  if (e instanceof Error) return `${e.constructor.name}: ${e.message}`;
  try {
    return inspect(e, { depth: 0 });
  } catch {
    return typeof e;
  }
}

/** The functions of a module namespace (or of a returned object), by name. */
function functionsOf(o: unknown): [string, Fn][] {
  if (typeof o === 'function') return [['(returned function)', o as Fn]];
  if (typeof o !== 'object' || o === null) return [];
  const out: [string, Fn][] = [];
  const seen = new Set<string>();
  for (let p: object | null = o; p !== null && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    for (const name of Object.getOwnPropertyNames(p)) {
      if (name === 'constructor' || seen.has(name)) continue;
      seen.add(name);
      const d = Object.getOwnPropertyDescriptor(p, name);
      if (typeof d?.value === 'function') out.push([name, d.value as Fn]);
    }
  }
  return out;
}

/** Hostile values in every position of an otherwise empty call, positions 0 to max(length, 3) - 1. */
async function walkBlind(where: string, f: Fn, findings: Finding[], self?: unknown): Promise<number> {
  const positions = Math.max(f.length, 3);
  let calls = 0;
  for (let i = 0; i < positions; i++) {
    for (const [label, make] of HOSTILE) {
      const args: unknown[] = new Array(i + 1).fill(undefined);
      args[i] = make();
      await attempt(`${where}(arg ${i} = ${label})`, f, args, findings, self);
      calls++;
    }
  }
  return calls;
}

// ---------------------------------------------------------------------------------------------------------------
// Valid calls, so hostile values reach past the first check. A function missing here is still walked blind.

const enc = new TextEncoder();
const SECRET = enc.encode('0123456789abcdef0123456789abcdef');
const NOW = 1_767_225_600;

async function fixtures() {
  const hs = await main.importKey(SECRET, { alg: 'HS256' });
  const es = await main.generateKeyPair('ES256', { kid: 'e1' });
  const dir256 = await main.generateSecret('A256GCM');
  const esJwk = await main.exportJwk(es.publicKey);
  const jws = await main.signCompact(enc.encode('hi'), { alg: 'HS256' }, hs);
  const jsonJws = await main.signJson(enc.encode('hi'), [{ protectedHeader: { alg: 'HS256' }, key: hs }]);
  const jwe = await main.encryptCompact(enc.encode('hi'), { alg: 'dir', enc: 'A256GCM' }, dir256);
  const jsonJwe = await main.encryptJson(enc.encode('hi'), {
    protectedHeader: { enc: 'A256GCM' },
    recipients: [{ header: { alg: 'dir' }, key: dir256 }],
  });
  const jwt = await main.signJwt({ sub: 's', exp: NOW + 60 }, hs, { currentDate: new Date(NOW * 1000) });
  const ejwt = await main.encryptJwt({ sub: 's' }, dir256, { alg: 'dir', enc: 'A256GCM' });
  const unsecured = main.createUnsecuredJwt({ sub: 's' });
  const dpopKey = await main.generateKeyPair('ES256');
  const accessJwt = await main.signJwt({ sub: 's', iss: 'https://idp.example', aud: 'api', scope: 'a' }, hs, {
    expiresIn: 3600,
  });
  const auth = { key: hs, issuer: 'https://idp.example', audience: 'api' };
  const authenticator = httpEntry.createAuthenticator(auth);
  const failure = await authenticator.authenticate({ method: 'GET', url: '/', headers: {} });
  // The other key families, so that hostile values also reach their import, signature and key management code
  // (which differs between node:crypto and WebCrypto): PEM, RSA-PSS, Ed25519, ECDH-ES, RSA-OAEP, PBES2, DEFLATE.
  const ps = await main.generateKeyPair('PS256');
  const ed = await main.generateKeyPair('EdDSA', { crv: 'Ed25519' });
  const ecdh = await main.generateKeyPair('ECDH-ES+A256KW');
  const oaep = await main.generateKeyPair('RSA-OAEP-256');
  const password = await main.importKey(enc.encode('correct horse battery staple'), { alg: 'PBES2-HS256+A128KW' });
  const esPem = await main.exportPem(es.publicKey);
  const psJws = await main.signCompact(enc.encode('hi'), { alg: 'PS256' }, ps.privateKey);
  const edJws = await main.signCompact(enc.encode('hi'), { alg: 'EdDSA' }, ed.privateKey);
  const zipped = await main.encryptCompact(
    enc.encode('hi'.repeat(50)),
    { alg: 'dir', enc: 'A256GCM', zip: 'DEF' },
    dir256,
  );
  const ecdhJwe = await main.encryptCompact(
    enc.encode('hi'),
    { alg: 'ECDH-ES+A256KW', enc: 'A256GCM' },
    ecdh.publicKey,
  );
  const oaepJwe = await main.encryptCompact(enc.encode('hi'), { alg: 'RSA-OAEP-256', enc: 'A128GCM' }, oaep.publicKey);
  const pbesJwe = await main.encryptCompact(
    enc.encode('hi'),
    { alg: 'PBES2-HS256+A128KW', enc: 'A128CBC-HS256', p2c: 1000 },
    password,
  );
  const nested = await main.signAndEncryptJwt({ sub: 's' }, es.privateKey, ecdh.publicKey, {
    sign: { expiresIn: 60 },
    encrypt: { alg: 'ECDH-ES+A256KW', enc: 'A256GCM' },
  });
  return {
    ps,
    ed,
    ecdh,
    oaep,
    password,
    esPem,
    psJws,
    edJws,
    zipped,
    ecdhJwe,
    oaepJwe,
    pbesJwe,
    nested,
    hs,
    es,
    dir256,
    esJwk,
    jws,
    jsonJws,
    jwe,
    jsonJwe,
    jwt,
    ejwt,
    unsecured,
    dpopKey,
    accessJwt,
    auth,
    authenticator,
    failure,
  };
}

type Fixtures = Awaited<ReturnType<typeof fixtures>>;

const VALID: Record<string, (x: Fixtures) => unknown[] | undefined> = {
  importKey: () => [SECRET, { alg: 'HS256', kid: 'k' }],
  exportJwk: (x) => [x.hs, { includePrivate: true }],
  exportPem: (x) => [x.es.privateKey],
  jwkThumbprint: (x) => [x.esJwk, 'sha256'],
  jwkThumbprintUri: (x) => [x.es.publicKey, 'sha256'],
  generateKeyPair: () => ['ES256', { kid: 'k', crv: 'P-256' }],
  generateSecret: () => ['HS256'],
  signCompact: (x) => [enc.encode('p'), { alg: 'HS256', kid: 'k' }, x.hs],
  verifyCompact: (x) => [x.jws, x.hs, { algorithms: ['HS256'] }],
  signJson: (x) => [enc.encode('p'), [{ protectedHeader: { alg: 'HS256' }, key: x.hs }], { flattened: true }],
  verifyJson: (x) => [x.jsonJws, x.hs, { algorithms: ['HS256'] }],
  encryptCompact: (x) => [enc.encode('p'), { alg: 'dir', enc: 'A256GCM' }, x.dir256],
  decryptCompact: (x) => [
    x.jwe,
    x.dir256,
    { keyManagementAlgorithms: ['dir'], contentEncryptionAlgorithms: ['A256GCM'] },
  ],
  encryptJson: (x) => [
    enc.encode('p'),
    { protectedHeader: { enc: 'A256GCM' }, recipients: [{ header: { alg: 'dir' }, key: x.dir256 }] },
    { flattened: true },
  ],
  decryptJson: (x) => [x.jsonJwe, x.dir256, { keyManagementAlgorithms: ['dir'] }],
  signJwt: (x) => [{ sub: 's', scope: 'a' }, x.hs, { expiresIn: '5m', issuer: 'i', audience: 'a' }],
  verifyJwt: (x) => [x.jwt, x.hs, { currentDate: new Date(NOW * 1000), clockTolerance: 5, allowAnyAudience: true }],
  encryptJwt: (x) => [{ sub: 's' }, x.dir256, { alg: 'dir', enc: 'A256GCM', expiresIn: 60 }],
  decryptJwt: (x) => [x.ejwt, x.dir256, { keyManagementAlgorithms: ['dir'] }],
  signAndEncryptJwt: (x) => [
    { sub: 's' },
    x.es.privateKey,
    x.ecdh.publicKey,
    { sign: { expiresIn: 60, issuer: 'i' }, encrypt: { alg: 'ECDH-ES+A256KW', enc: 'A256GCM' } },
  ],
  decryptAndVerifyJwt: (x) => [
    x.nested,
    x.ecdh.privateKey,
    x.es.publicKey,
    {
      decrypt: { keyManagementAlgorithms: ['ECDH-ES+A256KW'] },
      verify: { algorithms: ['ES256'], allowAnyAudience: true },
    },
  ],
  createDecrypter: (x) => [
    { key: x.ecdh.privateKey, keyManagementAlgorithms: ['ECDH-ES+A256KW'], maxTokenLength: 4096 },
  ],
  createSigner: (x) => [{ key: x.hs, expiresIn: 60, issuer: 'i' }],
  createVerifier: (x) => [{ key: x.hs, currentDate: new Date(NOW * 1000), cache: { max: 10 }, allowAnyAudience: true }],
  decodeUnverified: (x) => [x.jwt],
  validateClaims: () => [{ sub: 's', exp: NOW + 60 }, { subject: 's' }, NOW],
  normalizeMediaType: () => ['application/JWT'],
  createUnsecuredJwt: () => [{ sub: 's' }, { expiresIn: 60 }],
  verifyUnsecuredJwt: (x) => [x.unsecured, { allowAnyAudience: true }],
  createLocalJwkSet: (x) => [{ keys: [x.esJwk] }, { maxKeys: 5 }],
  isKnownAlgorithm: () => ['HS256'],
  isJotError: () => [new JotError('ERR_JWS_INVALID', 'x'), 'ERR_JWS_INVALID'],
  isKey: (x) => [x.hs],
  createRevocationList: () => [{ purgeInterval: 0, clockTolerance: 5 }],
  memoryStore: () => [{ maxEntries: 10 }],
  sqliteStore: () => [{ path: join(dir, 'walk.db'), busyTimeout: 100 }],
  // Key sets, key rings and x5c (jotjs), against a real JWKS and discovery server on 127.0.0.1.
  createRemoteJwkSet: () => [`${server.origin}/jwks`, { allowHttp: true, timeoutMs: 2000, cooldownMs: 0 }],
  discoverIssuer: () => [server.origin, { algorithms: ['ES256'], jwks: { allowHttp: true, timeoutMs: 2000 } }],
  createKeyRing: () => [{ alg: 'ES256', rotateEvery: '30d', signer: { issuer: 'i', expiresIn: 60 } }],
  memoryKeyRingStore: () => [],
  verifyCertificateChain: () => x5c && [[x5c.leaf], { trustAnchors: [x5c.root], alg: 'ES256', purpose: 'any' }],
  createX5cResolver: () => x5c && [{ trustAnchors: [x5c.root], algorithms: ['ES256'], maxChainLength: 3 }],
  // jotjs/keyring: the Redis store checks its arguments before it connects (on first use); its methods would
  // connect, so only the factory is walked (see NO_METHOD_WALK), as redisStore is walked blind.
  fileKeyRingStore: () => [{ path: join(dir, 'ring.json'), lockTimeoutMs: 100 }],
  sqliteKeyRingStore: () => [{ path: join(dir, 'ring.db'), name: 'r', table: 't', busyTimeout: 100 }],
  redisKeyRingStore: () => [{ url: 'redis://127.0.0.1:1' }, { namespace: 'n', name: 'r', commandTimeoutMs: 100 }],
  // jotjs/http and the adapters.
  authenticate: (x) => [{ method: 'GET', url: '/', headers: { authorization: `Bearer ${x.accessJwt}` } }, x.auth],
  createAuthenticator: (x) => [{ ...x.auth, scopes: ['a'], realm: 'api', tokenFrom: ['header'], dpop: true }],
  withAuth: (x) => [() => undefined, x.auth],
  createDpopProof: (x) => [
    { key: x.dpopKey.privateKey, method: 'GET', url: 'https://api.example/', accessToken: x.accessJwt, nonce: 'n' },
  ],
  dpopThumbprint: (x) => [x.dpopKey.publicKey],
  accessTokenHash: (x) => [x.accessJwt],
  failureBody: (x) => [x.failure],
  jotAuth: (x) => [x.auth, { scopes: ['a'] }],
  getAuth: () => [{ auth: { claims: {}, token: 't', scheme: 'Bearer', protectedHeader: { alg: 'HS256' } } }],
  jotHook: (x) => [x.authenticator, { scopes: ['a'] }],
  jotFastify: (x) => [Fastify(), { ...x.auth, global: true }],
  default: (x) => [Fastify(), { authenticator: x.authenticator }],
};

/**
 * More valid calls of functions VALID already has, for the other key families: each is walked like a VALID call
 * (what it returns is not walked again) and must succeed as given.
 */
const ALSO_VALID: Record<string, (x: Fixtures) => unknown[][]> = {
  importKey: (x) => [[x.esPem, { alg: 'ES256' }]],
  exportJwk: (x) => [[x.ed.privateKey, { includePrivate: true }]],
  exportPem: (x) => [[x.ps.privateKey], [x.oaep.publicKey]],
  signCompact: (x) => [
    [enc.encode('p'), { alg: 'PS256' }, x.ps.privateKey],
    [enc.encode('p'), { alg: 'EdDSA' }, x.ed.privateKey],
  ],
  verifyCompact: (x) => [
    [x.psJws, x.ps.publicKey, { algorithms: ['PS256'] }],
    [x.edJws, x.ed.publicKey, { algorithms: ['EdDSA'] }],
  ],
  encryptCompact: (x) => [
    [enc.encode('p'), { alg: 'ECDH-ES+A256KW', enc: 'A256GCM', zip: 'DEF' }, x.ecdh.publicKey],
    [enc.encode('p'), { alg: 'RSA-OAEP-256', enc: 'A256CBC-HS512' }, x.oaep.publicKey],
    [enc.encode('p'), { alg: 'PBES2-HS256+A128KW', enc: 'A128GCM', p2c: 1000 }, x.password],
  ],
  decryptCompact: (x) => [
    [x.zipped, x.dir256, { keyManagementAlgorithms: ['dir'], allowZip: true, maxDecompressedBytes: 1000 }],
    [x.ecdhJwe, x.ecdh.privateKey, { keyManagementAlgorithms: ['ECDH-ES+A256KW'] }],
    [x.oaepJwe, x.oaep.privateKey, { keyManagementAlgorithms: ['RSA-OAEP-256'] }],
    [x.pbesJwe, x.password, { keyManagementAlgorithms: ['PBES2-HS256+A128KW'], maxPbes2Count: 2000 }],
  ],
};

/** Factories whose returned methods would open a connection to a server the test does not run. */
const NO_METHOD_WALK = new Set(['redisKeyRingStore']);

/** Arguments for the methods of returned objects, where a valid call helps the walk reach further. */
const VALID_METHODS: Record<string, (x: Fixtures) => unknown[]> = {
  sign: () => [{ sub: 's' }],
  signSync: () => [{ sub: 's' }],
  verify: (x) => [x.jwt],
  verifySync: (x) => [x.jwt],
  decrypt: (x) => [x.ecdhJwe],
  revoke: () => [{ jti: 'j', exp: NOW + 60 }],
  revokeSubject: () => ['s', { issuedBefore: NOW }],
  isRevoked: () => [{ jti: 'j' }],
  isRevokedSync: () => [{ jti: 'j' }],
  addJti: () => ['j', NOW + 60, NOW],
  hasJti: () => ['j', NOW],
  hasJtiSync: () => ['j', NOW],
  setSubjectCutoff: () => ['s', NOW, NOW + 60, NOW],
  getSubjectCutoff: () => ['s', NOW],
  getSubjectCutoffSync: () => ['s', NOW],
  // Key rings and their stores.
  revokeKey: () => ['k'],
  handler: () => [],
  signer: () => [],
  save: () => ['document', 0],
  lock: () => [1000],
  // Authenticators.
  authenticate: (x) => [{ method: 'GET', url: '/', headers: { authorization: `Bearer ${x.accessJwt}` } }],
  withScopes: () => [['a', 'b']],
};

/** With a valid call: each argument, and each member of each object argument, replaced by each hostile value. */
async function walkValid(where: string, f: Fn, valid: unknown[], findings: Finding[], self?: unknown): Promise<number> {
  let calls = 0;
  for (let i = 0; i < valid.length; i++) {
    for (const [label, make] of HOSTILE) {
      const args = [...valid];
      args[i] = make();
      await attempt(`${where}(arg ${i} = ${label})`, f, args, findings, self);
      calls++;
    }
    const arg = valid[i];
    if (typeof arg === 'object' && arg !== null && !(arg instanceof Uint8Array) && !(arg instanceof main.Key)) {
      const members = Array.isArray(arg) ? [...arg.keys()].map(String) : Object.keys(arg);
      for (const m of members) {
        for (const [label, make] of HOSTILE) {
          const copy: Record<string, unknown> | unknown[] = Array.isArray(arg) ? [...arg] : { ...arg };
          (copy as Record<string, unknown>)[m] = make();
          const args = [...valid];
          args[i] = copy;
          await attempt(`${where}(arg ${i}.${m} = ${label})`, f, args, findings, self);
          calls++;
        }
      }
    }
  }
  return calls;
}

// Every entry point of package.json `exports` (jotjs, jotjs/revocation, jotjs/http, the adapters, ...); on WebCrypto,
// those offered under the `browser` condition (jotjs: src/index.web.ts). The fixtures are made with src/index.ts and
// src/http, the same modules on the same crypto implementation.
const ENTRY_POINTS = (await entryPoints(WEB_CRYPTO ? 'browser' : undefined)).map(
  ([name, ns]) => [WEB_CRYPTO ? `${name} [browser]` : name, ns] as const,
);
/** The fewest functions each entry point exports (a lost export fails here); others need at least one. */
const MIN_FUNCTIONS: Record<string, number> = {
  jotjs: 31,
  'jotjs [browser]': 47,
  'jotjs/revocation': 4,
  'jotjs/keyring': 5,
  'jotjs/http': 7,
};

// A JWKS and an OpenID discovery document on 127.0.0.1 for createRemoteJwkSet and discoverIssuer.
const served = await main.exportJwk((await main.generateKeyPair('ES256', { kid: 'r1' })).publicKey);
const server = await (async () => {
  const s = createServer((req, res) => {
    const origin = `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
    const body =
      req.url === '/jwks'
        ? { keys: [served] }
        : req.url === '/.well-known/openid-configuration'
          ? { issuer: origin, jwks_uri: `${origin}/jwks`, id_token_signing_alg_values_supported: ['ES256'] }
          : undefined;
    res.writeHead(body === undefined ? 404 : 200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body ?? {}));
  });
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return { origin: `http://127.0.0.1:${(s.address() as AddressInfo).port}`, close: () => s.close() };
})();
afterAll(() => server.close());

/** An x5c chain (a CA and a leaf it signed) made with openssl; without openssl the x5c functions are walked blind. */
const x5c = (() => {
  const openssl = '/usr/bin/openssl';
  if (!existsSync(openssl)) {
    const message = `${openssl} not found: install the Debian package openssl`;
    if (process.env.CI === 'true') throw new Error(message);
    console.warn(`x5c functions walked blind only: ${message}`);
    return undefined;
  }
  const ssl = sslIn(openssl, dir);
  selfSignedCa(ssl, 'ca');
  ssl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'leaf.key');
  ssl('req', '-new', '-key', 'leaf.key', '-subj', '/CN=leaf', '-out', 'leaf.csr');
  writeFileSync(join(dir, 'leaf.ext'), 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\n');
  ssl(
    'x509',
    '-req',
    '-in',
    'leaf.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-days',
    '30',
    '-extfile',
    'leaf.ext',
    '-out',
    'leaf.pem',
  );
  const pem = (name: string) => readFileSync(join(dir, `${name}.pem`), 'utf8');
  return { root: pem('ca'), leaf: pem('leaf').replace(/-----[^-]+-----|\s/g, '') };
})();

describe('A56/G1 for caller values: every export of every entry point, hostile values in every position', () => {
  for (const [entry, ns] of ENTRY_POINTS) {
    it(`${entry}: only JotErrors escape, every call settles in bounded time`, async () => {
      const x = await fixtures();
      const findings: Finding[] = [];
      let calls = 0;
      const functions = Object.entries(ns).filter((e): e is [string, Fn] => typeof e[1] === 'function');
      expect(functions.length).toBeGreaterThanOrEqual(MIN_FUNCTIONS[entry] ?? 1);
      const closers: unknown[] = [];
      // A valid call that fails would leave what it returns unwalked: the table must stay right.
      const invalid: string[] = [];
      for (const [name, f] of functions) {
        calls += await walkBlind(`${entry}.${name}`, f, findings);
        for (const [k, also] of (ALSO_VALID[name]?.(x) ?? []).entries()) {
          calls += await walkValid(`${entry}.${name}[also ${k}]`, f, also, findings);
          await attempt(`${entry}.${name}[also ${k}](valid)`, f, also, findings, undefined, invalid);
        }
        const valid = VALID[name]?.(x);
        if (valid === undefined) continue;
        calls += await walkValid(`${entry}.${name}`, f, valid, findings);
        // What a valid call returns: its functions and methods are public too. The arguments are made again (a
        // Fastify instance takes the plugin once).
        const again = VALID[name]?.(x) ?? valid;
        const returned = await attempt(`${entry}.${name}(valid)`, f, again, findings, undefined, invalid);
        closers.push(returned);
        if (NO_METHOD_WALK.has(name)) continue;
        for (const [method, m] of functionsOf(returned)) {
          if (method === 'close' || method === 'toJSON') continue;
          if (WEB_CRYPTO && CRYPTO_SYNC.has(method)) {
            REFUSES_SYNC.add(m);
            syncMet.add(method);
          }
          const where = `${entry}.${name}(...).${method}`;
          calls += await walkBlind(where, m, findings, returned);
          const mValid = VALID_METHODS[method]?.(x);
          if (mValid === undefined) continue;
          calls += await walkValid(where, m, mValid, findings, returned);
          // One level further: what a method returns (a ring's handler and signer, a narrower authenticator).
          const inner = await attempt(`${where}(valid)`, m, mValid, findings, returned, invalid);
          for (const [innerName, im] of functionsOf(inner)) {
            if (innerName === 'close' || innerName === 'toJSON') continue;
            if (WEB_CRYPTO && CRYPTO_SYNC.has(innerName)) {
              REFUSES_SYNC.add(im);
              syncMet.add(innerName);
            }
            calls += await walkBlind(`${where}(...).${innerName}`, im, findings, inner);
          }
        }
      }
      for (const c of closers) {
        const close = (c as { close?: unknown } | undefined)?.close;
        if (typeof close === 'function') await (close as () => Promise<void>).call(c);
      }
      console.log(
        `${entry}: ${functions.length} exported functions, ${calls} hostile calls, ${findings.length} findings`,
      );
      expect(findings.map((f) => `${f.where}: ${f.what}`)).toEqual([]);
      expect(invalid, 'valid calls of the argument tables that failed').toEqual([]);
      if (WEB_CRYPTO && entry === 'jotjs [browser]') expect([...syncMet].sort()).toEqual(['signSync', 'verifySync']);
    }, 300_000);
  }
});
