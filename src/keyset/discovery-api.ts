import type { DiscoveredIssuer, DiscoverIssuerOptions } from './discovery.js';

// The public discoverIssuer: it loads ./discovery.js (metadata fetching and checks) on its first call, so that
// importing jot to verify does not (issue 19: cold start); the work and every check are those of the loaded module.

let discovery: Promise<typeof import('./discovery.js')> | undefined;

/**
 * Read an issuer's metadata (OpenID Connect Discovery or RFC 8414) and return a remote key set for its
 * `jwks_uri`. The document's `issuer` must equal the one asked for, character for character (mix-up defence,
 * RFC 8414 section 3.3); a mismatch is `ERR_JWKS_INVALID`. The `jwks_uri` must be `https:` (unless `allowHttp`).
 * Network bounds and errors are those of `createRemoteJwkSet`.
 *
 * @example
 * ```ts
 * import { discoverIssuer, verifyJwt } from 'jotjs';
 * const idp = await discoverIssuer('https://idp.example', { algorithms: ['RS256', 'ES256'] });
 * await verifyJwt(token, idp.keys, { algorithms: idp.algorithms, issuer: idp.issuer, audience: 'api' });
 * ```
 */
export async function discoverIssuer(issuer: string, options: DiscoverIssuerOptions): Promise<DiscoveredIssuer> {
  return (await (discovery ??= import('./discovery.js'))).discoverIssuer(issuer, options);
}
