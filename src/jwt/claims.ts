import { isObject, own } from '../encoding/json.js';
import { type ClaimName, type ClaimReason, err, JwtClaimError } from '../errors.js';
import { callerError, readOptions } from '../options.js';
import { dateSeconds, durationOption, MAX_DURATION, ONE_DAY, parseDuration } from './duration.js';
import { normalizeMediaType, typReason } from './header.js';
import type { ClaimValidationOptions, JwtClaims } from './types.js';

/** Names of {@link ClaimValidationOptions}. @internal */
export const CLAIM_OPTIONS = [
  'issuer',
  'audience',
  'allowAnyAudience',
  'singleAudience',
  'subject',
  'typ',
  'clockTolerance',
  'maxTokenAge',
  'maxExpiresIn',
  'requiredClaims',
  'currentDate',
] as const;

const CLAIM_OPTION_NAMES: ReadonlySet<string> = new Set(CLAIM_OPTIONS);

/** Claim options checked and compiled once: sets, seconds. Every field is an own property. @internal */
export interface ClaimPolicy {
  readonly issuers: ReadonlySet<string> | undefined;
  readonly audiences: ReadonlySet<string> | undefined;
  readonly anyAudience: boolean;
  readonly singleAudience: boolean;
  readonly subject: string | undefined;
  readonly typs: ReadonlySet<string> | undefined;
  readonly tolerance: number;
  readonly maxTokenAge: number | undefined;
  readonly maxExpiresIn: number | undefined;
  readonly required: readonly string[];
  readonly currentDate: Date | undefined;
}

function boolOption(v: unknown, name: string): boolean {
  if (v === undefined) return false;
  if (typeof v !== 'boolean') throw err('ERR_INVALID_OPTION', `${name} must be a boolean`);
  return v;
}

/** A non-empty string, or a non-empty list of them, as a Set (optionally mapped). */
function stringSet(v: unknown, name: string, map: (s: string) => string = (s) => s): ReadonlySet<string> | undefined {
  if (v === undefined) return undefined;
  const list = typeof v === 'string' ? [v] : v;
  if (!Array.isArray(list) || list.length === 0) {
    throw err('ERR_INVALID_OPTION', `${name} must be a non-empty string or a non-empty list of them`);
  }
  const out = new Set<string>();
  for (const s of list) {
    if (typeof s !== 'string' || s.length === 0)
      throw err('ERR_INVALID_OPTION', `${name} lists an empty or non-string value`);
    out.add(map(s));
  }
  return out;
}

/** Compile claim options (already read as own properties). Throws `ERR_INVALID_OPTION`. @internal */
export function compileClaimPolicy(o: Record<string, unknown>): ClaimPolicy {
  const audiences = stringSet(o.audience, 'audience');
  const anyAudience = boolOption(o.allowAnyAudience, 'allowAnyAudience');
  if (anyAudience && audiences !== undefined) {
    throw err('ERR_INVALID_OPTION', 'allowAnyAudience contradicts audience: pass one of them');
  }
  const subject = o.subject;
  if (subject !== undefined && (typeof subject !== 'string' || subject.length === 0)) {
    throw err('ERR_INVALID_OPTION', 'subject must be a non-empty string');
  }
  const required = o.requiredClaims ?? [];
  if (!Array.isArray(required) || !required.every((c) => typeof c === 'string' && c.length > 0)) {
    throw err('ERR_INVALID_OPTION', 'requiredClaims must be a list of claim names');
  }
  if (o.currentDate !== undefined) dateSeconds(o.currentDate, 'currentDate');
  return {
    issuers: stringSet(o.issuer, 'issuer'),
    audiences,
    anyAudience,
    singleAudience: boolOption(o.singleAudience, 'singleAudience'),
    subject,
    typs: stringSet(o.typ, 'typ', normalizeMediaType),
    tolerance: o.clockTolerance === undefined ? 0 : parseDuration(o.clockTolerance, 'clockTolerance', 0, ONE_DAY),
    maxTokenAge: durationOption(o.maxTokenAge, 'maxTokenAge', 0, MAX_DURATION),
    maxExpiresIn: durationOption(o.maxExpiresIn, 'maxExpiresIn', 1, MAX_DURATION),
    required: Object.freeze([...(required as string[])]),
    currentDate: o.currentDate as Date | undefined,
  };
}

/** "Now" in Unix seconds (fractional): `currentDate` (re-read and re-checked) or the system clock. @internal */
export function policyNow(policy: ClaimPolicy): number {
  return policy.currentDate === undefined ? Date.now() / 1000 : dateSeconds(policy.currentDate, 'currentDate');
}

function fail(claim: ClaimName, reason: ClaimReason, payload: Record<string, unknown>, message?: string): never {
  throw new JwtClaimError('ERR_JWT_CLAIM_VALIDATION_FAILED', claim, reason, payload, message);
}

function numericDate(payload: Record<string, unknown>, claim: string): number | undefined {
  const v = own(payload, claim);
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v))
    fail(claim, 'invalid', payload, `"${claim}" must be a finite number`);
  return v;
}

function checkAudience(payload: Record<string, unknown>, policy: ClaimPolicy): void {
  const aud = own(payload, 'aud');
  if (aud === undefined) {
    if (policy.audiences !== undefined) fail('aud', 'missing', payload);
    return;
  }
  // How many audiences the token names (a string names one, unless empty); no list is built for a string.
  let count: number;
  if (typeof aud === 'string') count = aud.length === 0 ? 0 : 1;
  else if (Array.isArray(aud)) {
    for (const a of aud) {
      if (typeof a !== 'string' || a.length === 0) fail('aud', 'invalid', payload, '"aud" must list non-empty strings');
    }
    count = aud.length;
  } else fail('aud', 'invalid', payload, '"aud" must be a string or an array of strings');
  if (policy.singleAudience && count > 1) fail('aud', 'invalid', payload, 'the token names several audiences');
  if (policy.audiences === undefined) {
    if (count > 0 && !policy.anyAudience) {
      fail('aud', 'mismatch', payload, 'the token names an audience but none is configured (set audience)');
    }
    return;
  }
  if (count === 0) fail('aud', 'missing', payload);
  if (typeof aud === 'string') {
    if (policy.audiences.has(aud)) return;
  } else for (const a of aud as string[]) if (policy.audiences.has(a)) return;
  fail('aud', 'mismatch', payload);
}

function checkString(
  payload: Record<string, unknown>,
  claim: string,
  accepted: ReadonlySet<string> | string | undefined,
) {
  const v = own(payload, claim);
  if (v === undefined) {
    if (accepted !== undefined) fail(claim, 'missing', payload);
    return;
  }
  if (typeof v !== 'string') fail(claim, 'invalid', payload, `"${claim}" must be a string`);
  if (accepted === undefined) return;
  if (typeof accepted === 'string' ? v !== accepted : !accepted.has(v)) fail(claim, 'mismatch', payload);
}

/**
 * The claim checks with compiled options, at `now` (Unix seconds). Does not look at `typ`. @internal
 */
export function checkClaims<T extends Record<string, unknown>>(payload: T, policy: ClaimPolicy, now: number): T {
  for (const name of policy.required) {
    const v = own(payload, name);
    if (v === undefined || v === null) fail(name, 'missing', payload);
  }
  const tol = policy.tolerance;
  const exp = numericDate(payload, 'exp');
  const nbf = numericDate(payload, 'nbf');
  const iat = numericDate(payload, 'iat');
  if (exp !== undefined) {
    if (exp <= now - tol) throw new JwtClaimError('ERR_JWT_EXPIRED', 'exp', 'expired', payload, 'the token expired');
    if (policy.maxExpiresIn !== undefined && exp - now > policy.maxExpiresIn + tol) {
      fail('exp', 'future', payload, '"exp" is further in the future than maxExpiresIn allows');
    }
  }
  if (nbf !== undefined && nbf > now + tol) fail('nbf', 'not_yet_valid', payload, 'the token is not yet valid');
  if (iat !== undefined && iat > now + tol) fail('iat', 'future', payload, '"iat" is in the future');
  if (policy.maxTokenAge !== undefined) {
    if (iat === undefined) fail('iat', 'missing', payload, 'maxTokenAge needs an "iat" claim');
    if (now - iat > policy.maxTokenAge + tol) fail('iat', 'too_old', payload, 'the token is older than maxTokenAge');
  }
  checkString(payload, 'iss', policy.issuers);
  checkAudience(payload, policy);
  checkString(payload, 'sub', policy.subject);
  checkString(payload, 'jti', undefined);
  return payload;
}

/**
 * Validate a JWT claims set: the same checks `verifyJwt` applies after the signature verified. Use it when you
 * verified the signature yourself (never on unverified claims). Returns the payload, or throws `ERR_JWT_EXPIRED` /
 * `ERR_JWT_CLAIM_VALIDATION_FAILED` as a `JwtClaimError` carrying `claim` and `reason`; bad options are
 * `ERR_INVALID_OPTION`, a payload that is not an object `ERR_JWT_INVALID`.
 *
 * @param now - "now" as a Date or Unix seconds; default `options.currentDate`, else the system clock.
 * @param protectedHeader - needed when `options.typ` is set.
 * @example
 * ```ts
 * import { validateClaims } from 'jotjs';
 * const claims = validateClaims(JSON.parse(text), { issuer: 'https://idp.example', audience: 'api' });
 * ```
 */
export function validateClaims<T extends object = JwtClaims>(
  payload: T,
  options?: ClaimValidationOptions,
  now?: Date | number,
  protectedHeader?: Readonly<Record<string, unknown>>,
): T & JwtClaims {
  try {
    const policy = compileClaimPolicy(readOptions(options, CLAIM_OPTION_NAMES, 'claim validation'));
    if (!isObject(payload)) throw err('ERR_JWT_INVALID', 'the claims set must be an object');
    let t: number;
    if (now === undefined) t = policyNow(policy);
    else if (typeof now === 'number') {
      if (!Number.isFinite(now)) throw err('ERR_INVALID_OPTION', 'now must be finite Unix seconds');
      t = now;
    } else t = dateSeconds(now, 'now');
    if (protectedHeader !== undefined && !isObject(protectedHeader)) {
      throw err('ERR_INVALID_OPTION', 'protectedHeader must be an object');
    }
    const reason = typReason(protectedHeader, policy.typs);
    if (reason !== undefined) fail('typ', reason, payload);
    return checkClaims(payload as T & JwtClaims, policy, t);
  } catch (e) {
    throw callerError(e);
  }
}
