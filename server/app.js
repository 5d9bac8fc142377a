// The authorization server and protected API: every token operation goes through jot's public entry points.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createLocalJwkSet, createVerifier, isJotError, signJwt } from 'jotjs';
import { createDebuggerHandler } from 'jotjs/debugger';
import { createAuthenticator, createDpopProofChecker, failureBody } from 'jotjs/http';
import { createKeyRing, redisKeyRingStore, sqliteKeyRingStore } from 'jotjs/keyring';
import { createRevocationList, redisStore, sqliteStore } from 'jotjs/revocation';
import { ensureDataDir, loadUsers, ringSecret } from './data.js';
import { answerFormError, methodNotAllowed, oauthError, readForm, sendJson } from './http.js';
import { createAttemptLimiter } from './limits.js';
import { homePage } from './page.js';

const ALG = 'ES256';
export const ACCESS_TOKEN_LIFETIME = 300; // 5 minutes
export const SESSION_LIFETIME = 86_400; // a login's refresh tokens expire one day after it, rotated or not
const CLIENT_ID = 'demo-client';
const DEFAULT_SCOPE = 'profile';
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/; // RFC 6749 section 3.3
const DPOP_ALGS = ['ES256', 'ES384', 'ES512', 'EdDSA', 'PS256', 'RS256'];

const newId = () => randomBytes(16).toString('base64url');
const nowSeconds = () => Math.floor(Date.now() / 1000);
/** The revocation entry of a whole family (every token descended from one login). */
const familyEntry = (fam) => `fam.${fam}`;

/**
 * Creates the service. `issuer` is the public origin (also the audience of refresh tokens); the API's audience is
 * `${issuer}/api`. With `redisUrl`, revocations, DPoP replay ids, used refresh tokens and the key ring live in
 * Redis; otherwise in SQLite files under `dataDir`.
 */
export async function createService({
  dataDir,
  issuer,
  redisUrl,
  redisDurability,
  log = () => {},
  benchRoute = false,
}) {
  ensureDataDir(dataDir);
  const audience = `${issuer}/api`;
  const users = await loadUsers(dataDir);
  const store = redisUrl
    ? redisStore({ url: redisUrl }, redisDurability === undefined ? {} : { durability: redisDurability })
    : sqliteStore({ path: join(dataDir, 'revocation.db') });
  const list = createRevocationList({ store, subjectRetention: SESSION_LIFETIME + 3600 });
  const ring = createKeyRing({
    alg: ALG,
    encryptionKey: ringSecret(dataDir),
    store: redisUrl ? redisKeyRingStore({ url: redisUrl }) : sqliteKeyRingStore({ path: join(dataDir, 'keyring.db') }),
    retireAfter: '1d',
    onEvent: (e) => {
      if (e.type === 'error') log(`key ring: ${e.error.message}`);
    },
  });
  await Promise.all([list.ready(), ring.ready()]);

  // Verification keys: the ring's published set, rebuilt at most once a second (a new key is published well
  // before it signs, so the set is never behind a token).
  let keySet;
  let keySetAt = 0;
  const resolveKey = (header) => {
    const now = Date.now();
    if (keySet === undefined || now - keySetAt > 1000) {
      keySet = createLocalJwkSet(ring.jwks());
      keySetAt = now;
    }
    return keySet(header);
  };

  // Revocation as verifiers see it: the token's `jti`, its subject's cut-off, its signing key, and its family.
  const checker = {
    sync: list.sync,
    async isRevoked(claims, header) {
      if (await list.isRevoked(claims, header)) return true;
      return typeof claims.fam === 'string' && list.isRevoked({ jti: familyEntry(claims.fam) });
    },
    isRevokedSync(claims, header) {
      if (list.isRevokedSync(claims, header)) return true;
      return typeof claims.fam === 'string' && list.isRevokedSync({ jti: familyEntry(claims.fam) });
    },
  };
  const common = { key: resolveKey, algorithms: [ALG], issuer, revocation: checker, strict: true };
  const required = ['sub', 'jti', 'iat', 'exp', 'client_id', 'fam'];
  // Access and refresh tokens differ in `typ` and audience: neither is ever accepted as the other (E09).
  const accessVerifier = createVerifier({ ...common, audience, typ: 'at+jwt', requiredClaims: required });
  const refreshVerifier = createVerifier({ ...common, audience: issuer, typ: 'rt+jwt', requiredClaims: required });
  const auth = createAuthenticator({
    ...common,
    audience,
    typ: 'at+jwt',
    requiredClaims: required,
    profile: 'rfc9068',
    cache: { max: 10_000, ttl: 60 },
    realm: 'jot-demo',
    // Proofs name the public origin (the issuer), never whatever the Host header says.
    dpop: { replay: store, algorithms: DPOP_ALGS, origin: issuer },
  });
  const meAuth = auth.withScopes(['profile']);
  const introspectAuth = auth.withScopes(['introspect']);
  const dpop = createDpopProofChecker({ replay: store, algorithms: DPOP_ALGS, origin: issuer });
  const limiter = createAttemptLimiter();

  async function issueTokens({ sub, scope, fam, sessionExp, jkt, clientId }) {
    const iat = nowSeconds();
    const key = ring.signingKey();
    const cnf = jkt === undefined ? {} : { cnf: { jkt } };
    const base = { iss: issuer, sub, client_id: clientId, scope, fam, iat };
    const exp = Math.min(iat + ACCESS_TOKEN_LIFETIME, sessionExp);
    const access = await signJwt({ ...base, aud: audience, jti: newId(), exp, ...cnf }, key, {
      alg: ALG,
      typ: 'at+jwt',
    });
    const refresh = await signJwt({ ...base, aud: issuer, jti: newId(), exp: sessionExp, ...cnf }, key, {
      alg: ALG,
      typ: 'rt+jwt',
    });
    return {
      access_token: access,
      token_type: jkt === undefined ? 'Bearer' : 'DPoP',
      expires_in: exp - iat,
      refresh_token: refresh,
      scope,
    };
  }

  /** The requested scope, or the granted one when none is asked; undefined when it asks for more. */
  function grantScope(requested, allowed) {
    if (requested === undefined) return allowed.includes(DEFAULT_SCOPE) ? DEFAULT_SCOPE : allowed.join(' ');
    const asked = requested.split(' ');
    if (asked.some((s) => !SCOPE_TOKEN.test(s) || !allowed.includes(s))) return undefined;
    return [...new Set(asked)].join(' ');
  }

  /** Verifies with `verifier`; undefined for any token failure, throws when the revocation store is down. */
  async function verified(verifier, token) {
    try {
      return (await verifier.verify(token)).payload;
    } catch (e) {
      if (isJotError(e) && e.code === 'ERR_REVOCATION_STORE_UNAVAILABLE') throw e;
      return undefined;
    }
  }

  async function passwordGrant(req, res, form, proof) {
    const username = form.get('username');
    const password = form.get('password');
    if (username === undefined || password === undefined) {
      return oauthError(res, 400, 'invalid_request', 'username and password are required');
    }
    const address = req.socket.remoteAddress ?? '';
    const wait = limiter.blocked(username, address);
    if (wait > 0) {
      return oauthError(res, 429, 'invalid_request', 'Too many failed attempts: retry later', {
        'retry-after': String(wait),
      });
    }
    const user = await users.check(username, password);
    if (user === undefined) {
      limiter.failed(username, address);
      return oauthError(res, 400, 'invalid_grant', 'The username or password is wrong');
    }
    limiter.succeeded(username);
    const scope = grantScope(form.get('scope'), user.scope);
    if (scope === undefined) return oauthError(res, 400, 'invalid_scope', 'The requested scope is not allowed');
    const tokens = await issueTokens({
      sub: user.username,
      scope,
      fam: newId(),
      sessionExp: nowSeconds() + SESSION_LIFETIME,
      jkt: proof.jkt,
      clientId: form.get('client_id') ?? CLIENT_ID,
    });
    log(`token issued: password grant, sub=${user.username}, ${tokens.token_type}`);
    sendJson(res, 200, tokens, proof.headers);
  }

  async function refreshGrant(_req, res, form, proof) {
    const token = form.get('refresh_token');
    if (token === undefined) return oauthError(res, 400, 'invalid_request', 'refresh_token is required');
    const claims = await verified(refreshVerifier, token);
    if (claims === undefined) {
      return oauthError(res, 400, 'invalid_grant', 'The refresh token is invalid, expired or revoked');
    }
    if (claims.client_id !== (form.get('client_id') ?? claims.client_id)) {
      return oauthError(res, 400, 'invalid_grant', 'The refresh token was issued to another client');
    }
    // A bound refresh token is used with a proof of the same key (RFC 9449 section 5).
    const bound = typeof claims.cnf === 'object' && claims.cnf !== null ? claims.cnf.jkt : undefined;
    if (bound !== undefined && proof.jkt !== bound) {
      return oauthError(res, 400, 'invalid_dpop_proof', 'The refresh token is bound to another key');
    }
    const granted = claims.scope.split(' ');
    const scope = form.has('scope') ? grantScope(form.get('scope'), granted) : claims.scope;
    if (scope === undefined) return oauthError(res, 400, 'invalid_scope', 'The requested scope exceeds the grant');
    // One use only, atomically across every instance sharing the store: the second use of a refresh token means
    // it was stolen (or raced); the whole family is revoked, access tokens included (RFC 9700 section 4.14).
    const first = await store.insertIfAbsent(`rt.${claims.jti}`, claims.exp, nowSeconds());
    if (!first) {
      await list.revoke({ jti: familyEntry(claims.fam), exp: claims.exp });
      log(`refresh token reuse: family of sub=${claims.sub} revoked`);
      return oauthError(res, 400, 'invalid_grant', 'The refresh token was already used: its session is revoked');
    }
    const tokens = await issueTokens({
      sub: claims.sub,
      scope,
      fam: claims.fam,
      sessionExp: claims.exp,
      jkt: bound ?? proof.jkt,
      clientId: claims.client_id,
    });
    log(`token issued: refresh grant, sub=${claims.sub}`);
    sendJson(res, 200, tokens, proof.headers);
  }

  async function token(req, res) {
    const form = await readForm(req);
    const grant = form.get('grant_type');
    if (grant === undefined) return oauthError(res, 400, 'invalid_request', 'grant_type is required');
    const clientId = form.get('client_id');
    if (clientId !== undefined && clientId !== CLIENT_ID) {
      return oauthError(res, 401, 'invalid_client', 'Unknown client', { 'www-authenticate': 'Basic realm="jot-demo"' });
    }
    if (grant !== 'password' && grant !== 'refresh_token') {
      return oauthError(res, 400, 'unsupported_grant_type', 'Supported grants: password, refresh_token');
    }
    const proof = await dpop.check({ method: req.method, url: req.url, headers: req.headers, protocol: 'http' });
    if (!proof.ok) return oauthError(res, proof.status, proof.error, proof.description, proof.headers);
    if (grant === 'password') return passwordGrant(req, res, form, proof);
    return refreshGrant(req, res, form, proof);
  }

  /** RFC 7009: revoking needs the token itself; always 200 for a well-formed request, whatever the token. */
  async function revoke(req, res) {
    const form = await readForm(req);
    const token = form.get('token');
    if (token === undefined) return oauthError(res, 400, 'invalid_request', 'token is required');
    const access = await verified(accessVerifier, token);
    if (access !== undefined) {
      await list.revoke(access);
      log(`access token revoked: sub=${access.sub}`);
    } else {
      const refresh = await verified(refreshVerifier, token);
      if (refresh !== undefined) {
        // A refresh token stands for its whole login: its family goes, access tokens included.
        await list.revoke({ jti: familyEntry(refresh.fam), exp: refresh.exp });
        log(`refresh token revoked with its family: sub=${refresh.sub}`);
      }
    }
    res.writeHead(200, { 'cache-control': 'no-store', 'content-length': 0 });
    res.end();
  }

  /** RFC 7662, for callers holding an access token with the `introspect` scope (E11). */
  async function introspect(req, res, caller) {
    void caller;
    const form = await readForm(req);
    const token = form.get('token');
    if (token === undefined) return oauthError(res, 400, 'invalid_request', 'token is required');
    let claims = await verified(accessVerifier, token);
    let use = 'access_token';
    if (claims === undefined) {
      claims = await verified(refreshVerifier, token);
      use = 'refresh_token';
    }
    if (claims === undefined) return sendJson(res, 200, { active: false });
    // token_type as in RFC 6749 section 5.1 (how the token is presented); token_use tells which kind it is.
    const tokenType = claims.cnf?.jkt === undefined ? 'Bearer' : 'DPoP';
    sendJson(res, 200, { active: true, ...claims, username: claims.sub, token_type: tokenType, token_use: use });
  }

  async function logoutAll(_req, res, caller) {
    await list.revokeSubject(caller.claims.sub);
    log(`logout everywhere: sub=${caller.claims.sub}`);
    sendJson(res, 200, { sub: caller.claims.sub, revoked: 'every token issued before now' });
  }

  function me(_req, res, caller) {
    sendJson(res, 200, caller.claims);
  }

  const metadata = {
    issuer,
    token_endpoint: `${issuer}/token`,
    revocation_endpoint: `${issuer}/revoke`,
    introspection_endpoint: `${issuer}/introspect`,
    jwks_uri: `${issuer}/.well-known/jwks.json`,
    scopes_supported: ['profile', 'introspect'],
    response_types_supported: [],
    grant_types_supported: ['password', 'refresh_token'],
    token_endpoint_auth_methods_supported: ['none'],
    revocation_endpoint_auth_methods_supported: ['none'],
    introspection_endpoint_auth_methods_supported: ['bearer', 'dpop'],
    dpop_signing_alg_values_supported: DPOP_ALGS,
    service_documentation: `${issuer}/`,
  };
  const jwks = ring.handler();

  /** Runs `handler` for requests `authenticator` accepts; answers the others with its failure. */
  async function authenticated(authenticator, req, res, handler) {
    const r = await authenticator.authenticate({
      method: req.method,
      url: req.url,
      headers: req.headers,
      protocol: 'http',
    });
    if (!r.ok) {
      const body = failureBody(r);
      res.writeHead(r.status, {
        ...r.headers,
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(body),
      });
      return res.end(body);
    }
    for (const [name, value] of Object.entries(r.headers)) res.setHeader(name, value);
    return handler(req, res, r);
  }

  const routes = {
    '/service': { GET: (_req, res) => homePage(res, issuer) },
    '/.well-known/oauth-authorization-server': {
      GET: (_req, res) => sendJson(res, 200, metadata, { 'cache-control': 'public, max-age=3600' }),
    },
    '/.well-known/jwks.json': { GET: jwks, HEAD: jwks },
    '/token': { POST: token },
    '/revoke': { POST: revoke },
    '/introspect': { POST: (req, res) => authenticated(introspectAuth, req, res, introspect) },
    '/logout-all': { POST: (req, res) => authenticated(auth, req, res, logoutAll) },
    '/me': { GET: (req, res) => authenticated(meAuth, req, res, me) },
  };
  if (benchRoute) {
    // For `npm run load` only: /me's answer without authentication, the baseline of the comparison.
    const claims = { iss: issuer, sub: 'demo', aud: audience, scope: 'profile', client_id: CLIENT_ID };
    routes['/bench/no-auth'] = { GET: (_req, res) => sendJson(res, 200, claims) };
  }

  // GET / is the offline token debugger (the page of `jot serve`), with its two files and its JWKS fetcher.
  const debuggerPage = createDebuggerHandler();
  const DEBUGGER_PATHS = new Set(['/', '/debugger.js', '/debugger.css', '/favicon.svg', '/debugger/jwks']);

  async function handle(req, res) {
    if (debuggerPage(req, res)) return;
    let path;
    try {
      path = new URL(req.url ?? '/', 'http://localhost').pathname;
    } catch {
      return oauthError(res, 400, 'invalid_request', 'The request target is malformed');
    }
    const route = Object.hasOwn(routes, path) ? routes[path] : undefined;
    if (route === undefined) return sendJson(res, 404, { error: 'not_found' });
    const handler = Object.hasOwn(route, req.method) ? route[req.method] : undefined;
    if (handler === undefined) return methodNotAllowed(res, Object.keys(route).join(', '));
    try {
      await handler(req, res);
    } catch (e) {
      try {
        answerFormError(res, e);
        return;
      } catch {}
      if (res.headersSent) {
        res.destroy();
      } else if (isJotError(e) && e.code === 'ERR_REVOCATION_STORE_UNAVAILABLE') {
        oauthError(res, 503, 'temporarily_unavailable', 'The token store is unavailable', { 'retry-after': '5' });
      } else {
        // The error's code only: messages could echo input.
        log(`internal error on ${req.method} ${path}: ${isJotError(e) ? e.code : (e?.name ?? 'error')}`);
        oauthError(res, 500, 'server_error', 'Internal error');
      }
    }
  }

  return {
    handle,
    issuer,
    /** The route of a request path, for logs: unknown paths are not echoed (they could hold anything). */
    routeOf: (path) => (Object.hasOwn(routes, path) || DEBUGGER_PATHS.has(path) ? path : '(unknown path)'),
    kid: () => ring.signingKey().kid,
    async close() {
      await Promise.allSettled([ring.close(), list.close()]);
    },
  };
}
