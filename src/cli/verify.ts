/** `jot verify`: signature, algorithm policy and claims; a rejection explained in one line. */
import { JotError } from '../errors.js';
import type { Key } from '../key/key.js';
import type { JwkSetResolver } from '../keyset/local.js';
import type { RemoteJwkSet } from '../keyset/remote.js';
import type { JwtClaims, VerifyJwtOptions } from '../jwt/types.js';
import { verifyJwt } from '../jwt/verify.js';
import { type Command, type Context, flag, list, str } from './command.js';
import { isoDate, prettyJson, span } from './format.js';
import { checkJwsAlg, hmacAlgorithms, impliedJwsAlg, loadKeyOrSecret, parseDurationArg, readToken } from './input.js';
import { EXIT_OK, EXIT_REJECTED, safeText, UsageError } from './io.js';

export interface VerifyResult {
  valid: boolean;
  /** The check that failed and why, in one line. */
  reason?: string;
  error?: { code: string; claim?: string; reason?: string; message: string };
  alg?: string;
  kid?: string;
  keySource: string;
  header?: Readonly<Record<string, unknown>>;
  payload?: JwtClaims;
  checked: string[];
  unchecked: string[];
  now: number;
}

type Source = { resolver: Key | JwkSetResolver | RemoteJwkSet; algorithms: string[] | undefined; label: string };

/** Where the keys come from and which algorithms they allow. Shared by `verify` and `decrypt`-less callers. */
async function keySource(ctx: Context): Promise<Source> {
  const algs = list(ctx.values, 'alg')
    .flatMap((a) => a.split(','))
    .map((a) => checkJwsAlg(a.trim()));
  const jwksUrl = str(ctx.values, 'jwks');
  if (jwksUrl !== undefined) {
    if (['key', 'secret', 'secret-file', 'secret-env'].some((k) => str(ctx.values, k) !== undefined)) {
      throw new UsageError('give either --jwks or a key (--key, --secret-file, --secret-env)');
    }
    const { fetchSet } = await import('./remote.js');
    const timeout = str(ctx.values, 'timeout');
    const { resolver } = await fetchSet(jwksUrl, {
      allowHttp: flag(ctx.values, 'allow-http'),
      ...(timeout === undefined ? {} : { timeoutMs: parseDurationArg(timeout, '--timeout') * 1000 }),
    });
    return {
      resolver,
      algorithms: algs.length > 0 ? algs : undefined,
      label: safeText(jwksUrl),
    };
  }
  const loaded = await loadKeyOrSecret(ctx);
  if (loaded.kind === 'set')
    return { resolver: loaded.resolver, algorithms: algs.length > 0 ? algs : undefined, label: loaded.source };
  if (loaded.kind === 'secret')
    return { resolver: loaded.key, algorithms: algs.length > 0 ? algs : hmacAlgorithms(), label: 'the secret' };
  const implied = impliedJwsAlg(loaded.key);
  if (algs.length === 0 && implied === undefined && loaded.key.kty === 'oct') {
    return { resolver: loaded.key, algorithms: hmacAlgorithms(), label: loaded.source };
  }
  if (algs.length === 0 && implied === undefined) {
    throw new UsageError(`the key in ${loaded.source} does not name its algorithm: pass --alg (e.g. --alg PS256)`);
  }
  return { resolver: loaded.key, algorithms: algs.length > 0 ? algs : [implied!], label: loaded.source };
}

function quote(v: unknown): string {
  if (v === undefined) return 'nothing';
  return safeText(JSON.stringify(v) ?? String(v));
}

/** One line naming the failed check, what was expected and what was found. */
/** A rejection's error as `--json` shows it: code, message, and the claim and reason when there are. */
export function errorFields(e: JotError): { code: string; message: string; claim?: string; reason?: string } {
  const x = e as JotError & { claim?: string; reason?: string };
  return {
    code: x.code,
    message: x.message,
    ...(x.claim === undefined ? {} : { claim: x.claim }),
    ...(x.reason === undefined ? {} : { reason: x.reason }),
  };
}

export function explain(e: unknown, token: string, opts: VerifyJwtOptions, now: number, label: string): string {
  if (!(e instanceof JotError)) return e instanceof Error ? e.message : String(e);
  const x = e as JotError & { claim?: string; reason?: string; payload?: Record<string, unknown> };
  const p = x.payload ?? {};
  const leeway =
    typeof opts.clockTolerance === 'number' && opts.clockTolerance > 0 ? `, leeway ${opts.clockTolerance} s` : '';
  switch (x.code) {
    case 'ERR_JWT_EXPIRED': {
      const exp = Number(p.exp);
      return `exp: expired ${span(now - exp)} ago (exp ${isoDate(exp)}, now ${isoDate(now)}${leeway})`;
    }
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED': {
      const claim = x.claim ?? '?';
      const found = claim === 'typ' ? headerTyp(token) : p[claim];
      const wanted = { iss: opts.issuer, aud: opts.audience, sub: opts.subject, typ: opts.typ }[claim];
      if (x.reason === 'missing' && wanted === undefined) return `${claim}: missing (required)`;
      if (claim === 'nbf' && x.reason === 'not_yet_valid') {
        return `nbf: not valid for another ${span(Number(p.nbf) - now)} (nbf ${isoDate(Number(p.nbf))}, now ${isoDate(now)}${leeway})`;
      }
      if (claim === 'iat' && x.reason === 'too_old') {
        return `iat: issued ${span(now - Number(p.iat))} ago, more than --max-age ${opts.maxTokenAge} s`;
      }
      if (claim === 'iat' && x.reason === 'future') return `iat: issued ${span(Number(p.iat) - now)} in the future`;
      if (wanted !== undefined) {
        const exp =
          Array.isArray(wanted) && wanted.length > 1
            ? `one of ${quote(wanted)}`
            : quote(Array.isArray(wanted) ? wanted[0] : wanted);
        return `${claim}: expected ${exp}, found ${quote(found)}`;
      }
      return `${claim}: ${x.reason ?? 'invalid'} (${safeText(x.message)})`;
    }
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return `signature: does not verify with ${label}`;
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return `alg: the token's ${quote(headerField(token, 'alg'))} is not allowed (accepted: ${opts.algorithms?.join(', ') ?? "the key's algorithm"})`;
    case 'ERR_JWKS_NO_MATCHING_KEY':
      return `kid: no key in ${label} matches kid ${quote(headerField(token, 'kid'))} and alg ${quote(headerField(token, 'alg'))}`;
    case 'ERR_KEY_INVALID':
      return `key: ${safeText(x.message)}`;
    default:
      if (token.split('.').length === 5) return 'format: this is a JWE (five segments): use jot decrypt';
      return `${x.code === 'ERR_JWT_REVOKED' ? 'revoked' : 'format'}: ${safeText(x.message)}`;
  }
}

function headerField(token: string, name: string): unknown {
  try {
    const seg = token.slice(0, token.indexOf('.'));
    const h = JSON.parse(Buffer.from(seg, 'base64url').toString('utf8')) as Record<string, unknown>;
    return Object.hasOwn(h, name) ? h[name] : undefined;
  } catch {
    return undefined;
  }
}

function headerTyp(token: string): unknown {
  return headerField(token, 'typ');
}

/** Claim-check options shared by verify and decrypt. */
export function claimOptions(
  ctx: Context,
  now: number,
): { options: VerifyJwtOptions; checked: string[]; unchecked: string[] } {
  const v = ctx.values;
  const o: VerifyJwtOptions & Record<string, unknown> = { currentDate: new Date(now * 1000) };
  const checked = ['exp', 'nbf'];
  const unchecked: string[] = [];
  const iss = list(v, 'iss');
  const aud = list(v, 'aud');
  if (iss.length > 0) {
    o.issuer = iss;
    checked.push('iss');
  } else unchecked.push('iss');
  if (aud.length > 0) {
    o.audience = aud;
    checked.push('aud');
  } else {
    o.allowAnyAudience = true;
    unchecked.push('aud');
  }
  const sub = str(v, 'sub');
  if (sub !== undefined) {
    o.subject = sub;
    checked.push('sub');
  }
  const typ = str(v, 'typ');
  if (typ !== undefined) {
    o.typ = typ;
    checked.push('typ');
  }
  const maxAge = str(v, 'max-age');
  if (maxAge !== undefined) {
    o.maxTokenAge = parseDurationArg(maxAge, '--max-age');
    checked.push('iat');
  }
  const leeway = str(v, 'leeway');
  if (leeway !== undefined) o.clockTolerance = parseDurationArg(leeway, '--leeway');
  const req = list(v, 'require');
  if (req.length > 0) o.requiredClaims = req;
  return { options: o, checked, unchecked };
}

export const command: Command<VerifyResult> = {
  async compute(ctx) {
    const token = (await readToken(ctx))!;
    const now = ctx.io.now();
    const { options, checked, unchecked } = claimOptions(ctx, now);
    const source = await keySource(ctx);
    const opts: VerifyJwtOptions =
      source.algorithms === undefined ? options : { ...options, algorithms: source.algorithms };
    try {
      const r = await verifyJwt(token, source.resolver, opts);
      const alg = typeof r.protectedHeader.alg === 'string' ? r.protectedHeader.alg : undefined;
      return {
        valid: true,
        ...(alg === undefined ? {} : { alg }),
        ...(r.key.kid === undefined ? {} : { kid: r.key.kid }),
        keySource: source.label,
        header: r.protectedHeader,
        payload: r.payload,
        checked: ['signature', ...checked],
        unchecked,
        now,
      };
    } catch (e) {
      if (!(e instanceof JotError) || e.code === 'ERR_INVALID_OPTION') throw e;
      return {
        valid: false,
        reason: explain(e, token, opts, now, source.label),
        error: errorFields(e),
        keySource: source.label,
        checked: [],
        unchecked,
        now,
      };
    }
  },
  exitCode: (r) => (r.valid ? EXIT_OK : EXIT_REJECTED),
  json: ({ now: _now, ...rest }) => rest,
  text(r, ctx) {
    const st = ctx.out;
    if (!r.valid) {
      // The reason goes to standard error, so that a pipe sees nothing on a rejection.
      ctx.io.stderr.write(`${ctx.err.red('rejected:')} ${r.reason}\n`);
      return '';
    }
    const key = r.kid === undefined ? r.keySource : `key ${quote(r.kid)} from ${r.keySource}`;
    const lines = [
      `${st.green(st.bold('valid'))}  ${safeText(r.alg ?? '')}, ${key}`,
      `checked: ${r.checked.join(', ')}`,
    ];
    if (r.unchecked.length > 0)
      lines.push(st.dim(`not checked: ${r.unchecked.join(', ')} (pass --${r.unchecked.join(' / --')} to check)`));
    lines.push('', st.bold('Claims'), prettyJson(r.payload, st, r.now));
    return `${lines.join('\n')}\n`;
  },
};
