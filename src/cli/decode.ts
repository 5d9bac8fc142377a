/** `jot decode`: a token's header and claims, pretty-printed, with times made readable. Nothing is verified. */
import { decodeUnverified } from '../jwt/decode.js';
import type { Command, Context } from './command.js';
import { isoDate, prettyJson, relative, TIME_CLAIMS } from './format.js';
import { readToken } from './token.js';

export interface DecodeResult {
  type: 'JWS' | 'JWE';
  header: Record<string, unknown>;
  /** The claims of a JWS; a JWE's are encrypted. */
  payload?: Record<string, unknown>;
  /** ISO date and relative time of each numeric time claim. */
  times: Record<string, { iso: string; relative: string }>;
  verified: false;
  now: number;
}

export function decodeToken(token: string, now: number): DecodeResult {
  // The library's decoder: a JWS's header and claims, or a JWE's protected header (its claims are encrypted).
  const decoded = decodeUnverified(token);
  if (decoded.encrypted) return { type: 'JWE', header: decoded.header, times: {}, verified: false, now };
  const { header, payload } = decoded;
  const times: DecodeResult['times'] = {};
  for (const [k, v] of Object.entries(payload)) {
    if (TIME_CLAIMS.has(k) && typeof v === 'number' && Number.isFinite(v)) {
      times[k] = { iso: isoDate(v), relative: relative(k, v, now) };
    }
  }
  return { type: 'JWS', header, payload, times, verified: false, now };
}

export const command: Command<DecodeResult> = {
  async compute(ctx: Context) {
    const token = (await readToken(ctx))!;
    return decodeToken(token, ctx.io.now());
  },
  json: ({ type, header, payload, times, verified }) => ({ type, header, payload, times, verified }),
  text(r, ctx) {
    const st = ctx.out;
    const lines: string[] = [];
    lines.push(st.bold(r.type === 'JWE' ? 'Protected header (JWE)' : 'Header'));
    lines.push(prettyJson(r.header, st));
    if (r.payload !== undefined) {
      lines.push('', st.bold('Claims'), prettyJson(r.payload, st, r.now));
    } else {
      lines.push('', st.dim('The claims are encrypted: jot decrypt TOKEN --key FILE shows them.'));
    }
    lines.push('', st.yellow('Not verified: decode shows the content only. Use jot verify before trusting any of it.'));
    return `${lines.join('\n')}\n`;
  },
};
