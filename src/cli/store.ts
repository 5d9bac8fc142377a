/** `--store sqlite:PATH | redis://...`: the revocation store the CLI talks to, through jotjs/revocation. */
import { resolve } from 'node:path';
import { createRevocationList, type RevocationList, redisStore, sqliteStore } from '../revocation/index.js';
import { type Context, str } from './command.js';
import { UsageError } from './io.js';

export type StoreSpec =
  | { kind: 'sqlite'; path: string; table?: string }
  | { kind: 'redis'; url: string; namespace?: string };

export function parseStore(ctx: Context): StoreSpec {
  const raw = str(ctx.values, 'store') ?? ctx.io.env.JOT_REVOCATION_STORE;
  if (raw === undefined || raw === '')
    throw new UsageError('a store is required: --store sqlite:PATH or --store redis://HOST:PORT');
  const ns = str(ctx.values, 'namespace');
  if (raw.startsWith('sqlite:')) {
    const path = raw.slice('sqlite:'.length);
    if (path === '') throw new UsageError('--store sqlite: needs a path, e.g. sqlite:revoked.db');
    return { kind: 'sqlite', path: resolve(ctx.io.cwd, path), ...(ns === undefined ? {} : { table: ns }) };
  }
  if (raw.startsWith('redis://') || raw.startsWith('rediss://')) {
    return { kind: 'redis', url: raw, ...(ns === undefined ? {} : { namespace: ns }) };
  }
  throw new UsageError('--store must be sqlite:PATH or redis://HOST:PORT');
}

/** Open the list (ready to use) over the given store; the caller closes it. */
export async function openList(ctx: Context, spec: StoreSpec): Promise<RevocationList> {
  const store =
    spec.kind === 'sqlite'
      ? sqliteStore({ path: spec.path, ...(spec.table === undefined ? {} : { table: spec.table }) })
      : redisStore(
          { url: spec.url },
          { connectTimeout: 5, ...(spec.namespace === undefined ? {} : { namespace: spec.namespace }) },
        );
  const list = createRevocationList({ store, purgeInterval: 0, clock: () => ctx.io.now() });
  try {
    await list.ready();
  } catch (e) {
    await list.close().catch(() => {});
    throw e;
  }
  return list;
}
