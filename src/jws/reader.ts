import { b64uDecodeSegment, plainB64uText } from '../encoding/base64url.js';
import { err } from '../errors.js';
import { type JoseHeader, parseProtectedHeader } from './header.js';

/**
 * The one reader of the compact serialization (JWS, and the JWT layers on top of it): type, length cap, then exactly
 * two dots, counted before anything is sliced; then the header, read by `headerOf` (a precompiled JWT verifier passes
 * its bounded cache of checked headers here).
 */

/** What the reader refuses a non-string and a wrong segment count with: each layer keeps its documented codes. */
export type CompactCode = 'ERR_JWS_INVALID' | 'ERR_JWT_INVALID';

/** Reads the header segment `token.slice(0, end)` into whatever the caller needs (a header, or checked header info). */
export type HeaderReader<H> = (token: string, end: number) => H;

/** A compact token cut at its two dots, its header read. @internal */
export interface CompactParts<H> {
  readonly token: string;
  readonly head: H;
  /** Index of the first dot: the header segment is `token.slice(0, dot1)`. */
  readonly dot1: number;
  /** Index of the second dot: the signing input is `token.slice(0, dot2)`. */
  readonly dot2: number;
}

/** A compact token with a base64url payload, its payload and signature decoded once. @internal */
export interface EncodedCompact<H> {
  readonly head: H;
  readonly payload: Uint8Array;
  readonly signature: Uint8Array;
  readonly signingInput: string;
}

/** The protected header of the segment, strictly decoded and parsed: the default {@link HeaderReader}. */
export const protectedHeaderOf: HeaderReader<JoseHeader> = (token, end) => parseProtectedHeader(token.slice(0, end));

/** Type and length first, then the second dot (and no third). Returns the index of the second dot. */
function secondDot(token: unknown, maxLength: number, notString: CompactCode, shape: CompactCode): number {
  if (typeof token !== 'string') throw err(notString, 'a compact token must be a string');
  if (token.length > maxLength) throw err('ERR_LIMIT_EXCEEDED', 'the token is too long');
  const a = token.indexOf('.');
  const b = a < 0 ? -1 : token.indexOf('.', a + 1);
  if (b < 0 || token.indexOf('.', b + 1) !== -1) throw err(shape, 'a compact JWS has exactly three segments');
  return b;
}

/** Split a compact token and read its header. @internal */
export function readCompact<H>(
  token: unknown,
  maxLength: number,
  headerOf: HeaderReader<H>,
  notString: CompactCode = 'ERR_JWS_INVALID',
  shape: CompactCode = 'ERR_JWS_INVALID',
): CompactParts<H> {
  const dot2 = secondDot(token, maxLength, notString, shape);
  const t = token as string;
  const dot1 = t.indexOf('.');
  return { token: t, head: headerOf(t, dot1), dot1, dot2 };
}

/**
 * {@link readCompact} for a token whose payload is base64url (every JWT): after the header, the whole token is
 * checked once for what node's decoder would misread, and the payload and signature are decoded once each. @internal
 */
export function readEncodedCompact<H>(
  token: unknown,
  maxLength: number,
  headerOf: HeaderReader<H>,
  notString: CompactCode = 'ERR_JWS_INVALID',
): EncodedCompact<H> {
  const b = secondDot(token, maxLength, notString, 'ERR_JWS_INVALID');
  const t = token as string;
  const a = t.indexOf('.');
  const head = headerOf(t, a);
  // The header passed (or was cached); the rest is checked for what the decoder would misread once, not per segment.
  if (!plainB64uText(t)) throw err('ERR_JWS_INVALID', 'the payload or signature is not canonical base64url');
  const payload = b64uDecodeSegment(t.slice(a + 1, b), 'ERR_JWS_INVALID', 'payload');
  const signature = b64uDecodeSegment(t.slice(b + 1), 'ERR_JWS_INVALID', 'signature');
  return { head, payload, signature, signingInput: t.slice(0, b) };
}
