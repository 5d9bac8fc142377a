// The portable conformance script: plain ESM, no `node:` import, no file system. It imports the package by its
// bare name and its vector fixture by a name that scripts/bundle.js resolves (esbuild aliases: `jotjs` -> the web
// entry or the Node entry, `jot-conformance-fixture` -> dist/bundles/fixture.json, from scripts/conformance-fixture.js).
// The bundle (dist/bundles/conformance.js) runs unchanged on Node, Chromium, Deno, Bun and workerd.
//
// run() resolves to { algorithms: { row: status }, vectors: { case: status } }, status 'ok' | 'not-supported' |
// 'fail:CODE: message'. A round trip is 'ok' only when the token made here verifies or decrypts here AND a
// tampered copy is refused with the expected code: a backend that accepted anything could not pass.
import fixture from 'jot-conformance-fixture';
import * as jot from 'jotjs';

const utf8 = new TextEncoder();
const dec = new TextDecoder();

function fromB64u(s) {
  const b64 = s.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (s.length % 4)) % 4);
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function toB64u(bytes) {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

class Mismatch extends Error {}

function check(ok, what) {
  if (!ok) throw new Mismatch(what);
}

/** The status of a failure: 'not-supported' only for the library's own ERR_JOSE_NOT_SUPPORTED. */
function failure(e) {
  if (e instanceof jot.JotError && e.code === 'ERR_JOSE_NOT_SUPPORTED') return 'not-supported';
  const code = e instanceof jot.JotError ? e.code : e instanceof Mismatch ? 'MISMATCH' : (e?.name ?? 'Error');
  return `fail:${code}: ${String(e?.message ?? e).slice(0, 160)}`;
}

async function attempt(fn) {
  try {
    await fn();
    return 'ok';
  } catch (e) {
    return failure(e);
  }
}

async function expectCode(promise, code) {
  try {
    await promise;
  } catch (e) {
    if (e instanceof jot.JotError && e.code === code) return;
    throw e;
  }
  throw new Mismatch(`expected ${code}, got success`);
}

/** Sign a JWT, verify it, and check a token whose claims were swapped under the same signature is refused. */
async function jwsRoundTrip(alg, crv) {
  const family = jot.JWS_ALGORITHMS[alg].family;
  let signKey;
  let verifyKey;
  if (family === 'hmac') signKey = verifyKey = await jot.generateSecret(alg);
  else {
    const pair = await jot.generateKeyPair(alg, crv === undefined ? {} : { crv });
    signKey = pair.privateKey;
    verifyKey = pair.publicKey;
  }
  const token = await jot.signJwt({ sub: 'alice' }, signKey, { alg, audience: 'conformance', expiresIn: 60 });
  const { payload } = await jot.verifyJwt(token, verifyKey, { algorithms: [alg], audience: 'conformance' });
  check(payload.sub === 'alice', 'payload');
  const [h, , s] = token.split('.');
  const forged = `${h}.${toB64u(utf8.encode(JSON.stringify({ sub: 'mallory', aud: 'conformance' })))}.${s}`;
  await expectCode(jot.verifyJwt(forged, verifyKey, { algorithms: [alg] }), 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED');
}

async function jweKeys(alg, enc, crv) {
  const km = jot.KEY_MANAGEMENT_ALGORITHMS[alg];
  if (km.family === 'pbes2') {
    const k = await jot.importKey(utf8.encode('correct horse battery staple'), { alg });
    return { encryptKey: k, decryptKey: k };
  }
  if (km.family === 'dir' || km.kty === 'oct') {
    const k = await jot.generateSecret(alg === 'dir' ? enc : alg);
    return { encryptKey: k, decryptKey: k };
  }
  const pair = await jot.generateKeyPair(alg, crv === undefined ? {} : { crv });
  return { encryptKey: pair.publicKey, decryptKey: pair.privateKey };
}

/** Encrypt, decrypt, and check a copy with one ciphertext byte changed is refused. */
async function jweRoundTrip(alg, encName, { crv, zip = false } = {}) {
  const { encryptKey, decryptKey } = await jweKeys(alg, encName, crv);
  const plaintext = utf8.encode('The true sign of intelligence is not knowledge but imagination. '.repeat(zip ? 8 : 1));
  const header = { alg, enc: encName, ...(zip ? { zip: 'DEF' } : {}) };
  const jwe = await jot.encryptCompact(plaintext, header, encryptKey);
  if (alg === 'RSA1_5') return; // encrypts for old recipients; never decrypts (padding oracles)
  const options = { keyManagementAlgorithms: [alg], contentEncryptionAlgorithms: [encName], allowZip: zip };
  const r = await jot.decryptCompact(jwe, decryptKey, options);
  check(toB64u(r.plaintext) === toB64u(plaintext), 'plaintext');
  const parts = jwe.split('.');
  const ct = fromB64u(parts[3]);
  ct[0] ^= 1;
  parts[3] = toB64u(ct);
  await expectCode(jot.decryptCompact(parts.join('.'), decryptKey, options), 'ERR_JWE_DECRYPTION_FAILED');
}

/** Every row of the runtime table, in table order: [row, () => Promise<void>]. */
export function roundTrips() {
  const rows = [];
  for (const [alg, a] of Object.entries(jot.JWS_ALGORITHMS)) {
    if (alg === 'EdDSA') for (const crv of a.curves) rows.push([`EdDSA (${crv})`, () => jwsRoundTrip(alg, crv)]);
    else rows.push([alg, () => jwsRoundTrip(alg)]);
  }
  for (const [alg, km] of Object.entries(jot.KEY_MANAGEMENT_ALGORITHMS)) {
    if (alg === 'dir') continue;
    if (alg === 'ECDH-ES') {
      for (const crv of jot.ECDH_CURVES) rows.push([`ECDH-ES (${crv})`, () => jweRoundTrip(alg, 'A256GCM', { crv })]);
      continue;
    }
    const label = alg === 'RSA1_5' ? 'RSA1_5 (encrypt only)' : km.family === 'ecdh-es-kw' ? `${alg} (P-256)` : alg;
    rows.push([label, () => jweRoundTrip(alg, 'A256GCM')]);
  }
  for (const e of Object.keys(jot.CONTENT_ENCRYPTION_ALGORITHMS))
    rows.push([`dir + ${e}`, () => jweRoundTrip('dir', e)]);
  rows.push(['zip: DEF', () => jweRoundTrip('dir', 'A128GCM', { zip: true })]);
  return rows;
}

async function importFor(c) {
  if (c.passwordB64u !== undefined) return jot.importKey(fromB64u(c.passwordB64u), { alg: c.alg });
  return jot.importKey(c.key, { alg: c.alg });
}

async function vector(c, form, value) {
  if (c.kind === 'thumbprint') {
    check((await jot.jwkThumbprint(c.key)) === c.thumbprint, 'thumbprint');
    return;
  }
  const key = await importFor(c);
  if (c.kind === 'jws') {
    const options = c.detached ? { detachedPayload: fromB64u(c.payloadB64u) } : {};
    const r =
      form === 'compact' ? await jot.verifyCompact(value, key, options) : await jot.verifyJson(value, key, options);
    check(toB64u(r.payload) === c.payloadB64u, 'payload');
    check(JSON.stringify(r.protectedHeader) === JSON.stringify(c.protectedHeader), 'protected header');
    return;
  }
  const options = { keyManagementAlgorithms: [c.alg], allowZip: c.zip };
  const r =
    form === 'compact' ? await jot.decryptCompact(value, key, options) : await jot.decryptJson(value, key, options);
  check(toB64u(r.plaintext) === c.plaintextB64u, `plaintext ${dec.decode(r.plaintext).slice(0, 20)}`);
}

/** Run everything; never throws (each failure is a status). */
export async function run() {
  const algorithms = {};
  for (const [row, fn] of roundTrips()) algorithms[row] = await attempt(fn);
  const vectors = {};
  for (const c of fixture.cases) {
    if (c.kind === 'thumbprint') vectors[c.name] = await attempt(() => vector(c));
    else
      for (const [form, value] of c.forms) vectors[`${c.name} ${form}`] = await attempt(() => vector(c, form, value));
  }
  return { algorithms, vectors };
}
