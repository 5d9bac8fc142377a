/**
 * X.509 `CERTIFICATE` PEM import, with self-signed certificates made at test time by `openssl req -x509`.
 * Without openssl the suite is skipped (it needs the Debian package `openssl`), except under CI, where it fails.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exportJwk, importKey, signCompact, verifyCompact } from '../../src/index.js';
import { expectCode } from '../helpers/index.js';

const HAVE_OPENSSL = spawnSync('openssl', ['version'], { stdio: 'ignore' }).status === 0;
const dir = mkdtempSync(join(tmpdir(), 'jot-x509-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A self-signed certificate for `privateKey`, in PEM. */
function selfSigned(name: string, privateKey: KeyObject, digest: boolean): string {
  const keyFile = join(dir, `${name}.key`);
  const certFile = join(dir, `${name}.crt`);
  writeFileSync(keyFile, privateKey.export({ format: 'pem', type: 'pkcs8' }));
  const args = ['req', '-x509', '-new', '-key', keyFile, '-subj', `/CN=jot ${name}`, '-days', '2', '-out', certFile];
  execFileSync('openssl', digest ? [...args, '-sha256'] : args, { stdio: 'ignore' });
  return readFileSync(certFile, 'utf8');
}

const KINDS = [
  { name: 'rsa', alg: 'RS256', make: () => generateKeyPairSync('rsa', { modulusLength: 2048 }), digest: true },
  { name: 'p256', alg: 'ES256', make: () => generateKeyPairSync('ec', { namedCurve: 'prime256v1' }), digest: true },
  { name: 'ed25519', alg: 'EdDSA', make: () => generateKeyPairSync('ed25519'), digest: false },
] as const;

if (!HAVE_OPENSSL && process.env.CI === 'true') {
  describe('X.509 certificates', () => {
    it('needs openssl', () => {
      throw new Error('openssl is required under CI to make test certificates (Debian package: openssl)');
    });
  });
} else {
  const suite = HAVE_OPENSSL ? describe : describe.skip;
  const title = HAVE_OPENSSL ? '' : ' [skipped: openssl not found; install the Debian package openssl]';
  suite(`X.509 certificates made by openssl${title}`, () => {
    for (const kind of KINDS) {
      it(`${kind.name}: a certificate imports as its public key and verifies the key's signatures`, async () => {
        const { privateKey, publicKey } = kind.make();
        const pem = selfSigned(kind.name, privateKey, kind.digest);
        expect(pem).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
        const key = await importKey(pem, { alg: kind.alg });
        expect(key.isPrivate).toBe(false);
        expect(await exportJwk(key)).toEqual({ ...publicKey.export({ format: 'jwk' }), alg: kind.alg });
        const jws = await signCompact('x509', { alg: kind.alg }, await importKey(privateKey, { alg: kind.alg }));
        await verifyCompact(jws, key);
        // CRLF line endings are still the same certificate.
        await verifyCompact(jws, await importKey(pem.replace(/\n/g, '\r\n'), { alg: kind.alg }));
      });
    }

    it('a certificate for a 1024-bit RSA key is refused like the key itself', async () => {
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
      await expectCode(importKey(selfSigned('rsa1024', privateKey, true)), 'ERR_KEY_INVALID');
    });

    it('a certificate never becomes a secret, and a chain of two certificates is not one key', async () => {
      const pem = selfSigned('p256b', generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey, true);
      await expectCode(importKey(pem, { alg: 'HS256' }), 'ERR_KEY_INVALID');
      await expectCode(importKey(pem + pem), 'ERR_KEY_INVALID');
      await expectCode(importKey(pem.replace('MII', 'MIJ')), 'ERR_KEY_INVALID');
    });
  });
}
