/** `jot revoke add|check|list`: revoke tokens by jti or subject in a SQLite or Redis store. */
import { decodeUnverified } from '../jwt/decode.js';
import { type Command, type Context, str } from './command.js';
import { isoDate } from './format.js';
import { parseTimeArg, readToken } from './input.js';
import { EXIT_OK, EXIT_REJECTED, safeText, UsageError } from './io.js';
import type { Listing } from './revoke-list.js';
import { openList, parseStore } from './store.js';

export interface RevokeResult {
  action: 'add' | 'check' | 'list';
  store: string;
  /** add: what was revoked. */
  revoked?: { jti: string; exp: number } | { sub: string; issuedBefore: number };
  /** check: the verdict. */
  isRevoked?: boolean;
  checked?: Record<string, unknown>;
  listing?: Listing;
}

const LIST_LIMIT = 10_000;

function storeLabel(ctx: Context): string {
  const raw = str(ctx.values, 'store') ?? ctx.io.env.JOT_REVOCATION_STORE ?? '';
  // Never print a Redis password.
  return raw.replace(/\/\/[^@/]*@/, '//***@');
}

async function withToken(ctx: Context): Promise<Record<string, unknown> | undefined> {
  if (ctx.positionals.length < 2) return undefined;
  const sub = ctx.positionals.slice(1);
  const token = await readToken({ ...ctx, positionals: sub });
  return decodeUnverified(token!).payload;
}

async function compute(ctx: Context): Promise<RevokeResult> {
  const action = ctx.positionals[0];
  if (action !== 'add' && action !== 'check' && action !== 'list')
    throw new UsageError('an action is required: add, check or list');
  const spec = parseStore(ctx);
  const now = ctx.io.now();
  const v = ctx.values;
  const store = storeLabel(ctx);
  if (action === 'list') {
    if (ctx.positionals.length > 1) throw new UsageError('jot revoke list takes no token');
    const { listStore } = await import('./revoke-list.js');
    return { action, store, listing: await listStore(spec, now, LIST_LIMIT) };
  }
  const claims = await withToken(ctx);
  const jti = str(v, 'jti');
  const sub = str(v, 'sub');
  if (claims !== undefined && (jti !== undefined || sub !== undefined))
    throw new UsageError('give a token, or --jti/--sub, not both');
  if (action === 'add') {
    const list = await openList(ctx, spec);
    try {
      if (claims !== undefined) {
        await list.revoke(claims as { jti: string; exp: number });
        return { action, store, revoked: { jti: String(claims.jti), exp: Number(claims.exp) } };
      }
      if (jti !== undefined) {
        const expArg = str(v, 'exp');
        if (expArg === undefined) throw new UsageError('--jti needs --exp (when the token expires)');
        const exp = parseTimeArg(expArg, '--exp', now);
        await list.revoke({ jti, exp });
        return { action, store, revoked: { jti, exp } };
      }
      if (sub !== undefined) {
        const before = str(v, 'before');
        const issuedBefore = before === undefined ? now : parseTimeArg(before, '--before', now);
        await list.revokeSubject(sub, { issuedBefore });
        return { action, store, revoked: { sub, issuedBefore } };
      }
      throw new UsageError('give a token (or -), --jti ID --exp TIME, or --sub SUB');
    } finally {
      await list.close();
    }
  }
  let checked: Record<string, unknown>;
  if (claims !== undefined) checked = claims;
  else if (jti !== undefined) checked = { jti };
  else if (sub !== undefined) {
    const iat = str(v, 'iat');
    checked = { sub, ...(iat === undefined ? {} : { iat: parseTimeArg(iat, '--iat', now) }) };
  } else throw new UsageError('give a token (or -), --jti ID, or --sub SUB [--iat TIME]');
  const list = await openList(ctx, spec);
  try {
    return { action, store, isRevoked: await list.isRevoked(checked), checked };
  } finally {
    await list.close();
  }
}

export const command: Command<RevokeResult> = {
  compute,
  exitCode: (r) => (r.action === 'check' && r.isRevoked ? EXIT_REJECTED : EXIT_OK),
  text(r, ctx) {
    const st = ctx.out;
    if (r.action === 'add') {
      const x = r.revoked!;
      return 'jti' in x
        ? `revoked jti ${safeText(JSON.stringify(x.jti))} until ${isoDate(x.exp)}\n`
        : `revoked every token of subject ${safeText(JSON.stringify(x.sub))} issued before ${isoDate(x.issuedBefore)}\n`;
    }
    if (r.action === 'check') {
      const what =
        typeof r.checked?.jti === 'string'
          ? `jti ${safeText(JSON.stringify(r.checked.jti))}`
          : `subject ${safeText(JSON.stringify(r.checked?.sub))}`;
      return r.isRevoked ? `${st.red('revoked')}: ${what}\n` : `${st.green('not revoked')}: ${what}\n`;
    }
    const l = r.listing!;
    const lines = [st.bold(`${l.jtis.length} revoked token id${l.jtis.length === 1 ? '' : 's'}`)];
    for (const j of l.jtis) lines.push(`  ${safeText(JSON.stringify(j.jti))}  until ${isoDate(j.expiresAt)}`);
    lines.push(st.bold(`${l.subjects.length} revoked subject${l.subjects.length === 1 ? '' : 's'}`));
    for (const s of l.subjects)
      lines.push(`  ${safeText(JSON.stringify(s.sub))}  tokens issued before ${isoDate(s.cutoff)}`);
    if (l.truncated) lines.push(st.yellow(`(first ${LIST_LIMIT} of each shown)`));
    return `${lines.join('\n')}\n`;
  },
};
