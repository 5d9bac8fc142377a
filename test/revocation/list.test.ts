import { describe, expect, it, vi } from 'vitest';
import { err } from '../../src/errors.js';
import { createRevocationList, memoryStore, type RevocationStore } from '../../src/revocation/index.js';

/** A store whose backend is down: every read and write fails as unreachable. */
function downStore(): RevocationStore {
  const down = () => {
    throw err('ERR_REVOCATION_STORE_UNAVAILABLE', 'down');
  };
  return {
    addJti: async () => down(),
    hasJti: async () => down(),
    hasJtiSync: () => down(),
    setSubjectCutoff: async () => down(),
    getSubjectCutoff: async () => down(),
    getSubjectCutoffSync: () => down(),
    purge: async () => down(),
    close: async () => {},
  };
}

const invalid = expect.objectContaining({ code: 'ERR_INVALID_OPTION' });

describe('createRevocationList', () => {
  it('validates its options', () => {
    const bad: unknown[] = [
      null,
      { store: {} },
      { store: { ...memoryStore(), purge: 1 } },
      { failOpen: 'yes' },
      { clockTolerance: -1 },
      { clockTolerance: '5m' },
      { subjectRetention: Number.POSITIVE_INFINITY },
      { purgeInterval: -5 },
      { clock: Date.now() },
      { onFailOpen: 'log' },
    ];
    for (const options of bad) expect(() => createRevocationList(options as never)).toThrow(invalid);
  });

  it('fails closed when the store is unreachable', async () => {
    const list = createRevocationList({ store: downStore() });
    await expect(list.isRevoked({ jti: 'a' })).rejects.toMatchObject({ code: 'ERR_REVOCATION_STORE_UNAVAILABLE' });
    expect(() => list.isRevokedSync({ sub: 'a', iat: 1 })).toThrow(
      expect.objectContaining({ code: 'ERR_REVOCATION_STORE_UNAVAILABLE' }),
    );
  });

  it('fails open when asked to, reporting each failure; writes never fail open', async () => {
    const onFailOpen = vi.fn();
    const list = createRevocationList({ store: downStore(), failOpen: true, onFailOpen });
    expect(await list.isRevoked({ jti: 'a' })).toBe(false);
    expect(list.isRevokedSync({ jti: 'a' })).toBe(false);
    expect(onFailOpen).toHaveBeenCalledTimes(2);
    expect(onFailOpen.mock.calls[0]?.[0]).toMatchObject({ code: 'ERR_REVOCATION_STORE_UNAVAILABLE' });
    await expect(list.revoke({ jti: 'a', exp: Date.now() / 1000 + 60 })).rejects.toMatchObject({
      code: 'ERR_REVOCATION_STORE_UNAVAILABLE',
    });
    await expect(list.revokeSubject('s')).rejects.toMatchObject({ code: 'ERR_REVOCATION_STORE_UNAVAILABLE' });
  });

  it('does not fail open on errors other than an unreachable store', async () => {
    const store: RevocationStore = {
      ...downStore(),
      hasJti: async () => {
        throw new TypeError('bug');
      },
    };
    const list = createRevocationList({ store, failOpen: true });
    // A JotError (G1, issue 10), but not the one failOpen answers: a broken store never fails open.
    await expect(list.isRevoked({ jti: 'a' })).rejects.toMatchObject({
      code: 'ERR_INVALID_OPTION',
      cause: expect.any(TypeError),
    });
  });

  it('offers isRevokedSync only for stores with synchronous lookups', async () => {
    const { hasJtiSync: _a, getSubjectCutoffSync: _b, ...asyncOnly } = memoryStore();
    const list = createRevocationList({ store: asyncOnly });
    expect(list.sync).toBe(false);
    expect(() => list.isRevokedSync({ jti: 'a' })).toThrow(expect.objectContaining({ code: 'ERR_JOSE_NOT_SUPPORTED' }));
    expect(await list.isRevoked({ jti: 'a' })).toBe(false);
  });

  it('purges expired entries in the background with an unref timer', async () => {
    vi.useFakeTimers();
    try {
      let t = 1000;
      const store = memoryStore();
      const list = createRevocationList({ store, clock: () => t, purgeInterval: 10 });
      await list.revoke({ jti: 'a', exp: 1005 });
      expect(store.size).toBe(1);
      t = 1020;
      await vi.advanceTimersByTimeAsync(10_000);
      expect(store.size).toBe(0);
      await list.close();
    } finally {
      vi.useRealTimers();
    }
  });
});
