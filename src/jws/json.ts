import { backend } from '../crypto/backend.js';
import { b64uDecode, b64uEncode } from '../encoding/base64url.js';
import { isObject, own, parseJsonObject } from '../encoding/json.js';
import { concat, toBytes, utf8Decode, utf8Encode } from '../encoding/utf8.js';
import { err, JotError } from '../errors.js';
import type { Key } from '../key/key.js';
import { resolveCandidates } from '../keyset/candidates.js';
import { readOptions } from '../options.js';
import { prepareSign } from './compact.js';
import { checkCrit, checkUnprotected, type JoseHeader, parseProtectedHeader } from './header.js';
import {
  checkVerifyKey,
  compileJwsPolicy,
  JWS_VERIFY_OPTIONS,
  type JwsVerifyOptions,
  type KeyResolver,
  selectAlgorithm,
  signatureShapeOk,
} from './policy.js';

export interface JwsSignature {
  protected?: string;
  header?: Record<string, unknown>;
  signature: string;
}
/** RFC 7515 section 7.2.1. */
export interface GeneralJWS {
  payload?: string;
  signatures: JwsSignature[];
}
/** RFC 7515 section 7.2.2. */
export interface FlattenedJWS extends JwsSignature {
  payload?: string;
}

export interface JsonVerifyResult {
  payload: Uint8Array;
  protectedHeader: JoseHeader;
  unprotectedHeader: Record<string, unknown> | undefined;
  key: Key;
}

export interface JsonSigner {
  protectedHeader?: JoseHeader;
  unprotectedHeader?: Record<string, unknown>;
  key: Key;
}

const GENERAL_MEMBERS = new Set(['payload', 'signatures']);
const FLAT_MEMBERS = new Set(['payload', 'protected', 'header', 'signature']);
const SIG_MEMBERS = new Set(['protected', 'header', 'signature']);
const VERIFY_OPTION_NAMES: ReadonlySet<string> = new Set(JWS_VERIFY_OPTIONS);

function onlyMembers(o: object, allowed: ReadonlySet<string>): void {
  for (const k of Object.keys(o)) if (!allowed.has(k)) throw err('ERR_JWS_INVALID', 'unexpected JWS member');
}

/**
 * Verify a JWS in the general or flattened JSON serialization. Verification succeeds when one signature
 * made with an allowed algorithm and an acceptable key verifies; the result carries *that* signature's
 * headers, never another entry's. The alg and all protected-only parameters must be integrity protected.
 */
export async function verifyJson(
  jws: GeneralJWS | FlattenedJWS | string,
  keyOrResolver: Key | KeyResolver,
  options?: JwsVerifyOptions,
): Promise<JsonVerifyResult> {
  const policy = compileJwsPolicy(readOptions(options, VERIFY_OPTION_NAMES, 'verify'), keyOrResolver);
  let doc: unknown = jws;
  if (typeof jws === 'string') {
    if (jws.length > policy.maxTokenLength) throw err('ERR_LIMIT_EXCEEDED', 'the JWS is too long');
    doc = parseJsonObject(jws, 'ERR_JWS_INVALID', 'JWS');
  }
  if (!isObject(doc)) throw err('ERR_JWS_INVALID', 'a JSON JWS must be an object');
  let entries: unknown[];
  if (Object.hasOwn(doc, 'signatures')) {
    onlyMembers(doc, GENERAL_MEMBERS);
    const sigs = own(doc, 'signatures');
    if (!Array.isArray(sigs) || sigs.length === 0)
      throw err('ERR_JWS_INVALID', '"signatures" must be a non-empty array');
    if (sigs.length > policy.maxSignatures) throw err('ERR_LIMIT_EXCEEDED', 'too many signatures');
    entries = sigs;
  } else {
    onlyMembers(doc, FLAT_MEMBERS);
    entries = [doc];
  }
  const payloadMember = own(doc, 'payload');
  if (payloadMember === undefined) {
    if (policy.detached === undefined) throw err('ERR_JWS_INVALID', 'the JWS has no payload');
  } else if (typeof payloadMember !== 'string') throw err('ERR_JWS_INVALID', '"payload" must be a string');
  else if (policy.detached !== undefined) throw err('ERR_JWS_INVALID', 'payload given twice');

  // Parse every entry first: a malformed entry fails the whole JWS.
  let total = typeof payloadMember === 'string' ? payloadMember.length : 0;
  const parsed = entries.map((e) => {
    if (!isObject(e)) throw err('ERR_JWS_INVALID', 'a signature entry must be an object');
    if (entries.length > 1 || e !== doc) onlyMembers(e, SIG_MEMBERS);
    const p = own(e, 'protected');
    const s = own(e, 'signature');
    if (typeof p !== 'string' || p.length === 0)
      throw err('ERR_JWS_INVALID', 'each signature needs a protected header');
    if (typeof s !== 'string') throw err('ERR_JWS_INVALID', '"signature" must be a string');
    total += p.length + s.length;
    if (total > policy.maxTokenLength) throw err('ERR_LIMIT_EXCEEDED', 'the JWS is too long');
    const header = parseProtectedHeader(p);
    const unprotected = checkUnprotected(own(e, 'header'), header, 'ERR_JWS_INVALID');
    const b64 = checkCrit(header, policy.understood, policy.b64Allowed);
    return { p, header, unprotected, b64, signature: b64uDecode(s, 'ERR_JWS_INVALID', 'signature') };
  });
  const b64 = parsed[0]!.b64;
  if (parsed.some((x) => x.b64 !== b64)) throw err('ERR_JWS_INVALID', 'mixed payload encodings');
  let payload: Uint8Array;
  let payloadPart: string | Uint8Array;
  if (policy.detached !== undefined) {
    payload = policy.detached;
    payloadPart = b64 ? b64uEncode(payload) : payload;
  } else if (b64) {
    payload = new Uint8Array(b64uDecode(payloadMember as string, 'ERR_JWS_INVALID', 'payload'));
    payloadPart = payloadMember as string;
  } else {
    payload = utf8Encode(payloadMember as string);
    payloadPart = payload;
  }

  let firstError: JotError | undefined;
  for (const x of parsed) {
    try {
      const alg = selectAlgorithm(x.header, policy);
      const joined = { ...x.unprotected, ...x.header } as JoseHeader;
      const input =
        typeof payloadPart === 'string' ? `${x.p}.${payloadPart}` : concat(utf8Encode(`${x.p}.`), payloadPart);
      for (const candidate of await resolveCandidates(keyOrResolver, joined, doc)) {
        const key = checkVerifyKey(candidate, alg, policy);
        if (signatureShapeOk(alg, key, x.signature) && (await backend().verify(alg, key, input, x.signature))) {
          return { payload, protectedHeader: x.header, unprotectedHeader: x.unprotected, key };
        }
      }
      throw err('ERR_JWS_SIGNATURE_VERIFICATION_FAILED', 'signature verification failed');
    } catch (e) {
      if (!(e instanceof JotError)) throw e;
      if (firstError === undefined || e.code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED') firstError = e;
    }
  }
  throw firstError ?? err('ERR_JWS_SIGNATURE_VERIFICATION_FAILED', 'signature verification failed');
}

/**
 * Sign `payload` for one or more signers in the JSON serialization (general, or flattened with
 * `options.flattened` and one signer).
 */
export async function signJson(
  payload: Uint8Array | string,
  signers: readonly JsonSigner[],
  options?: { flattened?: boolean; detached?: boolean },
): Promise<GeneralJWS | FlattenedJWS> {
  const o = readOptions(options, new Set(['flattened', 'detached']), 'sign');
  if (!Array.isArray(signers) || signers.length === 0)
    throw err('ERR_INVALID_OPTION', 'signers must be a non-empty array');
  if (o.flattened === true && signers.length !== 1) throw err('ERR_INVALID_OPTION', 'a flattened JWS has one signer');
  const bytes = toBytes(payload, 'ERR_JWS_INVALID');
  let mode: boolean | undefined;
  const out: JwsSignature[] = [];
  let payloadMember = '';
  for (const s of signers) {
    if (!isObject(s)) throw err('ERR_INVALID_OPTION', 'each signer must be an object');
    const header = (own(s, 'protectedHeader') ?? {}) as JoseHeader;
    const unprotected = own<Record<string, unknown>>(s, 'unprotectedHeader');
    checkUnprotected(unprotected, header, 'ERR_JWS_INVALID');
    const { alg, segment, b64 } = prepareSign(header, own(s, 'key') as Key);
    if (mode !== undefined && mode !== b64) throw err('ERR_JWS_INVALID', 'mixed payload encodings');
    mode = b64;
    // An unencoded payload member is the payload's text, so it must be valid UTF-8 (fatal decoding).
    if (b64) payloadMember = b64uEncode(bytes);
    else if (o.detached !== true) payloadMember = utf8Decode(bytes, 'ERR_JWS_INVALID', 'an unencoded payload');
    const input = b64 ? `${segment}.${payloadMember}` : concat(utf8Encode(`${segment}.`), bytes);
    const sig = await backend().sign(alg, own(s, 'key') as Key, input);
    const entry: JwsSignature = { protected: segment, signature: b64uEncode(sig) };
    if (unprotected !== undefined) entry.header = unprotected;
    out.push(entry);
  }
  const withPayload = o.detached === true ? {} : { payload: payloadMember };
  if (o.flattened === true) return { ...withPayload, ...out[0]! };
  return { ...withPayload, signatures: out };
}
