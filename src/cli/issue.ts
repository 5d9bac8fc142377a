/** Claim options shared by `sign` and `encrypt`: --exp, --nbf, --sub, --iss, --aud, --jti, --no-iat. */
import type { IssueClaimsOptions } from '../jwt/types.js';
import { type Context, flag, list, str } from './command.js';
import { parseDurationArg, parseTimeArg } from './input.js';

const DURATION_ONLY = /^\d{1,12}[smhdw]?$/;

export function issueOptions(ctx: Context, now: number): IssueClaimsOptions {
  const v = ctx.values;
  const o: IssueClaimsOptions = { currentDate: new Date(now * 1000) };
  const exp = str(v, 'exp');
  if (exp !== undefined) {
    o.expiresIn = DURATION_ONLY.test(exp)
      ? parseDurationArg(exp, '--exp')
      : new Date(parseTimeArg(exp, '--exp', now) * 1000);
  }
  const nbf = str(v, 'nbf');
  if (nbf !== undefined) {
    o.notBefore = DURATION_ONLY.test(nbf)
      ? parseDurationArg(nbf, '--nbf')
      : new Date(parseTimeArg(nbf, '--nbf', now) * 1000);
  }
  if (flag(v, 'no-iat')) o.issuedAt = false;
  const sub = str(v, 'sub');
  if (sub !== undefined) o.subject = sub;
  const iss = str(v, 'iss');
  if (iss !== undefined) o.issuer = iss;
  const aud = list(v, 'aud');
  if (aud.length > 0) o.audience = aud.length === 1 ? aud[0]! : aud;
  const jti = str(v, 'jti');
  if (jti !== undefined) o.jwtId = jti === 'random' ? true : jti;
  return o;
}
