import { createHash, X509Certificate } from 'node:crypto';
import { findJwsAlgorithm } from '../alg/jws.js';
import { isObject, own } from '../encoding/json.js';
import { err, type JotError } from '../errors.js';
import type { JoseHeader } from '../jws/header.js';
import { importKeySync } from '../key/import.js';
import type { Key } from '../key/key.js';
import { algorithmsOption } from '../jws/policy.js';
import { callerError, callerRead, intOption, readOptions } from '../options.js';
import { DIGITAL_SIGNATURE, KEY_CERT_SIGN, keyUsageBits } from './der.js';

/** A trust anchor: a PEM or DER certificate, or a node `X509Certificate`. */
export type TrustAnchor = string | Uint8Array | X509Certificate;

/** Options of {@link verifyCertificateChain}. */
export interface CertificateChainOptions {
  /** The certificates you trust (required, non-empty). A chain must end at one of them or be issued by one. */
  trustAnchors: readonly TrustAnchor[];
  /** The algorithm the leaf key is bound to (it must fit the key). */
  alg: string;
  /** Validity is checked at this instant (default now). */
  at?: Date;
  /** Extended key usage OIDs, one of which the leaf must list when it has the extension (e.g. `1.3.6.1.5.5.7.3.1`). */
  purpose?: string | readonly string[];
  /** Most certificates in `x5c` (default 5). */
  maxChainLength?: number;
}

const B64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const ANY_EKU = '2.5.29.37.0';

const refuse = (message: string, cause?: unknown): JotError => err('ERR_KEY_INVALID', message, cause);

function parse(der: Uint8Array, what: string): X509Certificate {
  try {
    return new X509Certificate(der);
  } catch (e) {
    throw refuse(`${what} is not a certificate`, e);
  }
}

function anchorOf(a: TrustAnchor): X509Certificate {
  if (a instanceof X509Certificate) return a;
  if (typeof a === 'string' || a instanceof Uint8Array) {
    try {
      return new X509Certificate(a);
    } catch (e) {
      throw err('ERR_INVALID_OPTION', 'a trust anchor is not a certificate', e);
    }
  }
  throw err('ERR_INVALID_OPTION', 'trust anchors are PEM or DER certificates');
}

function checkTime(c: X509Certificate, at: number): void {
  const from = Date.parse(c.validFrom);
  const to = Date.parse(c.validTo);
  if (!(from <= at && at <= to)) throw refuse('a certificate of the chain is not valid at this time');
}

/** An issuing certificate: a CA (basic constraints) that may sign certificates (key usage, when present). */
function checkIssuer(c: X509Certificate): void {
  if (!c.ca) throw refuse('a certificate that is not a CA issued another one');
  const ku = keyUsageBits(new Uint8Array(c.raw));
  if (ku === null || (ku !== undefined && (ku & KEY_CERT_SIGN) === 0)) {
    throw refuse('an issuing certificate may not sign certificates (key usage)');
  }
}

function signedBy(child: X509Certificate, issuer: X509Certificate): boolean {
  try {
    return child.checkIssued(issuer) && child.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

/**
 * Validate an `x5c` chain (RFC 7515 section 4.1.6: standard base64 DER, the leaf first, each certificate
 * certified by the next) against your trust anchors with node's `X509Certificate`: every signature, every
 * validity period at `at`, basic constraints (issuers are CAs, the leaf is not), key usage (issuers may sign
 * certificates; the leaf may sign), the leaf's extended key usage against `purpose`. The chain must end at an
 * anchor or be issued by one: a header's chain is never trusted by itself (A10). Returns the leaf's public key
 * bound to `alg`. Any failure is `ERR_KEY_INVALID`.
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * import { verifyCertificateChain } from 'jotjs';
 * const caPem = readFileSync('/etc/idp/ca.pem', 'utf8');
 * const x5c: unknown = JSON.parse(readFileSync('/etc/idp/chain.json', 'utf8')); // leaf first
 * const key = verifyCertificateChain(x5c, { trustAnchors: [caPem], alg: 'ES256' });
 * ```
 */
export function verifyCertificateChain(x5c: unknown, options: CertificateChainOptions): Key {
  try {
    const o = readOptions(options, new Set(['trustAnchors', 'alg', 'at', 'purpose', 'maxChainLength']), 'x5c');
    if (typeof o.alg !== 'string' || findJwsAlgorithm(o.alg) === undefined) {
      throw err('ERR_INVALID_OPTION', 'alg must be a JWS algorithm');
    }
    return verifyChain(callerList(x5c, 'x5c'), chainPolicy(o), o.alg);
  } catch (e) {
    throw callerError(e);
  }
}

/** Chain options compiled once: anchors parsed, lists copied. */
interface ChainPolicy {
  readonly anchors: readonly X509Certificate[];
  readonly at: number | undefined;
  readonly purposes: readonly string[] | undefined;
  readonly max: number;
}

/** A copy of a caller's array (read once), or the value itself when it is not an array. */
function callerList(v: unknown, what: string): unknown {
  return callerRead(() => (Array.isArray(v) ? [...(v as unknown[])] : v), what);
}

function chainPolicy(o: Record<string, unknown>): ChainPolicy {
  const list = callerList(o.trustAnchors, 'trustAnchors');
  if (!Array.isArray(list) || list.length === 0) {
    throw err('ERR_INVALID_OPTION', 'trustAnchors must be a non-empty array');
  }
  const anchors = (list as TrustAnchor[]).map(anchorOf);
  if (o.at !== undefined && !(o.at instanceof Date && Number.isFinite(o.at.getTime()))) {
    throw err('ERR_INVALID_OPTION', 'at must be a valid Date');
  }
  const purpose = callerList(o.purpose, 'purpose');
  const purposes = purpose === undefined ? undefined : [purpose].flat();
  if (purposes !== undefined && (purposes.length === 0 || !purposes.every((p) => typeof p === 'string'))) {
    throw err('ERR_INVALID_OPTION', 'purpose must be an OID string or a list of them');
  }
  return Object.freeze({
    anchors,
    at: (o.at as Date | undefined)?.getTime(),
    purposes: purposes as string[] | undefined,
    max: intOption(o.maxChainLength, 'maxChainLength', 5, 1, 10),
  });
}

function verifyChain(x5c: unknown, policy: ChainPolicy, alg: string): Key {
  const { anchors, purposes, max } = policy;
  const at = policy.at ?? Date.now();
  if (!Array.isArray(x5c) || x5c.length === 0) throw refuse('"x5c" must be a non-empty array');
  if (x5c.length > max) throw err('ERR_LIMIT_EXCEEDED', '"x5c" holds too many certificates');
  const chain = x5c.map((c, i) => {
    if (typeof c !== 'string' || c.length > 65_536 || !B64.test(c)) throw refuse('"x5c" entries are base64 DER');
    return parse(Buffer.from(c, 'base64'), i === 0 ? 'the leaf' : 'an x5c entry');
  });

  const leaf = chain[0]!;
  if (leaf.ca) throw refuse('the leaf certificate is a CA');
  const leafUsage = keyUsageBits(new Uint8Array(leaf.raw));
  if (leafUsage === null || (leafUsage !== undefined && (leafUsage & DIGITAL_SIGNATURE) === 0)) {
    throw refuse('the leaf certificate may not sign (key usage)');
  }
  if (purposes !== undefined) {
    const eku = leaf.keyUsage; // node: the extended key usage OIDs, undefined when absent
    if (eku !== undefined && !eku.includes(ANY_EKU) && !purposes.some((p) => eku.includes(p))) {
      throw refuse('the leaf certificate is not meant for this purpose (extended key usage)');
    }
  }
  for (const c of chain) checkTime(c, at);
  for (let i = 0; i + 1 < chain.length; i++) {
    checkIssuer(chain[i + 1]!);
    if (!signedBy(chain[i]!, chain[i + 1]!)) throw refuse('a certificate of the chain is not signed by the next');
  }
  const last = chain[chain.length - 1]!;
  const trusted = anchors.some((a) => {
    if (a.fingerprint256 === last.fingerprint256) return true;
    if (!signedBy(last, a)) return false;
    checkTime(a, at);
    checkIssuer(a);
    return true;
  });
  if (!trusted) throw refuse('the certificate chain does not lead to a trust anchor');
  try {
    return importKeySync(leaf.publicKey, { alg });
  } catch (e) {
    throw refuse("the leaf certificate's key does not fit the algorithm", e);
  }
}

/** Options of {@link createX5cResolver}. */
export interface X5cResolverOptions {
  /** The certificates you trust (PEM, DER or `X509Certificate`): a chain must end at or be issued by one. */
  trustAnchors: readonly TrustAnchor[];
  /** Algorithms whose tokens may name their key by `x5c` (required; the verifier's allow-list still applies). */
  algorithms: readonly string[];
  /** When the validity periods are checked (default now). */
  at?: Date;
  /** Extended key usage OIDs the leaf must allow (when it lists any). */
  purpose?: string | readonly string[];
  /** Most certificates in a chain (default 5, at most 10). */
  maxChainLength?: number;
}

/**
 * A key resolver for tokens carrying an `x5c` header: the chain is validated against your trust anchors (see
 * {@link verifyCertificateChain}) and the leaf key is bound to the header's `alg`, which must be in
 * `algorithms`. An `x5t#S256` header, when present, must be the leaf's SHA-256 thumbprint. No `x5c`:
 * `ERR_JWKS_NO_MATCHING_KEY`. Throws `ERR_INVALID_OPTION` for unusable options (the anchors are parsed here).
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * import { createX5cResolver, verifyJwt } from 'jotjs';
 * const keys = createX5cResolver({ trustAnchors: [readFileSync('/etc/idp/ca.pem', 'utf8')], algorithms: ['ES256'] });
 * const { payload } = await verifyJwt(token, keys, { algorithms: ['ES256'], issuer, audience });
 * ```
 */
export function createX5cResolver(options: X5cResolverOptions): (header: JoseHeader) => Key {
  let algorithms: ReadonlySet<string>;
  let policy: ChainPolicy;
  try {
    const o = readOptions(options, new Set(['trustAnchors', 'algorithms', 'at', 'purpose', 'maxChainLength']), 'x5c');
    const list = algorithmsOption(callerList(o.algorithms, 'algorithms'));
    if (list === undefined) throw err('ERR_INVALID_OPTION', 'algorithms must be a non-empty array');
    algorithms = list;
    policy = chainPolicy(o);
  } catch (e) {
    throw callerError(e);
  }
  return (header) => {
    if (!isObject(header)) throw err('ERR_JWS_INVALID', 'the header must be an object');
    const x5c = own(header, 'x5c');
    const alg = own(header, 'alg');
    if (x5c === undefined) throw err('ERR_JWKS_NO_MATCHING_KEY', 'the token carries no x5c chain');
    if (typeof alg !== 'string' || !algorithms.has(alg))
      throw err('ERR_JOSE_ALG_NOT_ALLOWED', 'the algorithm is not allowed');
    const key = verifyChain(x5c, policy, alg);
    const t = own(header, 'x5t#S256');
    if (t !== undefined) {
      const leaf = Buffer.from((x5c as string[])[0]!, 'base64');
      if (t !== createHash('sha256').update(leaf).digest('base64url')) {
        throw refuse('"x5t#S256" does not match the leaf certificate');
      }
    }
    return key;
  };
}
