/**
 * `jotjs/http`: framework-neutral bearer (RFC 6750) and DPoP (RFC 9449) authentication, and the node:http wrapper.
 * Imports no web framework; `jotjs/express`, `jotjs/fastify` and `jotjs/hono` are thin adapters over it.
 */
export { authenticate, createAuthenticator } from './authenticate.js';
export { failureBody } from './challenge.js';
export { accessTokenHash } from './dpop.js';
export { createDpopProof, type DpopProofOptions, dpopThumbprint } from './dpop-proof.js';
export {
  createDpopProofChecker,
  type DpopProofAccepted,
  type DpopProofChecker,
  type DpopProofRefused,
} from './dpop-token.js';
export { withAuth } from './node.js';
export type {
  AuthErrorCode,
  AuthFailure,
  AuthHeaders,
  AuthInfo,
  AuthOptions,
  AuthRequest,
  AuthResult,
  AuthSuccess,
  Authenticator,
  DpopOptions,
  RouteAuthOptions,
  TokenSource,
} from './types.js';
