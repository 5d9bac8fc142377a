/** `jot jwk`: PEM <-> JWK, the public part of a private key, RFC 7638 thumbprints and RFC 9278 URIs. */
import { exportJwk, exportPem, jwkThumbprint, jwkThumbprintUri } from '../key/export.js';
import type { JWK } from '../key/jwk.js';
import type { Key } from '../key/key.js';
import { type Command, type Context, str } from './command.js';
import { loadKeyFile } from './input.js';
import { safeJson } from './format.js';
import { UsageError } from './io.js';

const ACTIONS = ['convert', 'public', 'thumbprint', 'uri'] as const;
type Action = (typeof ACTIONS)[number];

export interface JwkResult {
  action: Action;
  /** convert/public: a JWK object or PEM text. */
  jwk?: JWK;
  pem?: string;
  thumbprint?: string;
  uri?: string;
  digest?: string;
}

type Digest = 'sha256' | 'sha384' | 'sha512';

async function loadOne(ctx: Context, path: string): Promise<Key> {
  const alg = str(ctx.values, 'alg');
  const loaded = await loadKeyFile(ctx, path, { alg });
  if (loaded.kind !== 'key') throw new UsageError(`${path} is a key set: jot jwk works on one key (JWK or PEM)`);
  return loaded.key;
}

async function compute(ctx: Context): Promise<JwkResult> {
  let [action, path] = ctx.positionals as [string | undefined, string | undefined];
  if (action !== undefined && path === undefined && !(ACTIONS as readonly string[]).includes(action)) {
    path = action;
    action = 'convert';
  }
  if (action === undefined || !(ACTIONS as readonly string[]).includes(action)) {
    throw new UsageError(`an action is required: ${ACTIONS.join(', ')}`);
  }
  if (path === undefined) throw new UsageError('a key file is required');
  const key = await loadOne(ctx, path);
  const kid = str(ctx.values, 'kid');
  const withKid = (jwk: JWK): JWK => (kid === undefined ? jwk : { ...jwk, kid });
  const act = action as Action;
  switch (act) {
    case 'convert': {
      const to = str(ctx.values, 'to') ?? 'jwk';
      if (to === 'pem') return { action: 'convert', pem: await exportPem(key) };
      if (to !== 'jwk') throw new UsageError('--to must be jwk or pem');
      return { action: 'convert', jwk: withKid(await exportJwk(key, { includePrivate: true })) };
    }
    case 'public': {
      if (key.kty === 'oct') throw new UsageError('a secret key has no public part');
      const to = str(ctx.values, 'to') ?? 'jwk';
      if (to === 'pem') {
        const { importKey } = await import('../key/import.js');
        const pub = await importKey(await exportJwk(key));
        return { action: 'public', pem: await exportPem(pub) };
      }
      return { action: 'public', jwk: withKid(await exportJwk(key)) };
    }
    case 'thumbprint':
    case 'uri': {
      const digest = (str(ctx.values, 'digest') ?? 'sha256') as Digest;
      if (!['sha256', 'sha384', 'sha512'].includes(digest))
        throw new UsageError('--digest must be sha256, sha384 or sha512');
      return act === 'thumbprint'
        ? { action: act, digest, thumbprint: await jwkThumbprint(key, digest) }
        : { action: act, digest, uri: await jwkThumbprintUri(key, digest) };
    }
  }
}

export const command: Command<JwkResult> = {
  compute,
  text(r) {
    if (r.pem !== undefined) return r.pem.endsWith('\n') ? r.pem : `${r.pem}\n`;
    if (r.jwk !== undefined) return `${safeJson(r.jwk)}\n`;
    return `${r.thumbprint ?? r.uri}\n`;
  },
};
