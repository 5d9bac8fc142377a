import { findJwsAlgorithm, type JwsAlgorithm } from '../alg/jws.js';
import { sig as backend } from '#crypto/sig';
import { b64uDecode, b64uEncode, b64uEncodeText } from '../encoding/base64url.js';
import { isObject, own, parseJsonObject } from '../encoding/json.js';
import { concatAll } from '../encoding/bytes.js';
import { toBytes, utf8Decode, utf8Encode } from '../encoding/utf8.js';
import { err } from '../errors.js';
import { type Key, keyHandle } from '../key/key.js';
import { assertJwsKey } from '../key/policy.js';
import { callerError, readOptions } from '../options.js';
import { resolveKeys } from './candidates.js';
import { checkCrit, type JoseHeader } from './header.js';
import {
  type JwsPolicy,
  type JwsVerifyOptions,
  type KeyResolver,
  readJwsVerify,
  secretOrKey,
  selectAlgorithm,
} from './policy.js';
import { protectedHeaderOf, readCompact } from './reader.js';
import { verifyWithFirst } from './signature.js';

/** Result of a successful compact verification. `key` is the key that verified. */
export interface CompactVerifyResult {
  /** The verified payload bytes. */
  payload: Uint8Array;
  /** The protected header. */
  protectedHeader: JoseHeader;
  /** The key that verified it (the one the resolver chose, with a key set). */
  key: Key;
}

/** A compact JWS split and checked up to (not including) key selection. */
interface ParsedCompact {
  header: JoseHeader;
  alg: JwsAlgorithm;
  /** The signing input: an ASCII string, or bytes for an unencoded (b64: false) payload. */
  signingInput: string | Uint8Array;
  signature: Uint8Array;
  payloadSegment: string;
  b64: boolean;
}

/**
 * Structure, encoding and algorithm policy of a compact JWS: the compact reader (length cap first, exactly two dots
 * counted before slicing), header rules, the allow-list, then strict base64url for the other segments.
 */
function parseCompact(token: unknown, policy: JwsPolicy): ParsedCompact {
  const { token: t, head: header, dot1: a, dot2: b } = readCompact(token, policy.maxTokenLength, protectedHeaderOf);
  const b64 = checkCrit(header, policy.understood, policy.b64Allowed);
  const alg = selectAlgorithm(header, policy);
  const payloadSegment = t.slice(a + 1, b);
  const signature = b64uDecode(t.slice(b + 1), 'ERR_JWS_INVALID', 'signature');
  let signingInput: string | Uint8Array;
  if (policy.detached !== undefined) {
    if (payloadSegment.length !== 0) throw err('ERR_JWS_INVALID', 'a detached JWS has an empty payload segment');
    signingInput = b64
      ? `${t.slice(0, a)}.${b64uEncode(policy.detached)}`
      : concatAll([utf8Encode(`${t.slice(0, a)}.`), policy.detached]);
  } else if (b64) {
    b64uDecode(payloadSegment, 'ERR_JWS_INVALID', 'payload');
    signingInput = t.slice(0, b);
  } else {
    signingInput = utf8Encode(t.slice(0, b));
  }
  return { header, alg, signingInput, signature, payloadSegment, b64 };
}

/** The verified payload bytes of a parsed compact JWS. */
function compactPayload(p: ParsedCompact, policy: JwsPolicy): Uint8Array {
  if (policy.detached !== undefined) return policy.detached;
  // A plain Uint8Array copy: never a view into node's shared Buffer pool.
  return p.b64
    ? new Uint8Array(b64uDecode(p.payloadSegment, 'ERR_JWS_INVALID', 'payload'))
    : utf8Encode(p.payloadSegment);
}

/**
 * Verify a compact JWS (RFC 7515 section 7.1).
 *
 * @example
 * ```ts
 * import { verifyCompact } from 'jotjs';
 * const { payload } = await verifyCompact(jws, key, { algorithms: ['ES256'] });
 * ```
 */
export async function verifyCompact(
  jws: string,
  keyOrResolver: Key | KeyResolver | Uint8Array,
  options?: JwsVerifyOptions,
): Promise<CompactVerifyResult> {
  try {
    const { keyOrResolver: kr, policy } = readJwsVerify(options, keyOrResolver);
    const p = parseCompact(jws, policy);
    // A key set may offer several candidates (a token without kid): each is tried, the one that verified is reported.
    const key = await verifyWithFirst(p.alg, await resolveKeys(kr, p.header, jws), policy, p.signingInput, p.signature);
    return { payload: compactPayload(p, policy), protectedHeader: p.header, key };
  } catch (e) {
    throw callerError(e);
  }
}

/** Options of {@link signCompact}. */
export interface CompactSignOptions {
  /** Leave the payload out of the token (RFC 7515 appendix F). */
  detached?: boolean;
}

/** Checks and encodes a header for signing; returns the algorithm and the encoded header. @internal */
export function prepareSign(header: unknown, key: Key): { alg: JwsAlgorithm; segment: string; b64: boolean } {
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    throw err('ERR_JWS_INVALID', 'the protected header must be an object');
  }
  let json: string | undefined;
  try {
    json = JSON.stringify(header);
  } catch (cause) {
    throw err('ERR_JWS_INVALID', 'the protected header cannot be serialized as JSON', cause);
  }
  // Every check reads the header as a verifier will, from its JSON text (so toJSON, undefined members, lone
  // surrogates or excessive depth cannot make the signed header differ from the checked one).
  const h: JoseHeader = parseJsonObject(json ?? '', 'ERR_JWS_INVALID', 'protected header');
  const name = own(h, 'alg');
  if (typeof name !== 'string') throw err('ERR_JWS_INVALID', '"alg" must be a string');
  if (name.toLowerCase() === 'none') throw err('ERR_JOSE_ALG_NOT_ALLOWED', 'use createUnsecuredJwt for "none"');
  const alg = findJwsAlgorithm(name);
  if (alg === undefined) throw err('ERR_JOSE_NOT_SUPPORTED', 'unsupported JWS algorithm');
  if (Object.hasOwn(h, 'enc')) throw err('ERR_JWS_INVALID', 'a JWS header has no "enc"');
  assertJwsKey(key, alg, 'sign');
  const critNames = own(h, 'crit');
  const b64 = checkCrit(h, new Set(Array.isArray(critNames) ? (critNames as string[]) : []), true);
  return { alg, segment: b64uEncodeText(json!), b64 };
}

/**
 * Sign `payload` as a compact JWS. The header must carry `alg`, which must fit the key.
 *
 * @example
 * ```ts
 * import { signCompact } from 'jotjs';
 * const jws = await signCompact('hello', { alg: 'ES256' }, privateKey);
 * ```
 */
export async function signCompact(
  payload: Uint8Array | string,
  protectedHeader: JoseHeader,
  key: Key | Uint8Array,
  options?: CompactSignOptions,
): Promise<string> {
  try {
    const o = readOptions(options, new Set(['detached']), 'sign');
    const bytes = toBytes(payload, 'ERR_JWS_INVALID');
    const k = secretOrKey(key, isObject(protectedHeader) ? own(protectedHeader, 'alg') : undefined) as Key;
    const { alg, segment, b64 } = prepareSign(protectedHeader, k);
    let payloadSegment = '';
    if (b64) payloadSegment = b64uEncode(bytes);
    else if (o.detached !== true) {
      // Inline unencoded payloads must be UTF-8 text without "." (RFC 7797 section 5.2); detached ones are any bytes.
      payloadSegment = utf8Decode(bytes, 'ERR_JWS_INVALID', 'an unencoded compact payload');
      if (payloadSegment.includes('.')) throw err('ERR_JWS_INVALID', 'an unencoded compact payload cannot hold "."');
    }
    const input = b64 ? `${segment}.${payloadSegment}` : concatAll([utf8Encode(`${segment}.`), bytes]);
    const signature = await backend.sign(alg, keyHandle(k), input);
    return `${segment}.${o.detached === true ? '' : payloadSegment}.${b64uEncode(signature)}`;
  } catch (e) {
    throw callerError(e);
  }
}
