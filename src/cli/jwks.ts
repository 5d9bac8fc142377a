/** `jot jwks`: fetch a key set (or discover an issuer's) and list its keys; build a set from key files. */
import { exportJwk, jwkThumbprint } from '../key/export.js';
import type { JWK } from '../key/jwk.js';
import { createLocalJwkSet, type JWKS } from '../keyset/local.js';
import { type Command, type Context, flag, str } from './command.js';
import type { FetchOptions } from './remote.js';
import type { SkippedKey } from '../keyset/select.js';
import { safeJson } from './format.js';
import { loadKeyFile, parseDurationArg } from './input.js';
import { safeText, UsageError } from './io.js';

export interface KeySummary {
  kid?: string;
  kty: string;
  alg?: string;
  use?: string;
  crv?: string;
  bits?: number;
  thumbprint: string;
}

export interface JwksResult {
  action: 'fetch' | 'discover' | 'build';
  source?: string;
  jwksUri?: string;
  /** Discovery: the asymmetric algorithms the issuer advertises for signing (all of them when it names none). */
  algorithms?: string[];
  jwks: JWKS;
  keys: KeySummary[];
  /** Keys of a fetched set that are not used: private members, an unsupported type, or invalid. */
  skipped?: SkippedKey[];
}

function fetchOptions(ctx: Context): FetchOptions {
  const o: FetchOptions = { allowHttp: flag(ctx.values, 'allow-http') };
  const timeout = str(ctx.values, 'timeout');
  if (timeout !== undefined) o.timeoutMs = parseDurationArg(timeout, '--timeout') * 1000;
  const max = str(ctx.values, 'max-bytes');
  if (max !== undefined) {
    const n = Number(max);
    if (!Number.isSafeInteger(n) || n < 1) throw new UsageError('--max-bytes must be a positive integer');
    o.maxBytes = n;
  }
  return o;
}

/** The keys of a set; a fetched set was checked by createRemoteJwkSet, a built one is checked here. */
async function summarize(jwks: JWKS, remote: boolean): Promise<KeySummary[]> {
  // createLocalJwkSet checks every key (type, members, sizes, duplicate kids) before anything is listed.
  if (!remote) createLocalJwkSet(jwks);
  const out: KeySummary[] = [];
  for (const jwk of jwks.keys) {
    const s: KeySummary = { kty: jwk.kty, thumbprint: await jwkThumbprint(jwk) };
    if (typeof jwk.kid === 'string') s.kid = jwk.kid;
    if (typeof jwk.alg === 'string') s.alg = jwk.alg;
    if (typeof jwk.use === 'string') s.use = jwk.use;
    if (typeof jwk.crv === 'string') s.crv = jwk.crv;
    if (typeof jwk.n === 'string') s.bits = Math.round((jwk.n.length * 6) / 8) * 8;
    out.push(s);
  }
  return out;
}

async function build(ctx: Context, paths: readonly string[]): Promise<JwksResult> {
  if (paths.length === 0) throw new UsageError('jot jwks build needs key files');
  const keys: JWK[] = [];
  for (const path of paths) {
    const loaded = await loadKeyFile(ctx, path, { allowPrivateSet: true });
    const jwks: JWK[] = [];
    if (loaded.kind === 'set') {
      const { importKey } = await import('../key/import.js');
      for (const j of loaded.jwks.keys) jwks.push(await exportJwk(await importKey(j)));
    } else {
      if (loaded.key.kty === 'oct')
        throw new UsageError(`${path} is a secret key: a published key set holds public keys only`);
      jwks.push(await exportJwk(loaded.key));
    }
    for (const j of jwks) keys.push(j.kid === undefined ? { ...j, kid: await jwkThumbprint(j) } : j);
  }
  const seen = new Set<string>();
  for (const k of keys) {
    if (seen.has(k.kid!)) throw new UsageError(`two keys share the kid "${safeText(k.kid!)}"`);
    seen.add(k.kid!);
  }
  const jwks = { keys };
  return { action: 'build', jwks, keys: await summarize(jwks, false) };
}

async function compute(ctx: Context): Promise<JwksResult> {
  const [first, ...rest] = ctx.positionals;
  if (first === undefined) throw new UsageError('a URL, or discover ISSUER, or build FILE... is required');
  if (first === 'build') return build(ctx, rest);
  const opts = fetchOptions(ctx);
  if (first === 'discover') {
    const issuer = rest[0];
    if (issuer === undefined || rest.length > 1) throw new UsageError('jot jwks discover takes one issuer URL');
    const { discoverSet } = await import('./remote.js');
    const { jwksUri, algorithms, jwks, skipped } = await discoverSet(issuer, opts);
    return {
      action: 'discover',
      source: issuer,
      jwksUri,
      algorithms,
      jwks,
      keys: await summarize(jwks, true),
      skipped,
    };
  }
  const url = first === 'fetch' ? rest[0] : first;
  if (url === undefined || (first === 'fetch' ? rest.length > 1 : rest.length > 0))
    throw new UsageError('jot jwks takes one URL');
  const { fetchSet } = await import('./remote.js');
  const { jwks, skipped } = await fetchSet(url, opts);
  return { action: 'fetch', source: url, jwks, keys: await summarize(jwks, true), skipped };
}

const SKIP_REASONS: Record<SkippedKey['reason'], string> = {
  private: 'has private members (a published set must hold public keys only); not used',
  unsupported: 'an unsupported key type or curve; not used',
  invalid: 'not a valid key; not used',
};

export const command: Command<JwksResult> = {
  compute,
  json: (r) => (r.action === 'build' ? r.jwks : r),
  text(r, ctx) {
    if (r.action === 'build') return `${safeJson(r.jwks)}\n`;
    const st = ctx.out;
    const lines = [
      st.bold(`${r.keys.length} key${r.keys.length === 1 ? '' : 's'} from ${safeText(r.jwksUri ?? r.source ?? '')}`),
    ];
    for (const k of r.keys) {
      const parts = [
        k.kid === undefined ? st.dim('(no kid)') : `kid ${st.cyan(safeText(JSON.stringify(k.kid)))}`,
        k.kty + (k.crv ? ` ${safeText(k.crv)}` : '') + (k.bits ? ` ${k.bits}-bit` : ''),
        k.alg === undefined ? st.dim('no alg') : safeText(k.alg),
        k.use === undefined ? '' : `use ${safeText(k.use)}`,
        st.dim(`thumbprint ${k.thumbprint}`),
      ].filter((p) => p !== '');
      lines.push(`  ${parts.join('  ')}`);
    }
    for (const k of r.skipped ?? []) {
      const kid = k.kid === undefined ? '' : ` (kid ${safeText(JSON.stringify(k.kid))})`;
      lines.push(st.yellow(`  skipped keys[${k.index}]${kid}: ${SKIP_REASONS[k.reason]}`));
    }
    if (r.algorithms !== undefined) lines.push(st.dim(`signing algorithms advertised: ${r.algorithms.join(', ')}`));
    return `${lines.join('\n')}\n`;
  },
};
