import { bytesFromB64 } from '#crypto/bytes';
import { syncDigest } from '#crypto/sync-digest';
import { x509 } from '#crypto/x509';
import { type Certificate, DIGITAL_SIGNATURE, KEY_CERT_SIGN, parseCertificate, sameBytes } from '../crypto/cert.js';
import { findJwsAlgorithm } from '../alg/jws.js';
import { isObject, own } from '../encoding/json.js';
import { err, type JotError } from '../errors.js';
import type { JoseHeader } from '../jws/header.js';
import { importKeySync } from '../key/import.js';
import type { Key } from '../key/key.js';
import { algorithmsOption } from '../jws/policy.js';
import { callerError, callerRead, intOption, readOptions } from '../options.js';

/** A certificate object of the platform: node's `X509Certificate` (accepted on node only). */
export interface PlatformCertificate {
  /** The certificate's DER. */
  readonly raw: Uint8Array;
}

/** A trust anchor: a PEM or DER certificate, or (on node) an `X509Certificate`. */
export type TrustAnchor = string | Uint8Array | PlatformCertificate;

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

function parse(der: Uint8Array, what: string): Certificate {
  try {
    const c = parseCertificate(der);
    x509.accept(der);
    return c;
  } catch (e) {
    throw refuse(`${what} is not a certificate jot accepts: ${(e as Error).message}`, e);
  }
}

const PEM = /^\s*-----BEGIN CERTIFICATE-----\r?\n([A-Za-z0-9+/=\r\n]+)-----END CERTIFICATE-----\s*$/;

function anchorOf(a: TrustAnchor): Certificate {
  const der =
    typeof a === 'string'
      ? (() => {
          const m = a.length <= 200_000 ? PEM.exec(a) : null;
          const body = m?.[1]?.replace(/[\r\n]/g, '');
          return body !== undefined && B64.test(body) ? bytesFromB64(body) : undefined;
        })()
      : a instanceof Uint8Array
        ? a
        : x509.nativeDer(a);
  if (der === undefined) {
    if (typeof a === 'string') throw err('ERR_INVALID_OPTION', 'a trust anchor is not a certificate');
    throw err('ERR_INVALID_OPTION', 'trust anchors are PEM or DER certificates');
  }
  try {
    return parse(der, 'a trust anchor');
  } catch (e) {
    throw err('ERR_INVALID_OPTION', 'a trust anchor is not a certificate', e);
  }
}

function checkTime(c: Certificate, at: number): void {
  if (!(c.notBefore <= at && at <= c.notAfter)) throw refuse('a certificate of the chain is not valid at this time');
}

/**
 * An issuing certificate: a CA (basic constraints) that may sign certificates (key usage, when present), whose path
 * length constraint allows the `below` CA certificates under it.
 */
function checkIssuer(c: Certificate, below: number): void {
  if (!c.ca) throw refuse('a certificate that is not a CA issued another one');
  if (c.keyUsage !== undefined && (c.keyUsage & KEY_CERT_SIGN) === 0) {
    throw refuse('an issuing certificate may not sign certificates (key usage)');
  }
  if (c.pathLen !== undefined && below > c.pathLen) {
    throw refuse('the chain is longer than an issuer allows (path length constraint)');
  }
}

/** Could `issuer` have issued `child`: the names chain (DER bytes), the key identifiers agree when both exist. */
function names(child: Certificate, issuer: Certificate): boolean {
  if (!sameBytes(child.issuer, issuer.subject)) return false;
  const a = child.authorityKeyId;
  const s = issuer.subjectKeyId;
  return a === undefined || s === undefined || sameBytes(a, s);
}

/** One signature to check: is the first certificate signed by the second? */
type Step = readonly [Certificate, Certificate];

/** Run the chain checks, answering their signature questions with `#crypto/x509`: synchronous on node. */
function drive<T>(g: Generator<Step, T, boolean>): T | Promise<T> {
  let r = g.next(false);
  while (!r.done) {
    const answer = x509.signedBy(r.value[0], r.value[1]);
    if (answer instanceof Promise) {
      return (async () => {
        let a = await answer;
        for (;;) {
          r = g.next(a);
          if (r.done) return r.value;
          a = await x509.signedBy(r.value[0], r.value[1]);
        }
      })();
    }
    r = g.next(answer);
  }
  return r.value;
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
    return drive(verifyChain(callerList(x5c, 'x5c'), chainPolicy(o), o.alg)) as Key;
  } catch (e) {
    throw callerError(e);
  }
}

/** Chain options compiled once: anchors parsed, lists copied. */
interface ChainPolicy {
  readonly anchors: readonly Certificate[];
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

function* verifyChain(x5c: unknown, policy: ChainPolicy, alg: string): Generator<Step, Key, boolean> {
  const { anchors, purposes, max } = policy;
  const at = policy.at ?? Date.now();
  if (!Array.isArray(x5c) || x5c.length === 0) throw refuse('"x5c" must be a non-empty array');
  if (x5c.length > max) throw err('ERR_LIMIT_EXCEEDED', '"x5c" holds too many certificates');
  const chain = x5c.map((c, i) => {
    if (typeof c !== 'string' || c.length > 65_536 || !B64.test(c)) throw refuse('"x5c" entries are base64 DER');
    return parse(bytesFromB64(c), i === 0 ? 'the leaf' : 'an x5c entry');
  });

  const leaf = chain[0]!;
  if (leaf.ca) throw refuse('the leaf certificate is a CA');
  if (leaf.keyUsage !== undefined && (leaf.keyUsage & DIGITAL_SIGNATURE) === 0) {
    throw refuse('the leaf certificate may not sign (key usage)');
  }
  if (purposes !== undefined) {
    const eku = leaf.extKeyUsage;
    if (eku !== undefined && !eku.includes(ANY_EKU) && !purposes.some((p) => eku.includes(p))) {
      throw refuse('the leaf certificate is not meant for this purpose (extended key usage)');
    }
  }
  for (const c of chain) checkTime(c, at);
  for (let i = 0; i + 1 < chain.length; i++) {
    checkIssuer(chain[i + 1]!, i);
    if (!names(chain[i]!, chain[i + 1]!) || !(yield [chain[i]!, chain[i + 1]!])) {
      throw refuse('a certificate of the chain is not signed by the next');
    }
  }
  const last = chain[chain.length - 1]!;
  let trusted = false;
  for (const a of anchors) {
    if (sameBytes(a.der, last.der)) trusted = true;
    else if (names(last, a) && (yield [last, a])) {
      checkTime(a, at);
      checkIssuer(a, chain.length - 1);
      trusted = true;
    }
    if (trusted) break;
  }
  if (!trusted) throw refuse('the certificate chain does not lead to a trust anchor');
  try {
    return importKeySync(x509.publicKey(leaf) as Parameters<typeof importKeySync>[0], { alg });
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
  return x5cResolver(options) as (header: JoseHeader) => Key;
}

/** {@link createX5cResolver} on either implementation: the key, or (WebCrypto) a promise of it. */
export function x5cResolver(options: X5cResolverOptions): (header: JoseHeader) => Key | Promise<Key> {
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
    const t = own(header, 'x5t#S256');
    const thumbprint = (key: Key): Key => {
      if (t !== undefined && t !== syncDigest.sha256B64u(bytesFromB64((x5c as string[])[0]!))) {
        throw refuse('"x5t#S256" does not match the leaf certificate');
      }
      return key;
    };
    const key = drive(verifyChain(x5c, policy, alg));
    return key instanceof Promise ? key.then(thumbprint) : thumbprint(key);
  };
}
