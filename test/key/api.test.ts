// Key generation and export load on first use: importing jot does not load them (issue 19, cold start), and what the
// public functions answer is what the loaded modules answer, errors included.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SRC, staticGraph } from '../helpers/graph.js';
import {
  exportJwk,
  exportPem,
  generateKeyPair,
  generateSecret,
  jwkThumbprint,
  jwkThumbprintUri,
} from '../../src/key/api.js';
import * as impl from '../../src/key/export.js';
import { importKey } from '../../src/key/import.js';

const src = SRC;

describe('lazy key generation and export', () => {
  it('importing jotjs loads neither generation nor export', () => {
    const graph = staticGraph('index.ts');
    expect(graph.has('key/import.ts') && graph.has('key/api.ts') && graph.has('keyset/keyring.ts')).toBe(true);
    expect(['key/generate.ts', 'key/export.ts'].filter((m) => graph.has(m))).toEqual([]);
    const text = readFileSync(join(src, 'index.ts'), 'utf8');
    expect(text).not.toMatch(/crypto\/node\/generate|#crypto\/generate/);
  });

  it('generates, exports and thumbprints through the loaded modules', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { kid: 'k1' });
    expect(publicKey.alg).toBe('ES256');
    expect(privateKey.kid).toBe('k1');
    const jwk = await exportJwk(publicKey);
    expect(jwk).toEqual(await impl.exportJwk(publicKey));
    expect(jwk).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', kid: 'k1' });
    expect((await exportJwk(privateKey, { includePrivate: true })).d).toEqual(expect.any(String));
    expect(await exportPem(publicKey)).toBe(await impl.exportPem(publicKey));
    expect(await jwkThumbprint(jwk)).toBe(await impl.jwkThumbprint(jwk));
    expect(await jwkThumbprint(jwk, 'sha512')).toHaveLength(86);
    expect(await jwkThumbprintUri(publicKey)).toBe(await impl.jwkThumbprintUri(publicKey));
    const secret = await generateSecret('HS256');
    expect(secret.alg).toBe('HS256');
    const back = await importKey(Buffer.from((await exportJwk(secret, { includePrivate: true })).k!, 'base64url'));
    expect(back.kty).toBe('oct');
  });

  it('rejects (never throws) for bad arguments, with the same codes', async () => {
    const secret = await generateSecret('HS256');
    await expect(generateKeyPair('HS256')).rejects.toMatchObject({ name: 'JotError' });
    await expect(generateKeyPair('RS256', { modulusLength: 1024 })).rejects.toMatchObject({
      code: 'ERR_INVALID_OPTION',
    });
    await expect(generateSecret('ES256')).rejects.toMatchObject({ code: 'ERR_JOSE_NOT_SUPPORTED' });
    await expect(exportPem(secret)).rejects.toMatchObject({ name: 'JotError' });
    await expect(exportJwk({} as never)).rejects.toMatchObject({ name: 'JotError' });
    await expect(jwkThumbprint({ kty: 'EC' } as never)).rejects.toMatchObject({ name: 'JotError' });
    await expect(jwkThumbprintUri(secret, 'md5' as never)).rejects.toMatchObject({ name: 'JotError' });
  });
});
