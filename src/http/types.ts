import type { JotError } from '../errors.js';
import type { JoseHeader } from '../jws/header.js';
import type { Duration } from '../jwt/duration.js';
import type { CreateVerifierOptions, JwtClaims, PortableJwtVerifier } from '../jwt/types.js';
import type { ReplayStore } from '../revocation/replay.js';

/** Header values as node:http gives them (lower-case names), or a Fetch `Headers`. */
export type AuthHeaders = Headers | Readonly<Record<string, string | readonly string[] | undefined>>;

/**
 * What `authenticate` reads from a request: anything with a method, a URL and headers. Header names of a plain
 * object are lower case (as node:http gives them); a header given as an array is that many header lines.
 */
export interface AuthRequest {
  /** The HTTP method, as sent (`GET`). */
  method: string;
  /** The request target: a path with its query (`/orders?id=1`) or an absolute URL (Fetch requests). */
  url: string;
  /** The request headers: a node:http headers object or a Fetch `Headers`. */
  headers: AuthHeaders;
  /** `http` or `https`: rebuilds the absolute URL that a DPoP proof's `htu` must name when `url` is a path. */
  protocol?: string;
}

/** Where an access token may come from. `cookie:NAME` and `query` (RFC 6750 section 2.3) only when listed. */
export type TokenSource = 'header' | 'query' | `cookie:${string}`;

/** DPoP (RFC 9449) options: proofs of possession of a key the access token is bound to (`cnf.jkt`). */
export interface DpopOptions {
  /** `true`: refuse plain Bearer tokens. Default `false`: unbound tokens may come as Bearer (bound ones never). */
  required?: boolean;
  /** Accepted proof algorithms: asymmetric only (default: every asymmetric JWS algorithm jot supports). */
  algorithms?: readonly string[];
  /** Oldest accepted proof `iat`, seconds or a duration string (default 300, at most one hour). */
  maxAge?: Duration;
  /** Accepted clock skew for a proof `iat` in the future (default 5 s, at most 5 min). */
  clockTolerance?: Duration;
  /**
   * Where proof `jti`s are remembered until they are too old to be accepted anyway: a revocation store
   * (`memoryStore()`, `sqliteStore()`, `redisStore()`), shared by every instance behind one URL. Default: a private
   * in-memory store (one instance only).
   */
  replay?: ReplayStore;
  /**
   * Server nonces (RFC 9449 section 9): proofs must carry a recent `nonce` issued by this server (`DPoP-Nonce`).
   * `secret` (32 bytes or more) must be shared by every instance; default: random per process. `lifetime`:
   * seconds a nonce stays current (default 60; the previous one is still accepted).
   */
  nonce?: true | { secret?: Uint8Array; lifetime?: number };
  /**
   * This server's public origin (`https://api.example`): the `htu` a proof must name is this origin plus the
   * request path. Default: the request's own absolute URL, or `protocol` + `Host` header + path. Set it behind a
   * proxy, or whenever the `Host` header is not trustworthy.
   */
  origin?: string;
}

/**
 * Options of `authenticate`, `createAuthenticator` and every adapter: either `verifier` (a `createVerifier` result)
 * or the options `createVerifier` takes (`key` or a key resolver, `algorithms`, `issuer`, `audience`,
 * `revocation`, `cache`...), compiled once. `strict` defaults to `true` here: state algorithms (or a bound key),
 * issuer and audience, and tokens must carry `exp`.
 */
export interface AuthOptions extends Partial<CreateVerifierOptions> {
  /** A precompiled verifier; then no verifier option may be given. */
  verifier?: PortableJwtVerifier;
  /** Scopes every request must hold (all of them), from the `scope` string or the `scp` array claim. */
  scopes?: readonly string[];
  /** `realm` of every `WWW-Authenticate` challenge (no `"` or `\`). */
  realm?: string;
  /** Where the token may come from (default `['header']`); a request with two credentials is `invalid_request`. */
  tokenFrom?: TokenSource | readonly TokenSource[];
  /** RFC 9068 JWT access tokens: `typ` must be `at+jwt`, and `iss`, `exp`, `aud`, `sub`, `client_id`, `iat`, `jti` present. */
  profile?: 'rfc9068';
  /** Longest accepted Authorization, DPoP or cookie header value, in characters (default 16384). */
  maxHeaderLength?: number;
  /** Accept DPoP-bound tokens (RFC 9449). Off by default. */
  dpop?: boolean | DpopOptions;
}

/** Per-route options of the adapters. */
export interface RouteAuthOptions {
  /** Scopes this route requires, on top of those of the authenticator. */
  scopes?: readonly string[];
}

/** An authenticated request. */
export interface AuthInfo<T extends object = JwtClaims> {
  /** The verified claims of the access token. */
  claims: T & JwtClaims;
  /** The access token (never logged or echoed by jot). */
  token: string;
  /** How the token came: `Bearer` (RFC 6750) or `DPoP` (RFC 9449, proof checked). */
  scheme: 'Bearer' | 'DPoP';
  /** The access token's protected header. */
  protectedHeader: Readonly<JoseHeader>;
  /** DPoP only: the RFC 7638 thumbprint of the key that signed the proof (equal to the token's `cnf.jkt`). */
  jkt?: string;
}

/** Success: the request may proceed. `headers` are response headers to add (a fresh `DPoP-Nonce`). */
export interface AuthSuccess<T extends object = JwtClaims> extends AuthInfo<T> {
  /** Always `true` for a success. */
  ok: true;
  /** Response headers to add: a fresh `dpop-nonce` when DPoP nonces are on, else none. */
  headers: Readonly<Record<string, string>>;
}

/** The `error` of a failed authentication, as in the response body. */
export type AuthErrorCode =
  | 'unauthorized'
  | 'invalid_request'
  | 'invalid_token'
  | 'insufficient_scope'
  | 'invalid_dpop_proof'
  | 'use_dpop_nonce'
  | 'temporarily_unavailable';

/** Failure: answer with `status`, `headers` and `{ error, error_description: description }`. */
export interface AuthFailure {
  /** Always `false` for a failure. */
  ok: false;
  /** The HTTP status to answer: 400 (malformed request), 401, 403 (insufficient scope) or 503 (key set or store down). */
  status: 400 | 401 | 403 | 503;
  /** Response headers: the `WWW-Authenticate` challenge, `Cache-Control: no-store`, and a `DPoP-Nonce` when asked. */
  headers: Readonly<{ 'www-authenticate': string; 'dpop-nonce'?: string; 'cache-control': string }>;
  /** The OAuth error code of the body and the challenge. */
  error: AuthErrorCode;
  /** A fixed, generic sentence: never the token, never why a signature failed. */
  description: string;
  /** The underlying JotError, for server logs (its message never holds the token). */
  cause?: JotError;
}

/** What `authenticate` returns: test `ok`, then use the claims or answer the failure. */
export type AuthResult<T extends object = JwtClaims> = AuthSuccess<T> | AuthFailure;

/** A compiled authentication policy (see `createAuthenticator`). */
export interface Authenticator<T extends object = JwtClaims> {
  /** Authenticate one request; never throws for a bad request (the result says what to answer). */
  authenticate(request: AuthRequest): Promise<AuthResult<T>>;
  /** The same authenticator (same verifier, cache, replay store) requiring these scopes too. */
  withScopes(scopes: readonly string[]): Authenticator<T>;
  /** The `realm` of the challenges, when one was configured. */
  readonly realm: string | undefined;
}
