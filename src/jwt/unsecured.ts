/**
 * Unsecured JWTs (RFC 7519 section 6, `alg: "none"`): no signature, so no authenticity whatsoever. They live in
 * this module alone; no other jot function creates or accepts `none`, in any spelling.
 */
import { b64uDecode, b64uEncodeText } from '../encoding/base64url.js';
import { own, parseJsonObjectUtf8 } from '../encoding/json.js';
import { err, JwtClaimError } from '../errors.js';
import { checkCrit, type JoseHeader } from '../jws/header.js';
import { DEFAULT_MAX_JWS_LENGTH } from '../jws/policy.js';
import { protectedHeaderOf, readCompact } from '../jws/reader.js';
import { callerError, intOption, readOptions } from '../options.js';
import { CLAIM_OPTIONS, checkClaims, compileClaimPolicy, policyNow } from './claims.js';
import { jwtHeader, refuseNestedJwt, refuseUnencodedPayload, typReason } from './header.js';
import { buildClaims, compileIssuePolicy, ISSUE_OPTIONS } from './issue.js';
import type { ClaimValidationOptions, IssueClaimsOptions, JwtClaims, JwtClaimsInput } from './types.js';

/** The only algorithm name this module accepts, compared exactly (RFC 7518 section 3.6). */
const NONE = 'none';

/** Options of {@link createUnsecuredJwt}. */
export interface CreateUnsecuredJwtOptions extends IssueClaimsOptions {
  /** `typ` header (default `'JWT'`); `false` leaves it out. */
  typ?: string | false;
  /** Further header parameters; `alg`, `enc`, `b64` and `zip` are refused. */
  header?: Readonly<Record<string, unknown>>;
}

/** Options of {@link verifyUnsecuredJwt}: the claim checks, and the token length cap (default 65536). */
export interface VerifyUnsecuredJwtOptions extends ClaimValidationOptions {
  /** Longest accepted token, in characters (default 65536). Checked before anything else. */
  maxTokenLength?: number;
}

/** Result of {@link verifyUnsecuredJwt}: claims that nobody vouches for. */
export interface UnsecuredJwtResult<T extends object = JwtClaims> {
  /** The claims, checked against the claim options but not authenticated by anything. */
  payload: T & JwtClaims;
  /** The header (`alg: "none"`). */
  protectedHeader: Readonly<JoseHeader>;
}

const CREATE_NAMES: ReadonlySet<string> = /* @__PURE__ */ (() => new Set(['typ', 'header', ...ISSUE_OPTIONS]))();
const VERIFY_NAMES: ReadonlySet<string> = /* @__PURE__ */ (() => new Set(['maxTokenLength', ...CLAIM_OPTIONS]))();

/**
 * Create an unsecured JWT: header `{"alg":"none"}`, the claims, and an empty signature. Anyone can forge one; use it
 * only where integrity comes from elsewhere (a test, a channel that is itself authenticated).
 *
 * @example
 * ```ts
 * import { createUnsecuredJwt } from 'jotjs';
 * const token = createUnsecuredJwt({ sub: 'test-user' }, { expiresIn: '5m' });
 * ```
 */
export function createUnsecuredJwt<T extends object>(
  claims: JwtClaimsInput<T>,
  options?: CreateUnsecuredJwtOptions,
): string {
  try {
    const o = readOptions(options, CREATE_NAMES, 'createUnsecuredJwt');
    const header = jwtHeader(o, NONE);
    const issue = compileIssuePolicy(o);
    return `${b64uEncodeText(JSON.stringify(header))}.${b64uEncodeText(buildClaims(claims, issue))}.`;
  } catch (e) {
    throw callerError(e);
  }
}

/**
 * Decode an unsecured JWT and validate its claims. Only the exact `alg: "none"` is accepted (anything else is
 * `ERR_JOSE_ALG_NOT_ALLOWED`: a signed token must go through `verifyJwt`), and the signature segment must be empty
 * (`ERR_JWT_INVALID`). The claim checks are those of `verifyJwt`. Nothing here is authenticated.
 *
 * @example
 * ```ts
 * import { verifyUnsecuredJwt } from 'jotjs';
 * const { payload } = verifyUnsecuredJwt(token, { issuer: 'test', audience: 'test-suite' });
 * ```
 */
export function verifyUnsecuredJwt<T extends object = JwtClaims>(
  token: string,
  options?: VerifyUnsecuredJwtOptions,
): UnsecuredJwtResult<T> {
  try {
    const o = readOptions(options, VERIFY_NAMES, 'verifyUnsecuredJwt');
    const max = intOption(o.maxTokenLength, 'maxTokenLength', DEFAULT_MAX_JWS_LENGTH, 16, 16 * 1024 * 1024);
    delete o.maxTokenLength;
    const policy = compileClaimPolicy(o);
    const { token: t, head: header, dot1: a, dot2: b } = readCompact(token, max, protectedHeaderOf, 'ERR_JWT_INVALID');
    refuseUnencodedPayload(header);
    checkCrit(header, new Set(), false);
    if (Object.hasOwn(header, 'enc')) throw err('ERR_JWS_INVALID', 'a JWS header has no "enc": this is a JWE');
    if (own(header, 'alg') !== NONE) {
      throw err('ERR_JOSE_ALG_NOT_ALLOWED', 'verifyUnsecuredJwt accepts only alg "none"');
    }
    refuseNestedJwt(header);
    if (b !== t.length - 1) throw err('ERR_JWT_INVALID', 'an unsecured JWT has an empty signature segment');
    const bytes = b64uDecode(t.slice(a + 1, b), 'ERR_JWS_INVALID', 'payload');
    const payload = parseJsonObjectUtf8(bytes, 'ERR_JWT_INVALID', 'claims') as T & JwtClaims;
    const typ = typReason(header, policy.typs);
    if (typ !== undefined) throw new JwtClaimError('ERR_JWT_CLAIM_VALIDATION_FAILED', 'typ', typ, payload);
    checkClaims(payload, policy, policyNow(policy));
    return { payload, protectedHeader: Object.freeze(header) };
  } catch (e) {
    throw callerError(e);
  }
}
