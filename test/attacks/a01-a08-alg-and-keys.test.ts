/**
 * A01-A08: algorithm and key selection. test/jws/alg-policy.test.ts and test/keyset/local.test.ts pin the codes of
 * verifyCompact/verifyJson and of the key set's resolver; this suite sends the catalogue's hostile tokens through
 * every verification entry point (JWS compact and JSON, verifyJwt, createVerifier with and without cache, verifySync)
 * and through createLocalJwkSet, under the global invariants (G1 JotError with a documented code, no payload, no
 * token or key text in the error; G5 exact algorithm names).
 */
import { execFileSync } from 'node:child_process';
import { createPublicKey, generateKeyPairSync, KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportJwk, importKey, type JWK, type Key, signCompact } from '../../src/index.js';
import { createLocalJwkSet } from '../../src/keyset/index.js';
import { verifyUnsecuredJwt } from '../../src/jwt/index.js';
import { LACKS_SECP256K1, WEB_CRYPTO } from '../helpers/runtime.js';
import {
  expectJotError,
  hmac,
  jsonB64u,
  keysFor,
  refusedEverywhere,
  SECRET,
  segments,
  toB64u,
  verifiers,
} from '../helpers/index.js';

const require = createRequire(import.meta.url);
const CLAIMS = { sub: 'admin', iss: 'https://idp.example', aud: 'api', exp: 4_102_444_800 };
const P = jsonB64u(CLAIMS);

/** An HS* token MACed with `secret` over the given header. */
function macced(alg: 'HS256' | 'HS384' | 'HS512', secret: Uint8Array | string, header: object = { alg }): string {
  const input = `${jsonB64u(header)}.${P}`;
  return `${input}.${toB64u(hmac(`sha${alg.slice(2)}` as 'sha256', secret, input))}`;
}

const dir = mkdtempSync(join(tmpdir(), 'jot-attacks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A self-signed certificate for `privateKey` (openssl is needed, as for test/key/certificate.test.ts). */
function certificate(privateKey: KeyObject): string {
  const keyFile = join(dir, 'k.pem');
  writeFileSync(keyFile, privateKey.export({ format: 'pem', type: 'pkcs8' }));
  const out = join(dir, 'c.pem');
  execFileSync('openssl', ['req', '-x509', '-new', '-key', keyFile, '-subj', '/CN=victim', '-days', '2', '-out', out]);
  return readFileSync(out, 'utf8');
}

describe('A01: alg "none", its case and whitespace variants, under every entry point and key configuration', () => {
  const SPELLINGS = ['none', 'None', 'NONE', 'nOnE', 'nonE', 'none ', ' none', 'none\u0000'];

  it('are ERR_JOSE_ALG_NOT_ALLOWED (or ERR_JWS_INVALID) whatever the key, resolver or allow-list', async () => {
    const hs = (await keysFor('HS256')).publicKey;
    const rs = (await keysFor('RS256')).publicKey;
    const unbound = await importKey(SECRET);
    const set = createLocalJwkSet({ keys: [{ ...(await exportJwk(rs)), kid: 'k1' }] });
    const real = segments(await signCompact('x', { alg: 'HS256' }, hs))[2];
    const configs = [
      verifiers(hs),
      verifiers(rs),
      verifiers(unbound, { algorithms: ['HS256'] }),
      verifiers(() => hs),
      verifiers(async () => hs, {}, {}, false),
      verifiers(set, { algorithms: ['RS256'] }),
    ];
    for (const alg of SPELLINGS) {
      for (const sig of ['', real, 'AA']) {
        const token = `${jsonB64u({ alg, typ: 'JWT', kid: 'k1' })}.${P}.${sig}`;
        for (const list of configs) {
          await refusedEverywhere(token, list, ['ERR_JOSE_ALG_NOT_ALLOWED', 'ERR_JWS_INVALID']);
        }
      }
    }
  });

  it('only verifyUnsecuredJwt takes "none": the exact string, with an empty signature segment', async () => {
    const ok = `${jsonB64u({ alg: 'none' })}.${P}.`;
    expect(verifyUnsecuredJwt(ok, { audience: 'api' }).payload.sub).toBe('admin');
    for (const alg of SPELLINGS.filter((s) => s !== 'none')) {
      await expectJotError(() => verifyUnsecuredJwt(`${jsonB64u({ alg })}.${P}.`), 'ERR_JOSE_ALG_NOT_ALLOWED');
    }
    await expectJotError(() => verifyUnsecuredJwt(`${ok}AA`, { audience: 'api' }), 'ERR_JWT_INVALID');
    await expectJotError(() => verifyUnsecuredJwt(macced('HS256', SECRET)), 'ERR_JOSE_ALG_NOT_ALLOWED');
  });
});

describe('A02: a falsy or empty key or resolver result never turns verification off', () => {
  it('falsy keys: ERR_KEY_INVALID; falsy resolver results: ERR_KEY_INVALID or ERR_JWKS_NO_MATCHING_KEY', async () => {
    const none = `${jsonB64u({ alg: 'none' })}.${P}.`;
    const emptyMac = macced('HS256', '');
    expect(segments(emptyMac)[0]).toBe(jsonB64u({ alg: 'HS256' }));
    const good = macced('HS256', SECRET);
    const crypto = require('node:crypto') as { createHmac: (...a: unknown[]) => unknown };
    const original = crypto.createHmac;
    const keyLengths: number[] = [];
    crypto.createHmac = (alg: unknown, key: unknown, ...rest: unknown[]) => {
      keyLengths.push(key instanceof KeyObject ? (key.symmetricKeySize ?? -1) : ((key as Uint8Array).byteLength ?? -1));
      return original(alg, key, ...rest);
    };
    syncBuiltinESMExports();
    // WebCrypto MACs with keys imported through subtle.importKey('raw', bytes, { name: 'HMAC' }): watch those too.
    const subtle = globalThis.crypto.subtle;
    const originalImport = subtle.importKey;
    subtle.importKey = function (this: SubtleCrypto, ...a: Parameters<SubtleCrypto['importKey']>) {
      const [format, data, algorithm] = a;
      if ((algorithm as { name?: string }).name === 'HMAC')
        keyLengths.push(format === 'raw' ? (data as ArrayBufferView).byteLength : -1);
      return originalImport.apply(this, a);
    } as SubtleCrypto['importKey'];
    try {
      for (const falsy of [undefined, null, '', false, 0, new Uint8Array(0)]) {
        for (const token of [none, emptyMac]) {
          const direct = verifiers(falsy as unknown as Key, { algorithms: ['HS256'] });
          await refusedEverywhere(token, direct, ['ERR_KEY_INVALID', 'ERR_JOSE_ALG_NOT_ALLOWED']);
          const sync = verifiers(() => falsy as unknown as Key, { algorithms: ['HS256'] });
          const async = verifiers(async () => falsy as unknown as Key, { algorithms: ['HS256'] }, {}, false);
          for (const list of [sync, async]) {
            const codes = ['ERR_KEY_INVALID', 'ERR_JWKS_NO_MATCHING_KEY', 'ERR_JOSE_ALG_NOT_ALLOWED'] as const;
            await refusedEverywhere(token, list, codes);
          }
        }
      }
      await verifiers(await importKey(SECRET, { alg: 'HS256' }))[0]![1](good); // the spy sees real MACs
    } finally {
      subtle.importKey = originalImport;
      crypto.createHmac = original;
      syncBuiltinESMExports();
    }
    expect(keyLengths.length).toBeGreaterThan(0);
    expect(keyLengths.every((n) => n >= 32)).toBe(true); // never a zero-length (or short) HMAC key
  });
});

describe('A03: stripped, null and truncated signatures under a real alg', () => {
  it('every form fails on every entry point: exact lengths for HMAC, RSA and ECDSA', async () => {
    for (const alg of ['HS256', 'RS256', 'ES256']) {
      const { privateKey, publicKey } = await keysFor(alg);
      const good = await signCompact(JSON.stringify(CLAIMS), { alg }, privateKey);
      const [h, p, s] = segments(good);
      const sig = Buffer.from(s, 'base64url');
      const forms = [`${h}.${p}.`, `${h}.${p}`, `${h}.${p}.AA`, `${h}.${p}.${s.slice(0, -4)}`];
      forms.push(`${h}.${p}.${toB64u(sig.subarray(0, 16))}`, `${h}.${p}.${toB64u(sig.subarray(0, 1))}`);
      if (alg === 'RS256') forms.push(`${h}.${p}.${toB64u(sig.subarray(0, 255))}`);
      if (alg === 'ES256') forms.push(`${h}.${p}.${toB64u(sig.subarray(0, 32))}`);
      for (const token of forms) {
        const codes = ['ERR_JWS_SIGNATURE_VERIFICATION_FAILED', 'ERR_JWS_INVALID'] as const;
        await refusedEverywhere(token, verifiers(publicKey), codes, { secrets: [s] });
      }
    }
  });
});

describe('A04: RS256 to HS256 key confusion (and ES, PS, EdDSA to HS)', () => {
  let rsa: { privateKey: KeyObject; publicKey: KeyObject };
  let cert: string;
  beforeAll(() => {
    rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    cert = certificate(rsa.privateKey);
  });

  /** Every serialisation of a public key an attacker might MAC with. */
  function serialisations(publicKey: KeyObject): (string | Uint8Array)[] {
    const spki = publicKey.export({ format: 'pem', type: 'spki' }) as string;
    const out: (string | Uint8Array)[] = [spki, spki.trimEnd(), spki.replace(/\n/g, '\r\n')];
    out.push(new Uint8Array(publicKey.export({ format: 'der', type: 'spki' })));
    if (publicKey.asymmetricKeyType === 'rsa-pss') return out; // no JWK form
    const jwk = publicKey.export({ format: 'jwk' }) as JWK;
    out.push(JSON.stringify(jwk));
    if (jwk.kty === 'RSA') {
      out.push(publicKey.export({ format: 'pem', type: 'pkcs1' }) as string, jwk.n!, Buffer.from(jwk.n!, 'base64url'));
    }
    const raw = (s: string) => Buffer.from(s, 'base64url');
    if (jwk.kty === 'EC') out.push(Buffer.concat([Buffer.from([4]), raw(jwk.x!), raw(jwk.y!)]));
    if (jwk.kty === 'OKP') out.push(raw(jwk.x!));
    return out;
  }

  it('HS256/384/512 MACed with the RSA key as SPKI, PKCS#1, certificate, DER, JWK, n: refused every way', async () => {
    const pem = rsa.publicKey.export({ format: 'pem', type: 'spki' }) as string;
    const bound = await importKey(pem, { alg: 'RS256', kid: 'victim' });
    const unbound = await importKey(pem);
    const fromCert = await importKey(cert);
    expect([bound.kty, unbound.kty, fromCert.kty]).toEqual(['RSA', 'RSA', 'RSA']);
    const set = createLocalJwkSet({ keys: [await exportJwk(bound)] });
    const configs = [
      verifiers(bound),
      verifiers(fromCert, { algorithms: ['RS256', 'HS256'] }),
      verifiers(unbound, { algorithms: ['RS256', 'HS256', 'HS384', 'HS512'] }),
      verifiers(() => bound),
      verifiers(() => unbound, { algorithms: ['HS256', 'HS384', 'HS512'] }),
      verifiers(set, { algorithms: ['RS256', 'HS256', 'HS384', 'HS512'] }),
    ];
    const codes = ['ERR_JOSE_ALG_NOT_ALLOWED', 'ERR_KEY_INVALID', 'ERR_JWKS_NO_MATCHING_KEY'] as const;
    for (const secret of [...serialisations(rsa.publicKey), cert, cert.replace(/\n/g, '\r\n')]) {
      for (const alg of ['HS256', 'HS384', 'HS512'] as const) {
        const token = macced(alg, secret, { alg, typ: 'JWT', kid: 'victim' });
        for (const list of configs) await refusedEverywhere(token, list, codes, { secrets: [pem] });
      }
    }
  });

  it('the same for P-256 (uncompressed point), RSA-PSS and Ed25519 (raw x) public keys', async () => {
    const kinds = [
      ['ES256', generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey],
      ['PS256', generateKeyPairSync('rsa-pss', { modulusLength: 2048 }).publicKey],
      ['EdDSA', generateKeyPairSync('ed25519').publicKey],
    ] as const;
    for (const [alg, publicKey] of kinds) {
      const pem = publicKey.export({ format: 'pem', type: 'spki' }) as string;
      if (alg === 'PS256' && WEB_CRYPTO) {
        // WebCrypto has no id-RSASSA-PSS SubjectPublicKeyInfo: the key is refused before any algorithm sees it.
        await expectJotError(importKey(pem, { alg }), 'ERR_JOSE_NOT_SUPPORTED');
        await expectJotError(importKey(createPublicKey(pem)), 'ERR_JOSE_NOT_SUPPORTED');
        continue;
      }
      const bound = await importKey(pem, { alg });
      const unbound = await importKey(createPublicKey(pem));
      const codes = ['ERR_JOSE_ALG_NOT_ALLOWED', 'ERR_KEY_INVALID'] as const;
      for (const secret of serialisations(publicKey)) {
        const token = macced('HS256', secret);
        await refusedEverywhere(token, verifiers(bound), codes);
        await refusedEverywhere(token, verifiers(unbound, { algorithms: [alg, 'HS256'] }), codes);
      }
    }
  });
});

describe('A05: evasions of a "looks like a public key" detector', () => {
  it('a string is PEM (an asymmetric key of its family) or ERR_KEY_INVALID, never a secret', async () => {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = publicKey.export({ format: 'pem', type: 'spki' }) as string;
    const variants = [
      ` \n${pem}`,
      `\t${pem}`,
      `\u200B${pem}`,
      `\u0000${pem}`,
      `x${pem}`,
      `Comment: x\n${pem}`,
      `-----BEGIN COMMENT-----\n-----END COMMENT-----\n${pem}`,
      `${pem}\n\n`,
      pem.replace(/PUBLIC KEY/g, 'public key'),
      publicKey.export({ format: 'pem', type: 'pkcs1' }) as string,
      certificate(privateKey),
      'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7 user@host',
      'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl user@host',
      'ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBEK3 user@host',
    ];
    for (const material of variants) {
      let key: Key | undefined;
      try {
        key = await importKey(material);
      } catch (e) {
        await expectJotError(Promise.reject(e), 'ERR_KEY_INVALID', { secrets: [material] });
      }
      if (key !== undefined) expect(key.kty).toBe('RSA');
      // The application's "key" was exactly this text: the attacker's HS256 token never verifies with it.
      const token = macced('HS256', material);
      const codes = ['ERR_KEY_INVALID', 'ERR_JOSE_ALG_NOT_ALLOWED'] as const;
      await expectJotError(
        async () => verifiers(await importKey(material), { algorithms: ['HS256'] })[0]![1](token),
        codes,
      );
      await expectJotError(importKey(Buffer.from(material)), 'ERR_KEY_INVALID');
    }
  });
});

describe('A06: the key picked by kid or resolver has the wrong type or algorithm', () => {
  it('set {RSA rsa1 RS256, oct hmac1}: (a) HS256+rsa1 (b) RS256+hmac1 (c) unbound (d) PS512 (e) use', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pub = publicKey.export({ format: 'jwk' }) as JWK;
    const rsa1 = { ...pub, kid: 'rsa1', alg: 'RS256', use: 'sig' };
    const oct = { kty: 'oct', kid: 'hmac1', k: toB64u(SECRET) };
    const set = createLocalJwkSet({ keys: [rsa1, oct] });
    const all = { algorithms: ['RS256', 'HS256', 'PS256', 'RS512'] };
    const no = ['ERR_JWKS_NO_MATCHING_KEY', 'ERR_JOSE_ALG_NOT_ALLOWED', 'ERR_KEY_INVALID'] as const;
    const pem = publicKey.export({ format: 'pem', type: 'spki' }) as string;
    for (const secret of [pem, JSON.stringify(pub), pub.n!]) {
      await refusedEverywhere(macced('HS256', secret, { alg: 'HS256', kid: 'rsa1' }), verifiers(set, all), no);
    }
    const rsPriv = await importKey(privateKey, { alg: 'RS256' });
    const b = await signCompact(JSON.stringify(CLAIMS), { alg: 'RS256', kid: 'hmac1' }, rsPriv);
    await refusedEverywhere(b, verifiers(set, all), no);
    // (c) a JWK without alg: the header alg never picks the family; an allow-list of one family is required.
    const unbound = createLocalJwkSet({ keys: [{ ...pub, kid: 'k' }] });
    for (const alg of ['HS256', 'PS256', 'RS512'] as const) {
      const signer = alg === 'HS256' ? undefined : await importKey(privateKey, { alg });
      const token =
        signer === undefined
          ? macced('HS256', pem, { alg, kid: 'k' })
          : await signCompact(JSON.stringify(CLAIMS), { alg, kid: 'k' }, signer);
      await refusedEverywhere(token, verifiers(unbound, { algorithms: ['RS256'] }), no);
    }
    // (d) bound to PS512, validly signed RS256 with the same private key.
    const ps512 = await importKey(publicKey, { alg: 'PS512' });
    const rs256Token = await signCompact(JSON.stringify(CLAIMS), { alg: 'RS256' }, rsPriv);
    await refusedEverywhere(rs256Token, verifiers(ps512), ['ERR_JOSE_ALG_NOT_ALLOWED']);
    await refusedEverywhere(rs256Token, verifiers(ps512, { algorithms: ['RS256'] }), [
      'ERR_INVALID_OPTION',
      'ERR_JOSE_ALG_NOT_ALLOWED',
    ]);
    // (e) use "enc" or key_ops ["encrypt"]: excluded from the set, refused as a direct key.
    for (const extra of [{ use: 'enc' }, { key_ops: ['encrypt'] }]) {
      const encSet = createLocalJwkSet({ keys: [{ ...pub, ...extra }] });
      await refusedEverywhere(rs256Token, verifiers(encSet, { algorithms: ['RS256'] }), no);
      const direct = await importKey({ ...pub, ...extra } as JWK);
      await refusedEverywhere(rs256Token, verifiers(direct, { algorithms: ['RS256'] }), ['ERR_KEY_INVALID']);
    }
  });
});

describe('A07: malformed, unregistered or mistyped alg values (G5: exact, case-sensitive)', () => {
  it('non-strings are ERR_JWS_INVALID; every other near miss ERR_JOSE_ALG_NOT_ALLOWED', async () => {
    const key = (await keysFor('HS256')).publicKey;
    const list = verifiers(key, { algorithms: ['HS256'] });
    for (const alg of [['HS256'], { 0: 'HS256' }, 256, true, null, undefined]) {
      const header = alg === undefined ? {} : { alg };
      await refusedEverywhere(macced('HS256', SECRET, header), list, ['ERR_JWS_INVALID']);
    }
    const nearMisses = ['hs256', 'HS256 ', ' HS256', 'HS256\u0000', 'HS256\u200B', 'HS-256', 'Hs256'];
    nearMisses.push('ＨＳ２５６');
    for (const alg of [...nearMisses, 'ES256K', 'RSA-OAEP', 'dir', 'A128KW', '__proto__', 'constructor']) {
      await refusedEverywhere(macced('HS256', SECRET, { alg }), list, ['ERR_JOSE_ALG_NOT_ALLOWED']);
    }
    const es256 = (await keysFor('ES256')).publicKey;
    if (LACKS_SECP256K1) await expectJotError(keysFor('ES256K'), 'ERR_JOSE_NOT_SUPPORTED');
    else {
      const k1 = await keysFor('ES256K');
      const es256k = await signCompact(JSON.stringify(CLAIMS), { alg: 'ES256K' }, k1.privateKey);
      await refusedEverywhere(es256k, verifiers(es256), ['ERR_JOSE_ALG_NOT_ALLOWED']);
    }
    // EdDSA signed with an Ed448 key, verified where Ed25519 is expected.
    const ed448 = await keysFor('EdDSA', 'Ed448');
    const ed25519 = (await keysFor('Ed25519')).publicKey;
    const token = await signCompact(JSON.stringify(CLAIMS), { alg: 'EdDSA' }, ed448.privateKey);
    await refusedEverywhere(token, verifiers(ed25519), ['ERR_JOSE_ALG_NOT_ALLOWED']);
    await refusedEverywhere(token, verifiers((await keysFor('EdDSA')).publicKey), [
      'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
      'ERR_KEY_INVALID',
    ]);
  });
});

describe('A08: an embedded jwk header never selects or constructs a key', () => {
  it('attacker RSA jwk, oct jwk, jwk with d, and the trusted members with another alg: all refused', async () => {
    const victim = await keysFor('RS256');
    const victimJwk = { ...(await exportJwk(victim.publicKey)), kid: 'victim' };
    const attacker = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const attackerKey = await importKey(attacker.privateKey, { alg: 'RS256' });
    const attackerJwk = attacker.publicKey.export({ format: 'jwk' }) as JWK;
    const privateJwk = attacker.privateKey.export({ format: 'jwk' }) as JWK;
    const set = createLocalJwkSet({ keys: [victimJwk] });
    const cases = [
      { alg: 'RS256', kid: 'victim', jwk: { ...attackerJwk, kid: 'victim', use: 'sig' } },
      { alg: 'RS256', kid: 'victim', jwk: { ...privateJwk, kid: 'victim' } },
      { alg: 'RS256', jwk: { ...attackerJwk, alg: 'RS256' } },
    ];
    const fail = ['ERR_JWS_SIGNATURE_VERIFICATION_FAILED', 'ERR_JWKS_NO_MATCHING_KEY'] as const;
    for (const header of cases) {
      const token = await signCompact(JSON.stringify(CLAIMS), header, attackerKey);
      for (const list of [verifiers(victim.publicKey), verifiers(set, { algorithms: ['RS256'] })]) {
        await refusedEverywhere(token, list, fail, { secrets: [privateJwk.d!] });
      }
    }
    const octHeader = { alg: 'HS256', kid: 'victim', jwk: { kty: 'oct', k: toB64u(SECRET) } };
    const octToken = macced('HS256', SECRET, octHeader);
    await refusedEverywhere(octToken, verifiers(victim.publicKey), ['ERR_JOSE_ALG_NOT_ALLOWED']);
    await refusedEverywhere(octToken, verifiers(set, { algorithms: ['RS256', 'HS256'] }), ['ERR_JWKS_NO_MATCHING_KEY']);
    const sameMembers = macced('HS256', SECRET, { alg: 'HS256', jwk: { ...victimJwk, alg: 'HS256' } });
    await refusedEverywhere(sameMembers, verifiers(victim.publicKey), ['ERR_JOSE_ALG_NOT_ALLOWED']);
  });
});
