import { digest } from '#crypto/digest';
import { b64uEncode } from '../encoding/base64url.js';
import { own } from '../encoding/json.js';
import { err, JotError } from '../errors.js';
import { dateSeconds, parseDuration } from './duration.js';

/** Names of `IssueClaimsOptions`. @internal */
export const ISSUE_OPTIONS = [
  'expiresIn',
  'notBefore',
  'issuedAt',
  'issuer',
  'audience',
  'subject',
  'jwtId',
  'currentDate',
] as const;

/** A time option: relative seconds, or an absolute NumericDate. */
type When = { readonly relative: boolean; readonly seconds: number } | undefined;

/** Claim-setting options compiled once. @internal */
export interface IssuePolicy {
  readonly exp: When;
  readonly nbf: When;
  /** `true`: now; `false`: none; a number: that NumericDate. */
  readonly iat: boolean | number;
  /** Was `issuedAt` given explicitly (then a claims `iat` is a conflict)? */
  readonly iatExplicit: boolean;
  /** Pre-encoded `,"name":value` members for iss, aud, sub and a fixed jti, joined. */
  readonly fixed: string;
  /** The claims `fixed` sets (CLAIM bits): a claims object setting one of them is a conflict. */
  readonly fixedClaims: number;
  readonly randomJti: boolean;
  readonly currentDate: Date | undefined;
}

function when(v: unknown, name: string, min: number): When {
  if (v === undefined) return undefined;
  if (v instanceof Date) return { relative: false, seconds: Math.floor(dateSeconds(v, name)) };
  return { relative: true, seconds: parseDuration(v, name, min) };
}

function nonEmptyString(v: unknown, name: string): string {
  if (typeof v !== 'string' || v.length === 0) throw err('ERR_INVALID_OPTION', `${name} must be a non-empty string`);
  return v;
}

/** Compile claim-setting options (already read as own properties). Throws `ERR_INVALID_OPTION`. @internal */
export function compileIssuePolicy(o: Record<string, unknown>): IssuePolicy {
  const exp = when(o.expiresIn, 'expiresIn', 1);
  const nbf = when(o.notBefore, 'notBefore', 0);
  if (exp?.relative && nbf?.relative && exp.seconds <= nbf.seconds) {
    throw err('ERR_INVALID_OPTION', 'expiresIn must be later than notBefore');
  }
  let iat: boolean | number = true;
  if (o.issuedAt instanceof Date) iat = Math.floor(dateSeconds(o.issuedAt, 'issuedAt'));
  else if (typeof o.issuedAt === 'boolean') iat = o.issuedAt;
  else if (o.issuedAt !== undefined) throw err('ERR_INVALID_OPTION', 'issuedAt must be a boolean or a Date');
  const fixed: [string, string][] = [];
  if (o.issuer !== undefined) fixed.push(['iss', JSON.stringify(nonEmptyString(o.issuer, 'issuer'))]);
  if (o.audience !== undefined) {
    const a = o.audience;
    if (typeof a === 'string') fixed.push(['aud', JSON.stringify(nonEmptyString(a, 'audience'))]);
    else if (Array.isArray(a) && a.length > 0) {
      fixed.push(['aud', JSON.stringify(a.map((x) => nonEmptyString(x, 'audience')))]);
    } else throw err('ERR_INVALID_OPTION', 'audience must be a non-empty string or a non-empty list');
  }
  if (o.subject !== undefined) fixed.push(['sub', JSON.stringify(nonEmptyString(o.subject, 'subject'))]);
  let randomJti = false;
  if (o.jwtId === true) randomJti = true;
  else if (o.jwtId !== undefined) fixed.push(['jti', JSON.stringify(nonEmptyString(o.jwtId, 'jwtId'))]);
  if (o.currentDate !== undefined) dateSeconds(o.currentDate, 'currentDate');
  return {
    exp,
    nbf,
    iat,
    iatExplicit: o.issuedAt !== undefined,
    fixed: fixed.map(([name, json]) => `,"${name}":${json}`).join(''),
    fixedClaims: fixed.reduce((bits, [name]) => bits | CLAIM[name as keyof typeof CLAIM], 0),
    randomJti,
    currentDate: o.currentDate as Date | undefined,
  };
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  try {
    const proto = Object.getPrototypeOf(v);
    return proto === Object.prototype || proto === null;
  } catch {
    return false;
  }
}

function invalid(claim: string, what: string): never {
  throw err('ERR_JWT_INVALID', `the "${claim}" claim must be ${what}`);
}

/** One bit per registered claim, for the set of those a claims object carries. */
const CLAIM = { iss: 1, sub: 2, aud: 4, exp: 8, nbf: 16, iat: 32, jti: 64 } as const;

function stringClaim(c: Record<string, unknown>, name: 'iss' | 'sub' | 'jti'): number {
  const v = own(c, name);
  if (v === undefined) return 0;
  if (typeof v !== 'string') invalid(name, 'a string');
  return CLAIM[name];
}

function timeClaim(c: Record<string, unknown>, name: 'exp' | 'nbf' | 'iat'): number {
  const v = own(c, name);
  if (v === undefined) return 0;
  if (typeof v !== 'number' || !Number.isFinite(v)) invalid(name, 'a finite number');
  return CLAIM[name];
}

/**
 * Registered claims given by the caller must have their JSON types (never produce what jot would refuse). Each is
 * read once (a getter runs once); returns the CLAIM bits of those present.
 */
function checkRegistered(c: Record<string, unknown>): number {
  let present =
    stringClaim(c, 'iss') |
    stringClaim(c, 'sub') |
    stringClaim(c, 'jti') |
    timeClaim(c, 'exp') |
    timeClaim(c, 'nbf') |
    timeClaim(c, 'iat');
  const aud = own(c, 'aud');
  if (aud !== undefined) {
    present |= CLAIM.aud;
    if (typeof aud !== 'string' && (!Array.isArray(aud) || !aud.every((a) => typeof a === 'string' && a.length > 0))) {
      invalid('aud', 'a string or an array of non-empty strings');
    }
  }
  if (typeof own(c, 'toJSON') === 'function') throw err('ERR_JWT_INVALID', 'the claims may not have a toJSON method');
  return present;
}

function conflict(claim: string): never {
  throw err('ERR_INVALID_OPTION', `"${claim}" is set both in the claims and by an option`);
}

/**
 * The claims set as JSON text: the caller's claims (a plain object, registered claims well-typed) plus the claims
 * the options add. Throws `ERR_JWT_INVALID` for unusable claims, `ERR_INVALID_OPTION` for a claim set twice. @internal
 */
export function buildClaims(claims: unknown, p: IssuePolicy): string {
  if (!isPlainObject(claims)) throw err('ERR_JWT_INVALID', 'the claims must be a plain object');
  let present: number;
  try {
    present = checkRegistered(claims);
  } catch (e) {
    // a member that cannot be read (a getter or Proxy trap that throws) makes the claims unusable
    const unreadable = !(e instanceof JotError) || e.code === 'ERR_INVALID_OPTION';
    throw unreadable ? err('ERR_JWT_INVALID', 'the claims could not be read', e) : e;
  }
  const now = Math.floor(p.currentDate === undefined ? Date.now() / 1000 : dateSeconds(p.currentDate, 'currentDate'));
  let extra = '';
  if (p.iat !== false) {
    if ((present & CLAIM.iat) === 0) extra += `,"iat":${p.iat === true ? now : p.iat}`;
    else if (p.iatExplicit) conflict('iat');
  }
  if (p.exp !== undefined) {
    if ((present & CLAIM.exp) !== 0) conflict('exp');
    extra += `,"exp":${p.exp.relative ? now + p.exp.seconds : p.exp.seconds}`;
  }
  if (p.nbf !== undefined) {
    if ((present & CLAIM.nbf) !== 0) conflict('nbf');
    extra += `,"nbf":${p.nbf.relative ? now + p.nbf.seconds : p.nbf.seconds}`;
  }
  if ((present & p.fixedClaims) !== 0) {
    for (const name of ['iss', 'aud', 'sub', 'jti'] as const)
      if ((present & p.fixedClaims & CLAIM[name]) !== 0) conflict(name);
  }
  extra += p.fixed;
  if (p.randomJti) {
    if ((present & CLAIM.jti) !== 0) conflict('jti');
    extra += `,"jti":"${b64uEncode(digest.randomBytes(16))}"`;
  }
  let text: string;
  try {
    text = JSON.stringify(claims);
  } catch (cause) {
    throw err('ERR_JWT_INVALID', 'the claims cannot be serialized as JSON', cause);
  }
  if (extra.length === 0) return text;
  return text.length === 2 ? `{${extra.slice(1)}}` : `${text.slice(0, -1)}${extra}}`;
}
