/**
 * The readable parts of a JWS or JWE in JSON serialization (RFC 7515 §7.2, RFC 7516 §7.2), general or flattened, for
 * display and audit only: every header a signature or recipient is processed with (protected, shared unprotected and
 * per-recipient members merged, in that order), and a JWS's claims. Nothing is verified. Strict base64url and JSON.
 */
import { b64uDecode } from '../encoding/base64url.js';
import { DEFAULT_JSON_LIMITS, isObject, parseJson, parseJsonObjectUtf8 } from '../encoding/json.js';
import { utf8Decode } from '../encoding/utf8.js';
import { err } from '../errors.js';

/** What a JSON-serialized token shows without a key. */
export interface JsonTokenParts {
  type: 'JWS' | 'JWE';
  /** One merged header per signature (JWS) or recipient (JWE). */
  headers: Record<string, unknown>[];
  /** Names of the members of each header that are not integrity-protected. */
  unprotected: string[][];
  /** A JWS's payload as claims, when it is a JSON object. */
  payload?: Record<string, unknown>;
}

const MAX_ENTRIES = 64;

function protectedHeader(value: unknown): Record<string, unknown> {
  if (value === undefined) return Object.create(null);
  if (typeof value !== 'string') throw err('ERR_JWT_INVALID', '"protected" must be a base64url string');
  return parseJsonObjectUtf8(b64uDecode(value, 'ERR_JWT_INVALID', 'protected header'), 'ERR_JWT_INVALID', 'header');
}

function plainHeader(value: unknown, what: string): Record<string, unknown> {
  if (value === undefined) return Object.create(null);
  if (!isObject(value)) throw err('ERR_JWT_INVALID', `"${what}" must be a JSON object`);
  return value;
}

/** Merges headers; a member named twice across them is refused (RFC 7515 §7.2.1, RFC 7516 §7.2.1). */
function merge(
  prot: Record<string, unknown>,
  ...others: Record<string, unknown>[]
): { header: Record<string, unknown>; open: string[] } {
  const header = Object.assign(Object.create(null) as Record<string, unknown>, prot);
  const open: string[] = [];
  for (const o of others) {
    for (const name of Object.keys(o)) {
      if (Object.hasOwn(header, name)) throw err('ERR_JWT_INVALID', `header member "${name}" appears twice`);
      header[name] = o[name];
      open.push(name);
    }
  }
  return { header, open };
}

function entries(doc: Record<string, unknown>, list: string, single: string[]): Record<string, unknown>[] {
  const many = doc[list];
  if (many === undefined) {
    if (!single.some((name) => Object.hasOwn(doc, name))) throw err('ERR_JWT_INVALID', `no "${list}"`);
    return [doc];
  }
  if (!Array.isArray(many) || many.length === 0 || !many.every(isObject)) {
    throw err('ERR_JWT_INVALID', `"${list}" must be a non-empty array of objects`);
  }
  if (many.length > MAX_ENTRIES) throw err('ERR_LIMIT_EXCEEDED', `more than ${MAX_ENTRIES} ${list}`);
  return many;
}

/** The parts of a JSON-serialized JWS or JWE text. Throws `ERR_JWT_INVALID` or `ERR_LIMIT_EXCEEDED`. */
export function readJsonToken(text: string): JsonTokenParts {
  const doc = parseJson(text, 'ERR_JWT_INVALID', 'token', DEFAULT_JSON_LIMITS);
  if (!isObject(doc)) throw err('ERR_JWT_INVALID', 'a JSON token must be an object');
  if (typeof doc.ciphertext === 'string') {
    const prot = protectedHeader(doc.protected);
    const shared = plainHeader(doc.unprotected, 'unprotected');
    const headers: Record<string, unknown>[] = [];
    const unprotected: string[][] = [];
    for (const r of entries(doc, 'recipients', ['encrypted_key', 'header'])) {
      const { header, open } = merge(prot, shared, plainHeader(r.header, 'header'));
      headers.push(header);
      unprotected.push(open);
    }
    return { type: 'JWE', headers, unprotected };
  }
  if (typeof doc.payload !== 'string') throw err('ERR_JWT_INVALID', 'a JSON token needs "payload" or "ciphertext"');
  const headers: Record<string, unknown>[] = [];
  const unprotected: string[][] = [];
  for (const s of entries(doc, 'signatures', ['signature'])) {
    if (typeof s.signature !== 'string') throw err('ERR_JWT_INVALID', 'each signature needs "signature"');
    const { header, open } = merge(protectedHeader(s.protected), plainHeader(s.header, 'header'));
    headers.push(header);
    unprotected.push(open);
  }
  // RFC 7797: "b64": false leaves the payload as it is; otherwise it is base64url.
  const raw = headers[0]!.b64 === false;
  let payload: Record<string, unknown> | undefined;
  try {
    const bytes = raw ? undefined : b64uDecode(doc.payload, 'ERR_JWT_INVALID', 'payload');
    const claims = parseJson(
      bytes === undefined ? doc.payload : utf8Decode(bytes, 'ERR_JWT_INVALID', 'payload'),
      'ERR_JWT_INVALID',
      'claims',
    );
    if (isObject(claims)) payload = claims;
  } catch {
    payload = undefined; // not JSON claims: a JWS of other content, shown without claims
  }
  return { type: 'JWS', headers, unprotected, ...(payload === undefined ? {} : { payload }) };
}
