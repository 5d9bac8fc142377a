// Key and isKey: a Key is made by jot's import or generation only, and says what it is without showing material.
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { exportJwk, generateSecret, importKey, isKey, Key } from '../../src/index.js';
import { expectCode, keysFor } from '../helpers/index.js';

describe('Key', () => {
  it('isKey is true for imported and generated keys only', async () => {
    const { privateKey, publicKey } = await keysFor('ES256');
    const secret = await generateSecret('HS256');
    for (const k of [privateKey, publicKey, secret]) expect(isKey(k)).toBe(true);
    const jwk = await exportJwk(publicKey);
    for (const v of [jwk, { ...publicKey }, Object.create(Key.prototype), null, undefined, 'key', new Uint8Array(32)]) {
      expect(isKey(v)).toBe(false);
    }
  });

  it('describes itself (kty, alg, private or not) and never prints its material', async () => {
    const secret = await importKey(new Uint8Array(32).fill(0x61), { alg: 'HS256', kid: 'k1' });
    expect([secret.kty, secret.alg, secret.kid, secret.isPrivate]).toEqual(['oct', 'HS256', 'k1', true]);
    const shown = `${inspect(secret, { depth: 8, showHidden: true })} ${JSON.stringify(secret)}`;
    expect(shown).not.toContain('YWFhYWFh');
    expect(shown).not.toContain('aaaaaaaa');
  });

  it('a forged object is refused where a Key is expected', async () => {
    const forged = Object.assign(Object.create(Key.prototype), { kty: 'oct', alg: 'HS256' });
    await expectCode(exportJwk(forged), 'ERR_KEY_INVALID');
  });
});
