/** Reading what the user hands the CLI: tokens, files, keys, secrets, claims, times. */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { resolve } from 'node:path';
import { findJwsAlgorithm, JWS_ALGORITHMS } from '../alg/jws.js';
import { isObject } from '../encoding/json.js';
import { importKey } from '../key/import.js';
import type { JWK } from '../key/jwk.js';
import type { Key } from '../key/key.js';
import { createLocalJwkSet, type JWKS, type JwkSetResolver } from '../keyset/local.js';
import { type Context, str } from './command.js';
import { UsageError } from './io.js';

import { MAX_INPUT_BYTES } from './token.js';

export { MAX_INPUT_BYTES, readToken } from './token.js';

/** The bytes of a file, bounded; a missing or unreadable file is a usage error naming it. */
export function readFileBytes(ctx: Context, path: string, what = 'file', max = MAX_INPUT_BYTES): Uint8Array {
  const full = resolve(ctx.io.cwd, path);
  let fd: number | undefined;
  try {
    fd = openSync(full, 'r');
    const st = fstatSync(fd);
    if (st.isDirectory()) throw new UsageError(`${what} ${path} is a directory`);
    if (st.size > max) throw new UsageError(`${what} ${path} is larger than ${max} bytes`);
    const buf = Buffer.alloc(Math.min(max + 1, st.isFile() ? st.size + 1 : max + 1));
    let n = 0;
    for (;;) {
      const r = readSync(fd, buf, n, buf.length - n, null);
      if (r === 0) break;
      n += r;
      if (n > max) throw new UsageError(`${what} ${path} is larger than ${max} bytes`);
      if (n === buf.length) break;
    }
    return new Uint8Array(buf.subarray(0, n));
  } catch (e) {
    if (e instanceof UsageError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (code ?? 'unreadable');
    throw new UsageError(`cannot read ${what} ${path}: ${why}`);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

export function readFileText(ctx: Context, path: string, what = 'file', max = MAX_INPUT_BYTES): string {
  return Buffer.from(readFileBytes(ctx, path, what, max)).toString('utf8');
}

export type LoadedKey =
  | { kind: 'key'; key: Key; source: string }
  | { kind: 'set'; resolver: JwkSetResolver; jwks: JWKS; source: string };

/** A key from a JWK, JWKS or PEM file. `alg` binds a JWK or PEM key; a JWKS keeps its own. */
export async function loadKeyFile(
  ctx: Context,
  path: string,
  options: { alg?: string | undefined; allowPrivateSet?: boolean } = {},
): Promise<LoadedKey> {
  const text = readFileText(ctx, path, 'key file').trim();
  const bind = options.alg === undefined ? undefined : { alg: options.alg };
  if (text.startsWith('{')) {
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch {
      throw new UsageError(`key file ${path} is not valid JSON`);
    }
    if (isObject(doc) && Array.isArray(doc.keys)) {
      const jwks = doc as unknown as JWKS;
      const resolver = createLocalJwkSet(jwks, options.allowPrivateSet ? { allowPrivate: true } : undefined);
      return { kind: 'set', resolver, jwks, source: path };
    }
    return { kind: 'key', key: await importKey(doc as JWK, bind), source: path };
  }
  if (text.startsWith('-----BEGIN')) {
    return { kind: 'key', key: await importKey(text, bind), source: path };
  }
  throw new UsageError(`key file ${path} is not a JWK, JWKS or PEM key (a raw secret goes in --secret-file)`);
}

/** True when the bytes are UTF-8 text: no control character but tab, CR and LF, and valid UTF-8. */
function isText(bytes: Uint8Array): boolean {
  for (const b of bytes) if ((b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) || b === 0x7f) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** The secret bytes from --secret-file, --secret-env or --secret (with a warning), or undefined. */
export function readSecret(ctx: Context): Uint8Array | undefined {
  const file = str(ctx.values, 'secret-file');
  const env = str(ctx.values, 'secret-env');
  const text = str(ctx.values, 'secret');
  const given = [file, env, text].filter((v) => v !== undefined).length;
  if (given > 1) throw new UsageError('give one of --secret-file, --secret-env and --secret');
  if (file !== undefined) {
    const bytes = readFileBytes(ctx, file, 'secret file');
    // One trailing newline (from echo or an editor) is not part of a secret written as text. A binary secret (such
    // as `jot keygen --format raw` writes) is taken whole: its last byte is 0x0a one time in 256.
    let end = bytes.length;
    if (isText(bytes)) {
      if (end > 0 && bytes[end - 1] === 0x0a) end--;
      if (end > 0 && bytes[end - 1] === 0x0d) end--;
    }
    if (end === 0) throw new UsageError(`secret file ${file} is empty`);
    return bytes.subarray(0, end);
  }
  if (env !== undefined) {
    const v = ctx.io.env[env];
    if (v === undefined || v === '') throw new UsageError(`environment variable ${env} is not set`);
    return new TextEncoder().encode(v);
  }
  if (text !== undefined) {
    ctx.warn('--secret is visible to other users (ps) and kept in shell history; prefer --secret-file or --secret-env');
    if (text === '') throw new UsageError('--secret is empty');
    return new TextEncoder().encode(text);
  }
  return undefined;
}

/** Exactly one key source: --key FILE or a secret. */
export async function loadKeyOrSecret(
  ctx: Context,
  options: { alg?: string | undefined; allowPrivateSet?: boolean } = {},
): Promise<LoadedKey | { kind: 'secret'; secret: Uint8Array; key: Key; source: string }> {
  const keyPath = str(ctx.values, 'key');
  const secret = readSecret(ctx);
  if (keyPath !== undefined && secret !== undefined) throw new UsageError('give either --key or a secret, not both');
  if (keyPath !== undefined) return loadKeyFile(ctx, keyPath, options);
  if (secret !== undefined) {
    const key = await importKey(secret, options.alg === undefined ? undefined : { alg: options.alg });
    return { kind: 'secret', secret, key, source: 'secret' };
  }
  throw new UsageError('a key is required: --key FILE, --secret-file FILE or --secret-env NAME');
}

/** The signature algorithm a key implies: its bound `alg`, else the one its curve allows. Undefined when ambiguous. */
export function impliedJwsAlg(key: Key): string | undefined {
  if (key.alg !== undefined) return key.alg;
  const entries = Object.values(JWS_ALGORITHMS);
  if (key.kty === 'EC') return entries.find((a) => a.family === 'ecdsa' && a.curves[0] === key.crv)?.name;
  if (key.kty === 'OKP')
    return entries.find((a) => a.family === 'eddsa' && key.crv !== undefined && a.curves.includes(key.crv))?.name;
  return undefined;
}

/** Every HMAC algorithm: what a bare secret may verify (one family, no confusion possible). */
export function hmacAlgorithms(): string[] {
  return Object.values(JWS_ALGORITHMS)
    .filter((a) => a.family === 'hmac')
    .map((a) => a.name);
}

export function checkJwsAlg(name: string): string {
  if (findJwsAlgorithm(name) === undefined) throw new UsageError(`unknown signature algorithm "${name}"`);
  return name;
}

/** Claims from --claims: JSON text, @FILE, or - (standard input). */
export async function readClaims(ctx: Context): Promise<Record<string, unknown>> {
  const spec = str(ctx.values, 'claims');
  if (spec === undefined) return {};
  let text: string;
  let where: string;
  if (spec === '-') {
    text = await ctx.io.readStdin(MAX_INPUT_BYTES);
    where = 'standard input';
  } else if (spec.startsWith('@')) {
    text = readFileText(ctx, spec.slice(1), 'claims file');
    where = spec.slice(1);
  } else {
    text = spec;
    where = '--claims';
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new UsageError(`claims from ${where} are not valid JSON`);
  }
  if (!isObject(doc) || Array.isArray(doc)) throw new UsageError(`claims from ${where} must be a JSON object`);
  return doc as Record<string, unknown>;
}

const DURATION = /^(\d{1,12})([smhdw])?$/;
const UNITS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

/** A duration (`90`, `15m`, `2h`, `7d`) in seconds. */
export function parseDurationArg(value: string, name: string): number {
  const m = DURATION.exec(value.trim());
  if (m === null) throw new UsageError(`${name} is not a duration (e.g. 30s, 15m, 2h, 7d)`);
  return Number(m[1]) * (UNITS[m[2] ?? 's'] ?? 1);
}

/** A point in time: Unix seconds (10+ digits), an ISO date, or a duration from now. */
export function parseTimeArg(value: string, name: string, now: number): number {
  const v = value.trim();
  if (/^\d{9,12}$/.test(v)) return Number(v);
  if (DURATION.test(v)) return Math.floor(now) + parseDurationArg(v, name);
  const ms = Date.parse(v);
  if (!Number.isFinite(ms)) throw new UsageError(`${name} must be Unix seconds, an ISO date or a duration`);
  return Math.floor(ms / 1000);
}
