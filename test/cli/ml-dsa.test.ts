// The CLI with ML-DSA (RFC 9964): keygen writes AKP JWKs, sign and verify use them, jwk converts them to PEM
// (SPKI, seed-only PKCS#8) and back, and a token signed with one parameter set fails with another's key.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { jot, scratch } from './_run.js';

let s: ReturnType<typeof scratch>;
beforeEach(() => {
  s = scratch();
});
afterEach(() => s.cleanup());

describe('jot with ML-DSA keys', () => {
  it('keygen, sign, verify, decode; a 65 key refuses a 44 token', async () => {
    const k44 = join(s.dir, 'k44.jwk');
    const k65 = join(s.dir, 'k65.jwk');
    expect((await jot(['keygen', 'ML-DSA-44', '--out', k44])).code).toBe(0);
    expect((await jot(['keygen', 'ML-DSA-65', '--out', k65])).code).toBe(0);
    const jwk = JSON.parse(readFileSync(k44, 'utf8'));
    expect(jwk).toMatchObject({ kty: 'AKP', alg: 'ML-DSA-44' });
    expect(Buffer.from(jwk.priv, 'base64url')).toHaveLength(32);
    expect(JSON.parse(readFileSync(`${k44}.pub`, 'utf8')).priv).toBeUndefined();

    const signed = await jot(['sign', '--key', k44, '--claims', '{"sub":"pq"}', '--exp', '5m']);
    expect(signed.code).toBe(0);
    const token = signed.stdout.trim();
    expect(Buffer.from(token.split('.')[2]!, 'base64url')).toHaveLength(2420);

    const ok = await jot(['verify', '--key', `${k44}.pub`, token]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('ML-DSA-44');
    const wrong = await jot(['verify', '--key', `${k65}.pub`, token]);
    expect(wrong.code).not.toBe(0);
    const decoded = await jot(['decode', token]);
    expect(decoded.stdout).toContain('"alg": "ML-DSA-44"');
  });

  it('jwk converts an AKP key to seed-only PKCS#8 PEM and back, with the same thumbprint', async () => {
    const k = join(s.dir, 'k.jwk');
    expect((await jot(['keygen', 'ML-DSA-87', '--out', k])).code).toBe(0);
    const pem = await jot(['jwk', 'convert', k, '--to', 'pem']);
    expect(pem.code).toBe(0);
    expect(pem.stdout).toContain('-----BEGIN PRIVATE KEY-----');
    const pemFile = join(s.dir, 'k.pem');
    writeFileSync(pemFile, pem.stdout);
    const back = await jot(['jwk', 'convert', pemFile]);
    expect(back.code).toBe(0);
    const original = JSON.parse(readFileSync(k, 'utf8'));
    expect(JSON.parse(back.stdout)).toMatchObject({
      kty: 'AKP',
      alg: 'ML-DSA-87',
      pub: original.pub,
      priv: original.priv,
    });
    const t1 = await jot(['jwk', 'thumbprint', k]);
    const t2 = await jot(['jwk', 'thumbprint', pemFile]);
    expect(t1.code).toBe(0);
    expect(t1.stdout.trim()).toBe(t2.stdout.trim());
  });
});
