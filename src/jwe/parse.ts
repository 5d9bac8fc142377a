import { latin1Bytes } from '#crypto/bytes';
import {
  type ContentEncryptionAlgorithm,
  findContentEncryptionAlgorithm,
  findKeyManagementAlgorithm,
  JWE_ZIP_DEFLATE,
  type KeyManagementAlgorithm,
} from '../alg/jwe.js';
import { b64uDecode } from '../encoding/base64url.js';
import { isObject, own, parseJsonObject } from '../encoding/json.js';
import { err } from '../errors.js';
import {
  assertDisjoint,
  b64uMember,
  checkCrit,
  mergeHeaders,
  parseProtectedHeader,
  partyInfo,
  unprotectedHeader,
} from './header.js';
import type { KeyParams } from './key-management.js';
import type { JwePolicy } from './policy.js';
import type { JweHeader } from './types.js';

/** PBES2 salts shorter than this are refused (RFC 7518 section 4.8.1.1). */
const MIN_P2S_BYTES = 8;

/** One recipient, checked up to (not including) algorithm policy and key selection. @internal */
export interface ParsedRecipient {
  /** The per-recipient unprotected header. */
  header: Record<string, unknown> | undefined;
  /** The union of the protected, shared unprotected and per-recipient headers. */
  joseHeader: JweHeader;
  alg: KeyManagementAlgorithm;
  encryptedKey: Uint8Array;
  params: KeyParams;
}

/** A JWE in either serialization, with every format rule and work limit checked. @internal */
export interface ParsedJwe {
  protectedHeader: JweHeader;
  unprotected: Record<string, unknown> | undefined;
  recipients: ParsedRecipient[];
  enc: ContentEncryptionAlgorithm;
  zip: boolean;
  iv: Uint8Array;
  ciphertext: Uint8Array;
  tag: Uint8Array;
  /** The content-encryption AAD: ASCII(BASE64URL(protected) [ '.' BASE64URL(aad) ]). */
  aad: Uint8Array;
  /** The decoded JSON `aad` member. */
  aadMember: Uint8Array | undefined;
}

interface RawJwe {
  protected: unknown;
  unprotected: unknown;
  recipients: readonly { header: unknown; encrypted_key: unknown }[];
  iv: unknown;
  ciphertext: unknown;
  tag: unknown;
  aad: unknown;
}

function segment(v: unknown, what: string): Uint8Array {
  if (typeof v !== 'string') throw err('ERR_JWE_INVALID', `${what} must be a string`);
  return b64uDecode(v, 'ERR_JWE_INVALID', what);
}

/**
 * Family-specific header parameters and the encrypted key's shape: format and work limits only, before any key
 * or cryptography. Returns the parameters decoded.
 */
function keyParams(
  alg: KeyManagementAlgorithm,
  h: JweHeader,
  encryptedKey: Uint8Array,
  count: number,
  p: JwePolicy,
): KeyParams {
  const direct = alg.family === 'dir' || alg.family === 'ecdh-es';
  if (direct && (encryptedKey.byteLength !== 0 || count !== 1)) {
    throw err('ERR_JWE_INVALID', `${alg.name} takes exactly one recipient and no encrypted key`);
  }
  if (!direct && encryptedKey.byteLength === 0) throw err('ERR_JWE_INVALID', 'the encrypted key is missing');
  switch (alg.family) {
    case 'pbes2': {
      const p2c = own(h, 'p2c');
      if (typeof p2c !== 'number' || !Number.isInteger(p2c) || p2c < 1) {
        throw err('ERR_JWE_INVALID', '"p2c" must be a positive integer');
      }
      if (p2c > p.maxPbes2Count) throw err('ERR_LIMIT_EXCEEDED', '"p2c" exceeds maxPbes2Count');
      const p2s = b64uMember(h, 'p2s');
      if (p2s === undefined || p2s.byteLength < MIN_P2S_BYTES) {
        throw err('ERR_JWE_INVALID', '"p2s" must hold at least 8 bytes');
      }
      return { p2c, p2s };
    }
    case 'aes-gcm-kw': {
      const iv = b64uMember(h, 'iv');
      const tag = b64uMember(h, 'tag');
      if (iv === undefined || tag === undefined) {
        throw err('ERR_JWE_INVALID', `${alg.name} needs "iv" and "tag" header parameters`);
      }
      return { iv, tag };
    }
    case 'ecdh-es':
    case 'ecdh-es-kw': {
      const epk = own(h, 'epk');
      if (!isObject(epk)) throw err('ERR_JWE_INVALID', `${alg.name} needs an "epk" header parameter`);
      return partyInfo(h, { epk });
    }
    default:
      return {};
  }
}

function parseRaw(raw: RawJwe, policy: JwePolicy): ParsedJwe {
  const protectedHeader = parseProtectedHeader(raw.protected);
  const protectedSegment = raw.protected as string;
  const unprotected = unprotectedHeader(raw.unprotected, 'the shared unprotected header');
  const headers = raw.recipients.map((r) => {
    const header = unprotectedHeader(r.header, 'a per-recipient header');
    assertDisjoint(protectedHeader, unprotected, header);
    return header;
  });
  checkCrit(protectedHeader, policy.understood);
  const encName = own(protectedHeader, 'enc');
  if (typeof encName !== 'string') throw err('ERR_JWE_INVALID', '"enc" must be a string in the protected header');
  // A value naming no registered identifier is a malformed token (ERR_JWE_INVALID); registered values
  // meet the allow-lists later (ERR_JOSE_ALG_NOT_ALLOWED).
  const enc = findContentEncryptionAlgorithm(encName);
  if (enc === undefined) throw err('ERR_JWE_INVALID', '"enc" names no JWE content encryption algorithm');
  const zip = own(protectedHeader, 'zip');
  if (zip !== undefined && zip !== JWE_ZIP_DEFLATE) throw err('ERR_JWE_INVALID', '"zip" names no JWE compression');
  const recipients = raw.recipients.map((r, i): ParsedRecipient => {
    const header = headers[i];
    // With no unprotected header (always, in the compact form) the union is the protected header itself, read-only.
    const joseHeader =
      unprotected === undefined && header === undefined
        ? protectedHeader
        : mergeHeaders(protectedHeader, unprotected, header);
    const name = own(joseHeader, 'alg');
    if (typeof name !== 'string') throw err('ERR_JWE_INVALID', '"alg" must be a string');
    const alg = findKeyManagementAlgorithm(name);
    if (alg === undefined) throw err('ERR_JWE_INVALID', '"alg" names no JWE key management algorithm');
    const encryptedKey = r.encrypted_key === undefined ? new Uint8Array(0) : segment(r.encrypted_key, 'encrypted key');
    const params = keyParams(alg, joseHeader, encryptedKey, raw.recipients.length, policy);
    return { header, joseHeader, alg, encryptedKey, params };
  });
  const iv = segment(raw.iv, 'iv');
  const ciphertext = segment(raw.ciphertext, 'ciphertext');
  const tag = segment(raw.tag, 'tag');
  let aadMember: Uint8Array | undefined;
  if (raw.aad !== undefined) {
    if (raw.aad === '') throw err('ERR_JWE_INVALID', 'an "aad" member must not be empty');
    aadMember = segment(raw.aad, 'aad');
  }
  // ASCII (strict base64url segments), so its latin1 bytes are its UTF-8 bytes, without a new ArrayBuffer.
  const aad = latin1Bytes(aadMember === undefined ? protectedSegment : `${protectedSegment}.${raw.aad as string}`);
  return { protectedHeader, unprotected, recipients, enc, zip: zip !== undefined, iv, ciphertext, tag, aad, aadMember };
}

/**
 * Compact serialization: length cap first, exactly four dots counted before splitting, strict base64url for
 * every segment, then the header rules. @internal
 */
export function parseCompactJwe(token: unknown, policy: JwePolicy): ParsedJwe {
  if (typeof token !== 'string') throw err('ERR_JWE_INVALID', 'a compact JWE must be a string');
  if (token.length > policy.maxTokenLength) throw err('ERR_LIMIT_EXCEEDED', 'the token is too long');
  // The four dots, found (and a fifth refused) before anything is sliced.
  const d1 = token.indexOf('.');
  const d2 = d1 < 0 ? -1 : token.indexOf('.', d1 + 1);
  const d3 = d2 < 0 ? -1 : token.indexOf('.', d2 + 1);
  const d4 = d3 < 0 ? -1 : token.indexOf('.', d3 + 1);
  if (d4 < 0 || token.indexOf('.', d4 + 1) !== -1)
    throw err('ERR_JWE_INVALID', 'a compact JWE has exactly five segments');
  return parseRaw(
    {
      protected: token.slice(0, d1),
      unprotected: undefined,
      recipients: [{ header: undefined, encrypted_key: token.slice(d1 + 1, d2) }],
      iv: token.slice(d2 + 1, d3),
      ciphertext: token.slice(d3 + 1, d4),
      tag: token.slice(d4 + 1),
      aad: undefined,
    },
    policy,
  );
}

const FLAT_ONLY = ['header', 'encrypted_key'] as const;

/**
 * General or flattened JSON serialization, given as text or as an object (serialized once, so getters run
 * once and the size cap sees the whole input). Unknown top-level members are ignored (RFC 7516 section 7.2.1);
 * mixing the general and flattened forms is `ERR_JWE_INVALID`. @internal
 */
export function parseJsonJwe(input: unknown, policy: JwePolicy): ParsedJwe {
  let text: string;
  if (typeof input === 'string') text = input;
  else if (isObject(input)) {
    try {
      text = JSON.stringify(input);
    } catch (cause) {
      throw err('ERR_JWE_INVALID', 'the JWE is not JSON-serializable', cause);
    }
  } else throw err('ERR_JWE_INVALID', 'a JSON JWE must be an object or its JSON text');
  if (text.length > policy.maxTokenLength) throw err('ERR_LIMIT_EXCEEDED', 'the token is too long');
  const o = parseJsonObject(text, 'ERR_JWE_INVALID', 'JWE');
  let recipients: unknown;
  if (Object.hasOwn(o, 'recipients')) {
    if (FLAT_ONLY.some((m) => Object.hasOwn(o, m))) throw err('ERR_JWE_INVALID', 'mixed general and flattened JWE');
    recipients = own(o, 'recipients');
    if (!Array.isArray(recipients) || recipients.length === 0) {
      throw err('ERR_JWE_INVALID', '"recipients" must be a non-empty array');
    }
    if (recipients.length > policy.maxRecipients) throw err('ERR_LIMIT_EXCEEDED', 'too many recipients');
    if (!recipients.every(isObject)) throw err('ERR_JWE_INVALID', 'each recipient must be an object');
  } else {
    recipients = [o];
  }
  return parseRaw(
    {
      protected: own(o, 'protected'),
      unprotected: own(o, 'unprotected'),
      recipients: (recipients as Record<string, unknown>[]).map((r) => ({
        header: own(r, 'header'),
        encrypted_key: own(r, 'encrypted_key'),
      })),
      iv: own(o, 'iv'),
      ciphertext: own(o, 'ciphertext'),
      tag: own(o, 'tag'),
      aad: own(o, 'aad'),
    },
    policy,
  );
}
