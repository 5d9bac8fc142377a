import { describe, expect, it } from 'vitest';
import { createRevocationList, memoryStore } from '../../src/revocation/index.js';
import { behaviourSuite } from './_suite.js';

behaviourSuite({ name: 'memory', create: () => memoryStore(), shared: false });

describe('memoryStore', () => {
  it('is bounded: purges expired entries when full, then refuses rather than dropping', async () => {
    let t = 1000;
    const store = memoryStore({ maxEntries: 3 });
    const list = createRevocationList({ store, clock: () => t, purgeInterval: 0 });
    await list.revoke({ jti: 'a', exp: 1010 });
    await list.revoke({ jti: 'b', exp: 1100 });
    await list.revokeSubject('s');
    await expect(list.revoke({ jti: 'c', exp: 1100 })).rejects.toMatchObject({ code: 'ERR_LIMIT_EXCEEDED' });
    // Updating an entry already held needs no room.
    await list.revoke({ jti: 'a', exp: 1020 });
    t = 1030; // a has expired: it makes room for c
    await list.revoke({ jti: 'c', exp: 1100 });
    expect(store.size).toBe(3);
    expect(await list.isRevoked({ jti: 'b' })).toBe(true);
    expect(await list.isRevoked({ jti: 'c' })).toBe(true);
    expect(await list.isRevoked({ sub: 's', iat: 999 })).toBe(true);
    await expect(list.revokeSubject('s2')).rejects.toMatchObject({ code: 'ERR_LIMIT_EXCEEDED' });
    await list.close();
  });

  it('rejects a bad maxEntries', () => {
    for (const maxEntries of [0, -1, 1.5, Number.NaN, '10']) {
      expect(() => memoryStore({ maxEntries: maxEntries as number })).toThrow(
        expect.objectContaining({ code: 'ERR_INVALID_OPTION' }),
      );
    }
  });

  it('is the default store', async () => {
    const list = createRevocationList();
    expect(list.sync).toBe(true);
    await list.revoke({ jti: 'a', exp: Date.now() / 1000 + 60 });
    expect(list.isRevokedSync({ jti: 'a' })).toBe(true);
    await list.close();
  });
});
