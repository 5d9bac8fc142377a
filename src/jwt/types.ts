import type { JoseHeader } from '../jws/header.js';
import type { KeyResolver } from '../jws/policy.js';
import type { Key } from '../key/key.js';
import type { Duration } from './duration.js';

/** The registered claims of RFC 7519 section 4.1, with the JSON types jot enforces on both sides. */
export interface RegisteredClaims {
  /** Issuer: a string. */
  iss?: string;
  /** Subject: a string. */
  sub?: string;
  /** Audience: a string, or an array of non-empty strings. */
  aud?: string | string[];
  /** Expiration time: a NumericDate (Unix seconds, finite; fractions allowed). */
  exp?: number;
  /** Not before: a NumericDate. */
  nbf?: number;
  /** Issued at: a NumericDate. */
  iat?: number;
  /** JWT ID: a string. */
  jti?: string;
}

/** A verified claims set: the registered claims plus any others, as parsed from JSON. */
export interface JwtClaims extends RegisteredClaims {
  /** Private and public claims: any JSON value. */
  [claim: string]: unknown;
}

/**
 * What a `revocation` option needs: a `RevocationList` from `jotjs/revocation` fits, and so does any object with
 * these methods. Both receive the verified claims and the token's protected header (a list refuses a revoked
 * `kid` from it); either may throw `ERR_REVOCATION_STORE_UNAVAILABLE`.
 */
export interface RevocationChecker {
  /** Is the token with these verified claims (and this protected header, for a revoked `kid`) revoked? */
  isRevoked(claims: Readonly<Record<string, unknown>>, header?: Readonly<Record<string, unknown>>): Promise<boolean>;
  /** Needed by `verifySync`; without it (or with `sync: false`) `verifySync` throws `ERR_JOSE_NOT_SUPPORTED`. */
  isRevokedSync?(claims: Readonly<Record<string, unknown>>, header?: Readonly<Record<string, unknown>>): boolean;
  /** `false` says that `isRevokedSync` cannot be used (a store without a synchronous lookup). */
  readonly sync?: boolean;
}

/** Claim checks, shared by {@link VerifyJwtOptions}, `validateClaims` and `verifyUnsecuredJwt`. */
export interface ClaimValidationOptions {
  /** Accepted issuers (`iss`, exact match). Guards against tokens from another issuer sharing the key (A46, A47). */
  issuer?: string | readonly string[];
  /**
   * Accepted audiences: the token's `aud` must name at least one (exact, case-sensitive). Guards against a token
   * minted for another service being replayed here (A45, A49).
   */
  audience?: string | readonly string[];
  /**
   * Without `audience`, a token that names an audience is rejected (`aud`, `mismatch`): it was meant for someone
   * else (A49). Set `true` to accept any audience when none is configured.
   */
  allowAnyAudience?: boolean;
  /** The token must name exactly one audience (RFC 7523 client assertions; A49 case c). */
  singleAudience?: boolean;
  /** Required subject (`sub`, exact match). */
  subject?: string;
  /**
   * Accepted `typ` header values, compared as media types: case-insensitive, `application/` prefix optional
   * (`at+jwt` equals `application/AT+JWT`). Guards against token-type confusion (A48): an ID token used as an
   * access token.
   */
  typ?: string | readonly string[];
  /**
   * Allowed clock skew, seconds or a duration string, from 0 to one day (default 0). Larger values let expired
   * tokens live on; non-finite or negative values are refused rather than coerced (A44).
   */
  clockTolerance?: Duration;
  /** Reject tokens whose `iat` is older than this; requires `iat`. Bounds the life of tokens without `exp`. */
  maxTokenAge?: Duration;
  /**
   * Reject tokens whose `exp` is further than this in the future (A43): catches millisecond timestamps and
   * tokens minted to never expire.
   */
  maxExpiresIn?: Duration;
  /** Claims that must be present (and not `null`). Use `['exp']` to refuse tokens that never expire. */
  requiredClaims?: readonly string[];
  /** Fixes "now" (for tests and replays). Must be a valid Date; it is read on every verification. */
  currentDate?: Date;
}

/** Options of `verifyJwt`: JWS verification policy plus claim checks. Unknown names are `ERR_INVALID_OPTION`. */
export interface VerifyJwtOptions extends ClaimValidationOptions {
  /**
   * Accepted algorithms, exact and case-sensitive. May be omitted only when the key is bound to one algorithm.
   * Guards against algorithm substitution (A01, A04); `none` is never accepted.
   */
  algorithms?: readonly string[];
  /** Critical header extensions the caller understands and checks itself. `b64` is refused: JWTs are base64url. */
  crit?: Readonly<Record<string, boolean>>;
  /** Longest accepted token, in characters (default 65536). Guards against memory and CPU exhaustion. */
  maxTokenLength?: number;
  /** Checked after every other check (and on every cache hit); a revoked token fails with `ERR_JWT_REVOKED`. */
  revocation?: RevocationChecker;
  /**
   * `true` requires `algorithms` (or a key bound to one algorithm), `issuer` and `audience` to be stated, and
   * tokens to carry `exp`. Use it for every verifier facing tokens from outside.
   */
  strict?: boolean;
}

/** Options of the opt-in verified-token cache. */
export interface VerifiedTokenCacheOptions {
  /** Most cached tokens (default 1000, at most 1,000,000); least recently used entries are evicted. */
  max?: number;
  /** Longest an entry lives (default 600 s, at most one day), and never beyond the token's `exp`. */
  ttl?: Duration;
}

/** Options of `createVerifier`: those of `verifyJwt`, the key, and an optional verified-token cache. */
export interface CreateVerifierOptions extends VerifyJwtOptions {
  /**
   * The key, or a resolver picking one from the (untrusted) header. A `Uint8Array` is an HMAC secret, accepted
   * only when `algorithms` lists HMAC algorithms and nothing else.
   */
  key: Key | KeyResolver | Uint8Array;
  /**
   * Cache successful verifications, keyed by the exact token string, per verifier. Claims times and revocation are
   * re-checked on every hit, and a key resolver is called again: a hit counts only while it answers the same key
   * (a key removed from a set ends its tokens' hits); failures are never cached. Tokens over 8192 characters are not cached.
   */
  cache?: VerifiedTokenCacheOptions;
}

/** A successful JWT verification. */
export interface JwtVerifyResult<T extends object = JwtClaims> {
  /** The verified claims. A fresh object on every call. */
  payload: T & JwtClaims;
  /** The protected header (frozen: it may be shared between results). */
  protectedHeader: Readonly<JoseHeader>;
  /** The key that verified the signature. */
  key: Key;
}

/**
 * A precompiled verifier as every runtime has it: `verify` only. It is what `createVerifier` returns on WebCrypto
 * runtimes (where the web entry calls it `JwtVerifier`), and what takes a verifier (the `verifier` option of
 * `jotjs/http`) accepts.
 */
export interface PortableJwtVerifier<T extends object = JwtClaims> {
  /** Verify a compact JWT under the compiled policy; same checks and errors as {@link verifyJwt}. */
  verify(token: string): Promise<JwtVerifyResult<T>>;
}

/** A precompiled verifier (node:crypto): {@link PortableJwtVerifier.verify}, and its synchronous form. */
export interface JwtVerifier<T extends object = JwtClaims> extends PortableJwtVerifier<T> {
  /** Synchronous: needs a `Key` (or a resolver that returns one synchronously) and a synchronous revocation check. */
  verifySync(token: string): JwtVerifyResult<T>;
}

/** Claims that signing options add (shared by `signJwt`, `createSigner`, `createUnsecuredJwt`). */
export interface IssueClaimsOptions {
  /**
   * Lifetime: `exp` = now + this (seconds or a duration string), or an absolute `Date`. A plain number is always
   * relative (never a timestamp), so `expiresIn: 3600` cannot mean 1970.
   */
  expiresIn?: Duration | Date;
  /** `nbf` = now + this (0 or more), or an absolute `Date`. */
  notBefore?: Duration | Date;
  /** `true` (default): `iat` = now, unless the claims carry `iat`; `false`: none; a `Date`: that time. */
  issuedAt?: boolean | Date;
  /** Sets `iss`, which verifiers should check (A46, A47). */
  issuer?: string;
  /** Sets `aud`: a string or a non-empty list. Name the intended recipient so others refuse the token (A49). */
  audience?: string | readonly string[];
  /** Sets `sub`. */
  subject?: string;
  /** Sets `jti`: a string, or `true` for a random 128-bit base64url value (needed to revoke one token). */
  jwtId?: string | true;
  /** Fixes "now" for `iat`, `exp` and `nbf` (tests). */
  currentDate?: Date;
}

/** Options of `signJwt`. A claim set both here and in the claims is `ERR_INVALID_OPTION` (no silent winner). */
export interface SignJwtOptions extends IssueClaimsOptions {
  /** The algorithm; defaults to the key's bound algorithm. Must fit the key (never `none`: no accidental unsigned tokens). */
  alg?: string;
  /** `kid` header; defaults to the key's `kid`; `false` leaves it out. */
  kid?: string | false;
  /** `typ` header (default `'JWT'`); `false` leaves it out. Use explicit types such as `'at+jwt'` (RFC 8725). */
  typ?: string | false;
  /**
   * Further protected header parameters. `alg`, `enc`, `b64` and `zip` are refused: they would make the token
   * something other than a base64url JWS signed with `alg` (A30, A36).
   */
  header?: Readonly<Record<string, unknown>>;
}

/** Options of `createSigner`: those of `signJwt` plus the key. */
export interface CreateSignerOptions extends SignJwtOptions {
  /** The signing key. A `Uint8Array` is an HMAC secret, accepted only with `alg` set to an HMAC algorithm. */
  key: Key | Uint8Array;
}

/**
 * A precompiled signer as every runtime has it: `sign` only. It is what `createSigner` and a key ring's `signer()`
 * return on WebCrypto runtimes (where the web entry calls it `JwtSigner`).
 */
export interface PortableJwtSigner {
  /** Sign `claims` (plus the claims the options add) as a compact JWT. */
  sign<T extends object>(claims: JwtClaimsInput<T>): Promise<string>;
}

/** A precompiled signer (node:crypto): `sign` and `signSync` do the same work. */
export interface JwtSigner extends PortableJwtSigner {
  /** Synchronous {@link PortableJwtSigner.sign}; throws `ERR_JOSE_NOT_SUPPORTED` on a backend without synchronous signing. */
  signSync<T extends object>(claims: JwtClaimsInput<T>): string;
}

/**
 * Claims accepted for signing: any plain object (an interface type works too); the registered claims it names must
 * have their JSON types (`exp: '123'` does not compile, and is `ERR_JWT_INVALID` at run time).
 */
export type JwtClaimsInput<T extends object = object> = T & {
  readonly [K in keyof T & keyof RegisteredClaims]?: RegisteredClaims[K] | undefined;
};
