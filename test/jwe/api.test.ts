import { describe, expect, it } from 'vitest';
import { SRC, staticGraph } from '../helpers/graph.js';
import { createDecrypter, decryptCompact, decryptJson, encryptCompact, encryptJson } from '../../src/jwe/index.js';
import { generateSecret } from '../../src/key/generate.js';

const _src = SRC;

describe('lazy JWE', () => {
  it('importing jotjs loads no JWE parsing, key management or content encryption', () => {
    const graph = staticGraph('index.ts');
    expect(graph.has('jwt/verify.ts') && graph.has('jwe/api.ts')).toBe(true);
    const loaded = [
      'jwe/decrypt.ts',
      'jwe/encrypt.ts',
      'jwe/parse.ts',
      'jwe/key-management.ts',
      'jwe/content.ts',
      'jwe/ecdh.ts',
      'jwe/zip.ts',
      'jwe/decrypter-impl.ts',
      'key/jwe-policy.ts',
    ].filter((m) => graph.has(m));
    expect(loaded).toEqual([]);
  });

  it('encrypts and decrypts through the loaded modules, in both serializations', async () => {
    const key = await generateSecret('A256KW');
    const jwe = await encryptCompact('compact', { alg: 'A256KW', enc: 'A256GCM' }, key);
    expect(Buffer.from((await decryptCompact(jwe, key)).plaintext).toString()).toBe('compact');
    expect(Buffer.from((await createDecrypter({ key }).decrypt(jwe)).plaintext).toString()).toBe('compact');
    const json = await encryptJson('json', {
      protectedHeader: { enc: 'A256GCM' },
      recipients: [{ header: { alg: 'A256KW' }, key }],
    });
    expect(Buffer.from((await decryptJson(json, key)).plaintext).toString()).toBe('json');
  });

  it('rejects (never throws) for bad arguments, with the same codes', async () => {
    const key = await generateSecret('A256KW');
    await expect(encryptCompact('x', null as never, key)).rejects.toMatchObject({ code: 'ERR_JWE_INVALID' });
    await expect(encryptJson('x', {} as never, { nope: 1 } as never)).rejects.toMatchObject({
      code: 'ERR_INVALID_OPTION',
    });
    await expect(decryptCompact('a.b', key, { nope: 1 } as never)).rejects.toMatchObject({
      code: 'ERR_INVALID_OPTION',
    });
    await expect(decryptJson(42 as never, key)).rejects.toMatchObject({ code: 'ERR_JWE_INVALID' });
  });
});
