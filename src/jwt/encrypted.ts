import { b64uDecode } from '../encoding/base64url.js';
import { isObject, parseJsonObjectUtf8 } from '../encoding/json.js';
import { utf8Decode } from '../encoding/utf8.js';
import { err, JwtClaimError } from '../errors.js';
import { loadDecrypt, loadEncrypt } from '../jwe/lazy.js';
import { compileReadJwePolicy, JWE_DECRYPT_OPTIONS } from '../jwe/policy.js';
import type { JweDecryptOptions, JweHeader } from '../jwe/types.js';
import type { KeyResolver } from '../jws/policy.js';
import { isKey, type Key, keyHandle } from '../key/key.js';
import { callerError, readOptions } from '../options.js';
import { CLAIM_OPTIONS, checkClaims, compileClaimPolicy, policyNow } from './claims.js';
import { isNestedJwt, keyHeader, refuseNestedJwt, typReason } from './header.js';
import { buildClaims, compileIssuePolicy, ISSUE_OPTIONS } from './issue.js';
import { signJwt } from './sign.js';
import type {
  ClaimValidationOptions,
  IssueClaimsOptions,
  JwtClaims,
  JwtClaimsInput,
  JwtVerifyResult,
  SignJwtOptions,
  VerifyJwtOptions,
} from './types.js';
import { verifyJwt } from './verify.js';

/** The JWE header of an encrypted JWT: `alg` (default: the key's bound algorithm), `enc`, `kid`, `typ`, more. */
export interface JwtEncryptionOptions {
  /** Key management algorithm; defaults to the key's bound algorithm. */
  alg?: string;
  /** Content encryption algorithm (required). */
  enc: string;
  /** `kid` header; defaults to the key's `kid`; `false` leaves it out. */
  kid?: string | false;
  /** `typ` header (default `'JWT'`); `false` leaves it out. */
  typ?: string | false;
  /** Further protected header parameters (`apu`/`apv`, `p2c`, ...). `alg`, `enc`, `zip` and `b64` are refused. */
  header?: Readonly<Record<string, unknown>>;
}

/** Options of {@link encryptJwt}: the JWE header and the claims the options add (as for `signJwt`). */
export interface EncryptJwtOptions extends JwtEncryptionOptions, IssueClaimsOptions {}

/**
 * Options of {@link decryptJwt}: the JWE decryption policy and the claim checks. The key management rule is
 * `decryptCompact`'s: `keyManagementAlgorithms` decides, or else the key's binding (a key bound by the caller is
 * the caller's explicit choice); PBES2 and RSA1_5 must always be listed. With public-key key management (RSA-OAEP,
 * ECDH-ES) anyone holding the public key can make a token, so decryption alone authenticates no one: to know who
 * issued a token, sign then encrypt ({@link signAndEncryptJwt} / {@link decryptAndVerifyJwt}).
 */
export interface DecryptJwtOptions extends JweDecryptOptions, ClaimValidationOptions {}

/** A decrypted and validated JWT. */
export interface DecryptJwtResult<T extends object = JwtClaims> {
  /** The decrypted and validated claims. */
  payload: T & JwtClaims;
  /** The JWE protected header. */
  protectedHeader: JweHeader;
  /** The key that decrypted. */
  key: Key;
}

/** Options of {@link signAndEncryptJwt}. */
export interface SignAndEncryptJwtOptions {
  /** Options of the inner `signJwt` (algorithm, claims, `typ`, ...). */
  sign?: SignJwtOptions;
  /** The outer JWE header; `cty: "JWT"` is set by jot. */
  encrypt: JwtEncryptionOptions;
}

/** Options of {@link decryptAndVerifyJwt}: each layer with its own policy. */
export interface DecryptAndVerifyJwtOptions {
  /** Policy of the outer JWE. */
  decrypt?: JweDecryptOptions;
  /** Every `verifyJwt` option for the inner JWS: algorithms, issuer, audience, revocation, ... */
  verify?: VerifyJwtOptions;
}

/** A nested JWT whose both layers passed. */
export interface NestedJwtResult<T extends object = JwtClaims> extends JwtVerifyResult<T> {
  /** The outer JWE's protected header. */
  encryptionHeader: JweHeader;
  /** The key that decrypted the outer layer (`key` is the one that verified the signature). */
  decryptionKey: Key;
}

const HEADER_OPTIONS = ['alg', 'enc', 'kid', 'typ', 'header'] as const;
const ENCRYPT_NAMES: ReadonlySet<string> = /* @__PURE__ */ (() => new Set([...HEADER_OPTIONS, ...ISSUE_OPTIONS]))();
const DECRYPT_NAMES: ReadonlySet<string> = /* @__PURE__ */ (() =>
  new Set([...JWE_DECRYPT_OPTIONS, ...CLAIM_OPTIONS]))();
const NESTED_ENCRYPT_NAMES: ReadonlySet<string> = /* @__PURE__ */ new Set(HEADER_OPTIONS);

/** Pick the named own members of read options. */
function pick(o: Record<string, unknown>, names: readonly string[]): Record<string, unknown> {
  // Null prototype, as readOptions' own result: an absent option never reads through Object.prototype.
  const out = Object.create(null) as Record<string, unknown>;
  for (const n of names) {
    const v = o[n];
    if (v !== undefined) out[n] = v;
  }
  return out;
}

/** The outer JWE header from the header options (`kid` defaults to the key's). */
function encryptionHeader(o: Record<string, unknown>, key: unknown, cty?: string): { header: JweHeader; key: Key } {
  if (!isKey(key)) keyHandle(key); // throws ERR_KEY_INVALID
  const k = key as Key;
  if (typeof o.enc !== 'string') throw err('ERR_INVALID_OPTION', 'enc must name a content encryption algorithm');
  const header = keyHeader(o, k) as JweHeader;
  header.enc = o.enc;
  if (cty !== undefined) {
    if (Object.hasOwn(header, 'cty')) throw err('ERR_INVALID_OPTION', 'a nested JWT sets "cty" itself');
    header.cty = cty;
  }
  return { header, key: k };
}

/**
 * Encrypt a claims set as a compact JWE (an encrypted JWT, RFC 7519 section 7.1). The claims options are those of
 * `signJwt`. Decryption alone authenticates the issuer only with shared-secret key management; otherwise prefer
 * {@link signAndEncryptJwt}.
 *
 * @example
 * ```ts
 * import { encryptJwt } from 'jotjs';
 * const token = await encryptJwt({ sub: 'user-1' }, kek, { alg: 'A256KW', enc: 'A256GCM', expiresIn: '15m' });
 * ```
 */
export async function encryptJwt<T extends object>(
  claims: JwtClaimsInput<T>,
  key: Key,
  options: EncryptJwtOptions,
): Promise<string> {
  try {
    const o = readOptions(options, ENCRYPT_NAMES, 'encryptJwt');
    const { header, key: k } = encryptionHeader(pick(o, HEADER_OPTIONS), key);
    const text = buildClaims(claims, compileIssuePolicy(pick(o, ISSUE_OPTIONS)));
    return await (await loadEncrypt()).encryptCompact(text, header, k);
  } catch (e) {
    throw callerError(e);
  }
}

/**
 * Decrypt an encrypted JWT (compact JWE only) and validate its claims: decryption (with its allow-lists) first,
 * then `typ` and the claims of the authentic plaintext. A nested JWT (`cty: "JWT"`) is `ERR_JWT_INVALID`: use
 * {@link decryptAndVerifyJwt}, which verifies the inner signature. Plaintext that is not a JSON object (a JWS
 * string, for one) is `ERR_JWT_INVALID`: it is never taken as verified.
 *
 * @example
 * ```ts
 * import { decryptJwt } from 'jotjs';
 * const { payload } = await decryptJwt(token, kek, { issuer: 'https://idp.example', audience: 'api' });
 * ```
 */
export async function decryptJwt<T extends object = JwtClaims>(
  token: string,
  keyOrResolver: Key | KeyResolver,
  options?: DecryptJwtOptions,
): Promise<DecryptJwtResult<T>> {
  try {
    const o = readOptions(options, DECRYPT_NAMES, 'decryptJwt');
    // `o` has a null prototype and each compiler reads only its own names: no copies picked out of it.
    const claims = compileClaimPolicy(o);
    const policy = compileReadJwePolicy(o, keyOrResolver);
    const { plaintext, protectedHeader, key } = await (await loadDecrypt()).decryptCompactWith(
      token,
      keyOrResolver,
      policy,
    );
    refuseNestedJwt(protectedHeader);
    const payload = parseJsonObjectUtf8(plaintext, 'ERR_JWT_INVALID', 'claims') as T & JwtClaims;
    const typ = typReason(protectedHeader, claims.typs);
    if (typ !== undefined) throw new JwtClaimError('ERR_JWT_CLAIM_VALIDATION_FAILED', 'typ', typ, payload);
    checkClaims(payload, claims, policyNow(claims));
    return { payload, protectedHeader, key };
  } catch (e) {
    throw callerError(e);
  }
}

/**
 * Sign a claims set with `signingKey` (`signJwt`), then encrypt the JWS to `encryptionKey` with `cty: "JWT"`
 * (a nested JWT, RFC 7519 section 5.2): confidential and authenticated by the signer.
 *
 * @example
 * ```ts
 * import { signAndEncryptJwt } from 'jotjs';
 * const token = await signAndEncryptJwt({ sub: 'user-1' }, signingKey, recipientPublicKey, {
 *   sign: { issuer: 'https://idp.example', audience: 'api', expiresIn: '5m' },
 *   encrypt: { alg: 'ECDH-ES+A256KW', enc: 'A256GCM' },
 * });
 * ```
 */
export async function signAndEncryptJwt<T extends object>(
  claims: JwtClaimsInput<T>,
  signingKey: Key,
  encryptionKey: Key,
  options: SignAndEncryptJwtOptions,
): Promise<string> {
  try {
    const o = readOptions(options, new Set(['sign', 'encrypt']), 'signAndEncryptJwt');
    const e = readOptions(o.encrypt, NESTED_ENCRYPT_NAMES, 'signAndEncryptJwt encrypt');
    const { header, key } = encryptionHeader(e, encryptionKey, 'JWT');
    const inner = await signJwt(claims, signingKey, o.sign as SignJwtOptions | undefined);
    return await (await loadEncrypt()).encryptCompact(inner, header, key);
  } catch (e) {
    throw callerError(e);
  }
}

/** One nesting level only: the inner token must be a compact JWS that is not itself nested. */
function assertInnerDepth(inner: string): void {
  let dots = 0;
  for (let i = 0; i < inner.length && dots < 3; i++) if (inner.charCodeAt(i) === 0x2e) dots++;
  if (dots > 2) throw err('ERR_LIMIT_EXCEEDED', 'nested JWTs deeper than one level are not processed');
  const end = inner.indexOf('.');
  if (end < 0) return; // verifyJwt reports the malformed token
  let header: Record<string, unknown>;
  try {
    header = parseJsonObjectUtf8(b64uDecode(inner.slice(0, end), 'ERR_JWT_INVALID'), 'ERR_JWT_INVALID');
  } catch {
    return; // verifyJwt reports it, with the JWS codes
  }
  if (isNestedJwt(header)) throw err('ERR_LIMIT_EXCEEDED', 'nested JWTs deeper than one level are not processed');
}

/**
 * Decrypt a nested JWT, then verify the inner JWS with its own key and the full `verifyJwt` options. The outer
 * header must say `cty: "JWT"`; the inner token must be signed (`none` is `ERR_JOSE_ALG_NOT_ALLOWED`) and not
 * nested again (`ERR_LIMIT_EXCEEDED`). Claims are returned only after both layers pass.
 *
 * @example
 * ```ts
 * import { decryptAndVerifyJwt } from 'jotjs';
 * const { payload } = await decryptAndVerifyJwt(token, myPrivateKey, issuerPublicKey, {
 *   verify: { algorithms: ['ES256'], issuer: 'https://idp.example', audience: 'api' },
 * });
 * ```
 */
export async function decryptAndVerifyJwt<T extends object = JwtClaims>(
  token: string,
  decryptionKey: Key | KeyResolver,
  verificationKey: Key | KeyResolver,
  options?: DecryptAndVerifyJwtOptions,
): Promise<NestedJwtResult<T>> {
  try {
    const o = readOptions(options, new Set(['decrypt', 'verify']), 'decryptAndVerifyJwt');
    if (o.verify !== undefined && !isObject(o.verify)) throw err('ERR_INVALID_OPTION', 'verify must be an object');
    const outer = await (await loadDecrypt()).decryptCompact(
      token,
      decryptionKey,
      o.decrypt as JweDecryptOptions | undefined,
    );
    if (!isNestedJwt(outer.protectedHeader)) {
      throw err('ERR_JWT_INVALID', 'a nested JWT has cty "JWT" in its protected header');
    }
    const inner = utf8Decode(outer.plaintext, 'ERR_JWT_INVALID', 'nested JWT');
    assertInnerDepth(inner);
    const verified = await verifyJwt<T>(inner, verificationKey, o.verify as VerifyJwtOptions | undefined);
    return { ...verified, encryptionHeader: outer.protectedHeader, decryptionKey: outer.key };
  } catch (e) {
    throw callerError(e);
  }
}
