import type { JoseHeader } from './header.js';
import { type KeyResolver, resolverFailure } from './policy.js';
import type { Key } from '../key/key.js';

/**
 * A resolver built by jot may expose, under this symbol, every key that fits a header (a bounded list, in the
 * set's order). Verifiers then try each in turn and report the one that verified; a plain call of the resolver
 * still answers one key or fails with `ERR_JWKS_MULTIPLE_MATCHING_KEYS`. @internal
 */
export const KEY_CANDIDATES: unique symbol = Symbol('jot.keyCandidates');

/** The candidates method of a jot resolver. @internal */
export type CandidatesOf = (header: JoseHeader, token: unknown) => readonly Key[] | Promise<readonly Key[]>;

/** The candidates method of `kr`, when it has one. @internal */
export function candidatesMethod(kr: unknown): CandidatesOf | undefined {
  if (typeof kr !== 'function') return undefined;
  const m = (kr as unknown as Record<symbol, unknown>)[KEY_CANDIDATES];
  return typeof m === 'function' ? (m as CandidatesOf) : undefined;
}

/** Attach a candidates method to a resolver function (non-enumerable, read-only). @internal */
export function withCandidates<R extends KeyResolver>(resolver: R, candidates: CandidatesOf): R {
  Object.defineProperty(resolver, KEY_CANDIDATES, { value: candidates, enumerable: false, writable: false });
  return resolver;
}

/**
 * What a key or resolver offers for a header: the fixed key, a plain resolver's one answer, or a jot set's
 * candidates. Values are unchecked (the caller runs its key checks on each). @internal
 */
export async function resolveCandidates(
  keyOrResolver: Key | KeyResolver,
  header: JoseHeader,
  token: unknown,
): Promise<readonly unknown[]> {
  if (typeof keyOrResolver !== 'function') return [keyOrResolver];
  const many = candidatesMethod(keyOrResolver);
  return many !== undefined ? await many(header, token) : [await keyOrResolver(header, token)];
}

/** Synchronous {@link resolveCandidates}; a promise from the resolver is returned as is for the caller to refuse. @internal */
export function resolveCandidatesSync(keyOrResolver: KeyResolver, header: JoseHeader, token: unknown): unknown {
  const many = candidatesMethod(keyOrResolver);
  return many !== undefined ? many(header, token) : keyOrResolver(header, token);
}

/** {@link resolveCandidates}, a resolver's failure made a JotError (`ERR_JWKS_NO_MATCHING_KEY` with the cause). @internal */
export async function resolveKeys(
  keyOrResolver: Key | KeyResolver,
  header: JoseHeader,
  token: unknown,
): Promise<readonly unknown[]> {
  try {
    return await resolveCandidates(keyOrResolver, header, token);
  } catch (e) {
    throw resolverFailure(e);
  }
}
