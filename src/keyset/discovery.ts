import { findJwsAlgorithm } from '../alg/jws.js';
import { isObject, own, parseJsonObject } from '../encoding/json.js';
import { err } from '../errors.js';
import { algorithmsOption } from '../jws/policy.js';
import { callerError, callerRead, readOptions } from '../options.js';
import { checkUrl, fetchDocument } from './fetch.js';
import { createRemoteJwkSet, type RemoteJwkSet } from './remote.js';
import { fetchLimits, REMOTE_OPTIONS, type RemoteJwkSetOptions } from './remote-options.js';

/** Options of {@link discoverIssuer}. */
export interface DiscoverIssuerOptions {
  /**
   * The algorithms you accept (required). The issuer's advertised signing algorithms may narrow this list, never
   * widen it (E04): an issuer advertising `none` or HS256 changes nothing.
   */
  algorithms: readonly string[];
  /**
   * Which metadata document: `'openid'` (`/.well-known/openid-configuration`, OpenID Connect Discovery),
   * `'oauth'` (`/.well-known/oauth-authorization-server`, RFC 8414), or `'auto'` (default): OpenID first, RFC 8414
   * when that answers 404.
   */
  kind?: 'openid' | 'oauth' | 'auto';
  /** Options of the remote key set made for `jwks_uri` (also used for the metadata fetch: timeout, size, headers...). */
  jwks?: RemoteJwkSetOptions;
}

/** What discovery found, checked. */
export interface DiscoveredIssuer {
  /** The issuer, equal to the one asked for. */
  issuer: string;
  /** The `jwks_uri` of the metadata. */
  jwksUri: string;
  /** Your `algorithms`, narrowed to those the issuer advertises for signing (when it advertises any). */
  algorithms: string[];
  /** A remote key set for `jwks_uri`. */
  keys: RemoteJwkSet;
  /** The whole metadata document (frozen), for other endpoints. */
  metadata: Readonly<Record<string, unknown>>;
}

/** Advertised signing algorithms, by metadata member, in order of preference. */
const ADVERTISED = [
  'id_token_signing_alg_values_supported',
  'token_endpoint_auth_signing_alg_values_supported',
] as const;

/** The metadata URL for `issuer`: OpenID appends to the path, RFC 8414 inserts the well-known part before it. */
function metadataUrl(issuer: URL, kind: 'openid' | 'oauth'): URL {
  const path = issuer.pathname === '/' ? '' : issuer.pathname.replace(/\/$/, '');
  const u = new URL(issuer.origin);
  u.pathname =
    kind === 'openid' ? `${path}/.well-known/openid-configuration` : `/.well-known/oauth-authorization-server${path}`;
  return u;
}

/** The implementation of `discoverIssuer` (src/keyset/discovery-api.ts), loaded on its first call. @internal */
export async function discoverIssuer(issuer: string, options: DiscoverIssuerOptions): Promise<DiscoveredIssuer> {
  try {
    return await discover(issuer, options);
  } catch (e) {
    throw callerError(e);
  }
}

async function discover(issuer: unknown, options: unknown): Promise<DiscoveredIssuer> {
  const o = readOptions(options, new Set(['algorithms', 'kind', 'jwks']), 'discovery');
  const allowed = algorithmsOption(
    callerRead(() => (Array.isArray(o.algorithms) ? [...(o.algorithms as unknown[])] : o.algorithms), 'algorithms'),
  );
  if (allowed === undefined) throw err('ERR_INVALID_OPTION', 'discovery needs options.algorithms');
  const kind = o.kind ?? 'auto';
  if (kind !== 'openid' && kind !== 'oauth' && kind !== 'auto') {
    throw err('ERR_INVALID_OPTION', 'kind must be "openid", "oauth" or "auto"');
  }
  const jwksOptions = readOptions(o.jwks, new Set(REMOTE_OPTIONS), 'remote key set');
  const limits = fetchLimits(jwksOptions);
  if (typeof issuer !== 'string') throw err('ERR_INVALID_OPTION', 'the issuer must be a string');
  const base = checkUrl(issuer, limits.allowHttp, 'the issuer');
  if (base.search !== '' || base.hash !== '') throw err('ERR_INVALID_OPTION', 'an issuer has no query or fragment');

  const kinds: readonly ('openid' | 'oauth')[] = kind === 'auto' ? ['openid', 'oauth'] : [kind];
  let body: string | undefined;
  for (const k of kinds) {
    const r = await fetchDocument(metadataUrl(base, k), limits, undefined, kinds.length > 1 && k === 'openid');
    if (r.status === 'ok') {
      body = r.body;
      break;
    }
  }
  if (body === undefined) throw err('ERR_JWKS_FETCH_FAILED', `${base.origin} has no issuer metadata`);
  const metadata = parseJsonObject(body, 'ERR_JWKS_INVALID', 'issuer metadata');
  if (own(metadata, 'issuer') !== issuer) {
    throw err('ERR_JWKS_INVALID', 'the metadata names another issuer than the one asked for');
  }
  const jwksUri = own(metadata, 'jwks_uri');
  if (typeof jwksUri !== 'string') throw err('ERR_JWKS_INVALID', 'the metadata has no jwks_uri');
  let jwksUrl: URL;
  try {
    jwksUrl = checkUrl(jwksUri, limits.allowHttp, 'jwks_uri');
  } catch (e) {
    throw err('ERR_JWKS_INVALID', 'the metadata jwks_uri is not an acceptable URL', e);
  }

  let algorithms = [...allowed];
  for (const member of ADVERTISED) {
    const advertised = own(metadata, member);
    if (advertised === undefined) continue;
    if (!Array.isArray(advertised)) throw err('ERR_JWKS_INVALID', `the metadata ${member} is not an array`);
    const names = new Set(
      advertised.filter((a): a is string => typeof a === 'string' && findJwsAlgorithm(a) !== undefined),
    );
    algorithms = algorithms.filter((a) => names.has(a));
    break;
  }
  if (algorithms.length === 0) {
    throw err('ERR_JOSE_ALG_NOT_ALLOWED', 'the issuer advertises none of the accepted algorithms');
  }
  return {
    issuer,
    jwksUri,
    algorithms,
    keys: createRemoteJwkSet(jwksUrl, jwksOptions as RemoteJwkSetOptions),
    metadata: Object.freeze(isObject(metadata) ? metadata : {}),
  };
}
