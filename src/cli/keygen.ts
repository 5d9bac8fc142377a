/** `jot keygen ALG`: a key pair or secret bound to ALG, as JWK or PEM, written 0600 for private parts. */
import { findContentEncryptionAlgorithm, findKeyManagementAlgorithm } from '../alg/jwe.js';
import { findJwsAlgorithm } from '../alg/jws.js';
import { b64uDecode } from '../encoding/base64url.js';
import { exportJwk, exportPem, jwkThumbprint } from '../key/export.js';
import { generateKeyPair, generateSecret } from '../key/generate.js';
import type { JWK } from '../key/jwk.js';
import { type Command, type Context, flag, str } from './command.js';
import { writeNewFile } from './files.js';
import { safeText, UsageError } from './io.js';

export interface KeygenResult {
  alg: string;
  kid: string;
  format: 'jwk' | 'pem' | 'raw';
  /** Present when printed rather than written. */
  privateKey?: JWK | string;
  publicKey?: JWK | string;
  written: { path: string; mode: string; part: 'private' | 'public' | 'secret' }[];
}

function isSymmetric(alg: string): boolean {
  if (findJwsAlgorithm(alg)?.family === 'hmac') return true;
  const km = findKeyManagementAlgorithm(alg);
  if (km !== undefined) return km.kty === 'oct';
  return findContentEncryptionAlgorithm(alg) !== undefined;
}

function known(alg: string): boolean {
  return (
    findJwsAlgorithm(alg) !== undefined ||
    findKeyManagementAlgorithm(alg) !== undefined ||
    findContentEncryptionAlgorithm(alg) !== undefined
  );
}

const jwkText = (jwk: JWK) => `${JSON.stringify(jwk, null, 2)}\n`;

async function compute(ctx: Context): Promise<KeygenResult> {
  const alg = ctx.positionals[0];
  if (alg === undefined) throw new UsageError('an algorithm is required, e.g. jot keygen ES256');
  if (!known(alg)) throw new UsageError(`unknown algorithm "${safeText(alg)}"`);
  const v = ctx.values;
  const format = str(v, 'format') ?? 'jwk';
  if (format !== 'jwk' && format !== 'pem' && format !== 'raw')
    throw new UsageError('--format must be jwk, pem or raw');
  if (findKeyManagementAlgorithm(alg)?.family === 'pbes2') {
    throw new UsageError(`${alg} derives its key from a password: pass one with --secret-file to encrypt and decrypt`);
  }
  const symmetric = isSymmetric(alg);
  if (symmetric && format === 'pem') throw new UsageError('a secret has no PEM form: use --format jwk or raw');
  if (!symmetric && format === 'raw') throw new UsageError('--format raw is for secrets only');
  const out = str(v, 'out');
  let privPath = str(v, 'out-private');
  let pubPath = str(v, 'out-public');
  if (out !== undefined) {
    if (privPath !== undefined || pubPath !== undefined)
      throw new UsageError('give --out, or --out-private/--out-public');
    privPath = out;
    if (!symmetric) pubPath = `${out}.pub`;
  }
  if (symmetric && pubPath !== undefined) throw new UsageError('a secret has no public part (--out-public)');
  const force = flag(v, 'force');
  const bitsArg = str(v, 'bits');
  const bits = bitsArg === undefined ? undefined : Number(bitsArg);
  if (bits !== undefined && !Number.isSafeInteger(bits)) throw new UsageError('--bits must be an integer');
  const crv = str(v, 'crv');

  let privJwk: JWK;
  let pubJwk: JWK | undefined;
  let privPem: string | undefined;
  let pubPem: string | undefined;
  if (symmetric) {
    if (crv !== undefined || bits !== undefined) throw new UsageError('--crv and --bits are for key pairs');
    const key = await generateSecret(alg);
    privJwk = await exportJwk(key, { includePrivate: true });
  } else {
    const pair = await generateKeyPair(alg, {
      ...(crv === undefined ? {} : { crv }),
      ...(bits === undefined ? {} : { modulusLength: bits }),
    });
    privJwk = await exportJwk(pair.privateKey, { includePrivate: true });
    pubJwk = await exportJwk(pair.publicKey);
    if (format === 'pem') {
      privPem = await exportPem(pair.privateKey);
      pubPem = await exportPem(pair.publicKey);
    }
  }
  const kid = str(v, 'kid') ?? (await jwkThumbprint(pubJwk ?? privJwk));
  privJwk = { ...privJwk, kid };
  if (pubJwk !== undefined) pubJwk = { ...pubJwk, kid };

  const privText = format === 'pem' ? privPem! : format === 'raw' ? '' : jwkText(privJwk);
  const pubText = format === 'pem' ? pubPem : pubJwk === undefined ? undefined : jwkText(pubJwk);
  const written: KeygenResult['written'] = [];
  if (privPath !== undefined) {
    if (format === 'raw') {
      // Raw secret bytes: for --secret-file.
      const bytes = b64uDecode(privJwk.k ?? '', 'ERR_KEY_INVALID', 'secret');
      writeNewFile(ctx, privPath, bytes, 0o600, force);
    } else {
      writeNewFile(ctx, privPath, privText, 0o600, force);
    }
    written.push({ path: privPath, mode: '0600', part: symmetric ? 'secret' : 'private' });
  }
  if (pubPath !== undefined && pubText !== undefined) {
    writeNewFile(ctx, pubPath, pubText, 0o644, force);
    written.push({ path: pubPath, mode: '0644', part: 'public' });
  }
  // A content key is bound to dir: report the binding the files carry.
  const result: KeygenResult = { alg: privJwk.alg ?? alg, kid, format: format as KeygenResult['format'], written };
  if (privPath === undefined) {
    if (format === 'raw') throw new UsageError('--format raw needs an output file (--out)');
    result.privateKey = format === 'pem' ? privPem! : privJwk;
    if (pubJwk !== undefined) result.publicKey = format === 'pem' ? pubPem! : pubJwk;
  }
  return result;
}

export const command: Command<KeygenResult> = {
  compute,
  text(r, ctx) {
    if (r.written.length === 0) {
      const show = (k: JWK | string | undefined) => (typeof k === 'string' ? k : k === undefined ? '' : jwkText(k));
      const parts = [show(r.privateKey)];
      if (r.publicKey !== undefined) parts.push(show(r.publicKey));
      return parts.join('\n');
    }
    const lines = r.written.map(
      (w) =>
        `wrote ${w.part === 'public' ? 'public key' : w.part === 'secret' ? 'secret' : 'private key'} ${safeText(w.path)} (${w.mode})`,
    );
    lines.push(ctx.out.dim(`alg ${r.alg}, kid ${r.kid}`));
    return `${lines.join('\n')}\n`;
  },
};
