import { sig as backend } from '#crypto/sig';
import { b64uDecode, b64uEncode } from '../encoding/base64url.js';
import { isObject, own, parseJsonObject } from '../encoding/json.js';
import { concatAll } from '../encoding/bytes.js';
import { toBytes, utf8Decode, utf8Encode } from '../encoding/utf8.js';
import { err, JotError } from '../errors.js';
import { type Key, keyHandle } from '../key/key.js';
import { callerError, readOptions } from '../options.js';
import { resolveKeys } from './candidates.js';
import { prepareSign } from './compact.js';
import { verifyWithFirst } from './signature.js';
import { checkCrit, checkUnprotected, type JoseHeader, parseProtectedHeader } from './header.js';
import { type JwsVerifyOptions, type KeyResolver, readJwsVerify, secretOrKey, selectAlgorithm } from './policy.js';

/** One signature of a JSON-serialized JWS (RFC 7515 section 7.2.1). */
export interface JwsSignature {
  /** The protected header, as base64url of its JSON. */
  protected?: string;
  /** The unprotected header: not integrity protected, so `alg` and `crit` parameters are refused here. */
  header?: Record<string, unknown>;
  /** The signature, base64url. */
  signature: string;
}
/** A JWS in the general JSON serialization: one payload, one or more signatures (RFC 7515 section 7.2.1). */
export interface GeneralJWS {
  /** The payload, base64url (or as is with `b64: false`); absent when detached. */
  payload?: string;
  /** The signatures; verification succeeds when one of them verifies under the policy. */
  signatures: JwsSignature[];
}
/** A JWS in the flattened JSON serialization: one payload and one signature (RFC 7515 section 7.2.2). */
export interface FlattenedJWS extends JwsSignature {
  /** The payload, base64url (or as is with `b64: false`); absent when detached. */
  payload?: string;
}

/** What {@link verifyJson} returns: the payload and the headers of the signature that verified. */
export interface JsonVerifyResult {
  /** The verified payload bytes. */
  payload: Uint8Array;
  /** The protected header of the signature that verified. */
  protectedHeader: JoseHeader;
  /** The unprotected header of that signature, if any (not integrity protected). */
  unprotectedHeader: Record<string, unknown> | undefined;
  /** The key that verified it. */
  key: Key;
}

/** One signer of {@link signJson}: its key and headers. */
export interface JsonSigner {
  /** The protected header; `alg` is required here (or comes from a bound key). */
  protectedHeader?: JoseHeader;
  /** An unprotected header (not integrity protected: no `alg` or `crit` parameters). */
  unprotectedHeader?: Record<string, unknown>;
  /** The signing key; a `Uint8Array` is an HMAC secret, accepted when the protected header's `alg` is HMAC. */
  key: Key | Uint8Array;
}

const GENERAL_MEMBERS = new Set(['payload', 'signatures']);
const FLAT_MEMBERS = new Set(['payload', 'protected', 'header', 'signature']);
const SIG_MEMBERS = new Set(['protected', 'header', 'signature']);

function onlyMembers(o: object, allowed: ReadonlySet<string>): void {
  for (const k of Object.keys(o)) if (!allowed.has(k)) throw err('ERR_JWS_INVALID', 'unexpected JWS member');
}

/**
 * Verify a JWS in the general or flattened JSON serialization. Verification succeeds when one signature
 * made with an allowed algorithm and an acceptable key verifies; the result carries *that* signature's
 * headers, never another entry's. The alg and all protected-only parameters must be integrity protected.
 *
 * @example
 * ```ts
 * import { verifyJson } from 'jotjs';
 * const { payload, protectedHeader } = await verifyJson(jws, publicKey, { algorithms: ['ES256'] });
 * new TextDecoder().decode(payload);
 * ```
 */
export async function verifyJson(
  jws: GeneralJWS | FlattenedJWS | string,
  keyOrResolver: Key | KeyResolver | Uint8Array,
  options?: JwsVerifyOptions,
): Promise<JsonVerifyResult> {
  try {
    const { keyOrResolver: kr, policy } = readJwsVerify(options, keyOrResolver);
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
          typeof payloadPart === 'string' ? `${x.p}.${payloadPart}` : concatAll([utf8Encode(`${x.p}.`), payloadPart]);
        // A key set may offer several candidates (no kid): each is tried, the one that verified is reported.
        const key = await verifyWithFirst(alg, await resolveKeys(kr, joined, doc), policy, input, x.signature);
        return { payload, protectedHeader: x.header, unprotectedHeader: x.unprotected, key };
      } catch (e) {
        if (!(e instanceof JotError)) throw e;
        if (firstError === undefined || e.code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED') firstError = e;
      }
    }
    throw firstError ?? err('ERR_JWS_SIGNATURE_VERIFICATION_FAILED', 'signature verification failed');
  } catch (e) {
    throw callerError(e);
  }
}

/**
 * Sign `payload` for one or more signers in the JSON serialization (general, or flattened with
 * `options.flattened` and one signer).
 *
 * @example
 * ```ts
 * import { generateKeyPair, signJson } from 'jotjs';
 * const ec = await generateKeyPair('ES256', { kid: 'ec' });
 * const ed = await generateKeyPair('EdDSA', { kid: 'ed' });
 * const jws = await signJson('hello', [
 *   { protectedHeader: { alg: 'ES256', kid: 'ec' }, key: ec.privateKey },
 *   { protectedHeader: { alg: 'EdDSA', kid: 'ed' }, key: ed.privateKey },
 * ]); // { payload: 'aGVsbG8', signatures: [...] }
 * ```
 */
export async function signJson(
  payload: Uint8Array | string,
  signers: readonly JsonSigner[],
  options?: { flattened?: boolean; detached?: boolean },
): Promise<GeneralJWS | FlattenedJWS> {
  try {
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
      const key = secretOrKey(own(s, 'key'), isObject(header) ? own(header, 'alg') : undefined) as Key;
      const { alg, segment, b64 } = prepareSign(header, key);
      if (mode !== undefined && mode !== b64) throw err('ERR_JWS_INVALID', 'mixed payload encodings');
      mode = b64;
      // An unencoded payload member is the payload's text, so it must be valid UTF-8 (fatal decoding).
      if (b64) payloadMember = b64uEncode(bytes);
      else if (o.detached !== true) payloadMember = utf8Decode(bytes, 'ERR_JWS_INVALID', 'an unencoded payload');
      const input = b64 ? `${segment}.${payloadMember}` : concatAll([utf8Encode(`${segment}.`), bytes]);
      const sig = await backend.sign(alg, keyHandle(key), input);
      const entry: JwsSignature = { protected: segment, signature: b64uEncode(sig) };
      if (unprotected !== undefined) entry.header = unprotected;
      out.push(entry);
    }
    const withPayload = o.detached === true ? {} : { payload: payloadMember };
    if (o.flattened === true) return { ...withPayload, ...out[0]! };
    return { ...withPayload, signatures: out };
  } catch (e) {
    throw callerError(e);
  }
}
