// revokeSubject with the real clock: tokens issued before the call are refused and tokens issued after it pass,
// even within the same second ("log out everywhere, then log in again at once").
import { describe, expect, it } from 'vitest';
import { createVerifier, generateSecret, signJwt } from '../../src/index.js';
import { createRevocationList, memoryStore } from '../../src/revocation/index.js';

describe('revokeSubject against the system clock', () => {
  it('refuses every token issued before the call and accepts every token issued after it', async () => {
    const key = await generateSecret('HS256');
    const revocation = createRevocationList({ store: memoryStore() });
    const verifier = createVerifier({ key, algorithms: ['HS256'], revocation });
    for (let round = 0; round < 3; round++) {
      const before = await Promise.all(
        Array.from({ length: 20 }, () => signJwt({ sub: 'user-42' }, key, { expiresIn: '5m' })),
      );
      const start = Date.now();
      await revocation.revokeSubject('user-42');
      expect(Date.now() - start).toBeLessThan(2000); // waits for the next whole second at most
      const after = await Promise.all(
        Array.from({ length: 20 }, () => signJwt({ sub: 'user-42' }, key, { expiresIn: '5m' })),
      );
      for (const t of before) await expect(verifier.verify(t)).rejects.toMatchObject({ code: 'ERR_JWT_REVOKED' });
      for (const t of after) expect((await verifier.verify(t)).payload.sub).toBe('user-42');
      for (const t of before) expect(await revocation.isRevoked(t)).toBe(true);
      for (const t of after) expect(revocation.isRevokedSync(t)).toBe(false);
    }
    await revocation.close();
  });

  it('isRevoked takes the same inputs as revoke: a compact JWT or a claims object', async () => {
    const key = await generateSecret('HS256');
    const revocation = createRevocationList();
    const token = await signJwt({ sub: 'u' }, key, { expiresIn: '5m', jwtId: 'j-1' });
    expect(await revocation.isRevoked(token)).toBe(false);
    await revocation.revoke(token);
    expect(await revocation.isRevoked(token)).toBe(true);
    expect(revocation.isRevokedSync(token)).toBe(true);
    expect(await revocation.isRevoked({ jti: 'j-1' })).toBe(true);
    await expect(revocation.isRevoked('not a token')).rejects.toMatchObject({ code: 'ERR_JWT_INVALID' });
    await expect(revocation.isRevoked(42 as never)).rejects.toMatchObject({ code: 'ERR_INVALID_OPTION' });
    await revocation.close();
  });
});
