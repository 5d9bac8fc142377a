// The revocation list wired into verifyJwt and createVerifier: ERR_JWT_REVOKED on every path,
// including a verified-token cache hit, with each real store.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVerifier, generateSecret, type Key, signJwt, verifyJwt } from '../../src/index.js';
import {
  createRevocationList,
  memoryStore,
  type RevocationList,
  redisStore,
  sqliteStore,
} from '../../src/revocation/index.js';
import { type RedisServer, redisAvailable, startRedis } from './_redis.js';

const ISS = 'https://idp.example';
const AUD = 'api';
const available = redisAvailable();
let server: RedisServer | undefined;
let dir: string;
let key: Key;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'jot-rev-int-'));
  key = await generateSecret('HS256');
  if (available) server = await startRedis();
});
afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const stores: [string, () => RevocationList][] = [
  ['memory', () => createRevocationList({ store: memoryStore() })],
  ['sqlite', () => createRevocationList({ store: sqliteStore({ path: join(dir, `r${Math.random()}.db`) }) })],
];
if (available) {
  stores.push([
    'redis',
    () => createRevocationList({ store: redisStore({ url: server!.url }, { namespace: `int${Math.random()}` }) }),
  ]);
}

describe.each(stores)('revocation with verifyJwt and createVerifier (%s store)', (_name, make) => {
  it('rejects a revoked token with ERR_JWT_REVOKED on every verify path, cache hits included', async () => {
    const revocation = make();
    await revocation.ready();
    const token = await signJwt({ sub: 'alice' }, key, { issuer: ISS, audience: AUD, expiresIn: '5m', jwtId: true });
    const other = await signJwt({ sub: 'bob' }, key, { issuer: ISS, audience: AUD, expiresIn: '5m', jwtId: true });
    const options = { issuer: ISS, audience: AUD, revocation };
    const cached = createVerifier({ key, ...options, cache: { max: 10 } });
    const plain = createVerifier({ key, ...options });

    // Accepted before revocation; the cached verifier now holds the token.
    await verifyJwt(token, key, options);
    expect((await cached.verify(token)).payload.sub).toBe('alice');
    expect(cached.verifySync(token).payload.sub).toBe('alice');

    await revocation.revoke(token);
    const revoked = { code: 'ERR_JWT_REVOKED' };
    await expect(verifyJwt(token, key, options)).rejects.toMatchObject(revoked);
    await expect(plain.verify(token)).rejects.toMatchObject(revoked);
    expect(() => plain.verifySync(token)).toThrow(expect.objectContaining(revoked));
    await expect(cached.verify(token)).rejects.toMatchObject(revoked);
    expect(() => cached.verifySync(token)).toThrow(expect.objectContaining(revoked));

    // Other tokens are unaffected; "log out everywhere" revokes them by subject.
    expect((await verifyJwt(other, key, options)).payload.sub).toBe('bob');
    await revocation.revokeSubject('bob', { issuedBefore: Math.floor(Date.now() / 1000) + 1 });
    await expect(cached.verify(other)).rejects.toMatchObject(revoked);
    await revocation.close();
  });
});
