// A JWK whose "alg" names a content encryption algorithm (RFC 7520 sections 3.6 and 5.6 write "alg": "A256GCM" and
// "A128GCM" for direct-encryption keys): importKey binds it to "dir", checks it has exactly that algorithm's size,
// and the key then serves that content encryption algorithm only (issue 10, class 5: docs/jwe.md said such a JWK was
// refused; it is accepted, and now restricted to the algorithm it names). The option { alg: 'A128GCM' } is refused.
import { describe, expect, it } from 'vitest';
import { decryptCompact, encryptCompact, importKey, type JWK } from '../../src/index.js';
import { expectCode } from '../helpers/index.js';

const bytes = (n: number, fill: number) => new Uint8Array(n).fill(fill);
const jwk = (n: number, alg: string): JWK => ({ kty: 'oct', k: Buffer.from(bytes(n, 7)).toString('base64url'), alg });

describe('a JWK naming a content encryption algorithm', () => {
  it('imports as a "dir" key and encrypts and decrypts with that algorithm', async () => {
    const key = await importKey(jwk(16, 'A128GCM'));
    expect(key.alg).toBe('dir');
    const jwe = await encryptCompact('hi', { alg: 'dir', enc: 'A128GCM' }, key);
    expect(new TextDecoder().decode((await decryptCompact(jwe, key)).plaintext)).toBe('hi');
  });

  it('of another size than the algorithm needs: ERR_KEY_INVALID', async () => {
    await expectCode(importKey(jwk(32, 'A128GCM')), 'ERR_KEY_INVALID');
    await expectCode(importKey(jwk(16, 'A256GCM')), 'ERR_KEY_INVALID');
  });

  it('serves no other content encryption algorithm, even one of the same key size', async () => {
    const key = await importKey(jwk(32, 'A256GCM'));
    await expectCode(encryptCompact('hi', { alg: 'dir', enc: 'A128CBC-HS256' }, key), 'ERR_KEY_INVALID');
    const plain = await importKey(bytes(32, 7), { alg: 'dir' }); // the same bytes, not restricted
    const other = await encryptCompact('hi', { alg: 'dir', enc: 'A128CBC-HS256' }, plain);
    expect(new TextDecoder().decode((await decryptCompact(other, plain)).plaintext)).toBe('hi');
    await expectCode(decryptCompact(other, key), 'ERR_JWE_DECRYPTION_FAILED');
  });

  it('binding by option: { alg: "dir" } works, a content encryption algorithm is ERR_INVALID_OPTION', async () => {
    expect((await importKey(jwk(16, 'A128GCM'), { alg: 'dir' })).alg).toBe('dir');
    await expectCode(importKey(bytes(16, 1), { alg: 'A128GCM' }), 'ERR_INVALID_OPTION');
  });
});
