/** `jot encrypt` and `jot decrypt`: claims in a compact JWE, and back with the claim checks of verify. */
import {
  CONTENT_ENCRYPTION_ALGORITHMS,
  findContentEncryptionAlgorithm,
  findKeyManagementAlgorithm,
} from '../alg/jwe.js';
import { JotError } from '../errors.js';
import { type DecryptJwtOptions, decryptJwt, type EncryptJwtOptions, encryptJwt } from '../jwt/encrypted.js';
import type { JwtClaims } from '../jwt/types.js';
import { type Command, type Context, list, str } from './command.js';
import { prettyJson } from './format.js';
import { loadKeyOrSecret, readClaims, readToken } from './input.js';
import { EXIT_OK, EXIT_REJECTED, safeText, UsageError } from './io.js';
import { issueOptions } from './issue.js';
import { claimOptions, errorFields, explain } from './verify.js';

function checkKm(name: string): string {
  if (findKeyManagementAlgorithm(name) === undefined)
    throw new UsageError(`unknown key management algorithm "${name}"`);
  return name;
}

function checkEnc(name: string): string {
  if (findContentEncryptionAlgorithm(name) === undefined) throw new UsageError(`unknown content encryption "${name}"`);
  return name;
}

/** The default content encryption: AES-256-GCM, found in the table by its properties. */
function defaultEnc(): string {
  return Object.values(CONTENT_ENCRYPTION_ALGORITHMS).find((e) => e.family === 'aes-gcm' && e.keyBytes === 32)!.name;
}

export interface EncryptResult {
  token: string;
  header: Record<string, unknown>;
}

export const command: Command<EncryptResult> = {
  async compute(ctx) {
    const explicit = str(ctx.values, 'alg');
    const alg = explicit === undefined ? undefined : checkKm(explicit);
    const encArg = str(ctx.values, 'enc');
    const claims = await readClaims(ctx);
    const now = ctx.io.now();
    const loaded = await loadKeyOrSecret(ctx, { alg });
    if (loaded.kind === 'set')
      throw new UsageError(`${loaded.source} is a key set: encrypt to a single JWK or PEM key`);
    const chosen = alg ?? loaded.key.alg;
    if (chosen === undefined) throw new UsageError('the key does not name its key management algorithm: pass --alg');
    const enc = encArg === undefined ? defaultEnc() : checkEnc(encArg);
    const options: EncryptJwtOptions = { ...issueOptions(ctx, now), alg: chosen, enc };
    const kid = str(ctx.values, 'kid');
    if (kid !== undefined) options.kid = kid;
    const typ = str(ctx.values, 'typ');
    if (typ !== undefined) options.typ = typ;
    const token = await encryptJwt(claims, loaded.key, options);
    const seg = token.slice(0, token.indexOf('.'));
    return { token, header: JSON.parse(Buffer.from(seg, 'base64url').toString('utf8')) as Record<string, unknown> };
  },
  text: (r) => `${r.token}\n`,
};

export interface DecryptResult {
  valid: boolean;
  reason?: string;
  error?: { code: string; message: string; claim?: string; reason?: string };
  header?: Record<string, unknown>;
  payload?: JwtClaims;
  checked: string[];
  unchecked: string[];
  now: number;
}

async function decrypt(ctx: Context): Promise<DecryptResult> {
  const token = (await readToken(ctx))!;
  const now = ctx.io.now();
  const algs = list(ctx.values, 'alg').map(checkKm);
  const encs = list(ctx.values, 'enc').map(checkEnc);
  const { options, checked, unchecked } = claimOptions(ctx, now);
  const loaded = await loadKeyOrSecret(ctx, { alg: algs.length === 1 ? algs[0] : undefined, allowPrivateSet: true });
  const key = loaded.kind === 'set' ? loaded.resolver : loaded.key;
  const opts: DecryptJwtOptions = { ...options };
  // decryptJwt wants public-key key management listed: the key file's own "alg" is the user's choice.
  const named =
    loaded.kind === 'set'
      ? loaded.jwks.keys.map((k) => k.alg).filter((a): a is string => findKeyManagementAlgorithm(a) !== undefined)
      : loaded.key.alg === undefined
        ? []
        : [loaded.key.alg];
  if (
    loaded.kind !== 'set' &&
    loaded.key.alg !== undefined &&
    findKeyManagementAlgorithm(loaded.key.alg) === undefined
  ) {
    throw new UsageError(
      `the key in ${loaded.source} is bound to ${loaded.key.alg}, not to a key management algorithm`,
    );
  }
  if (algs.length > 0) opts.keyManagementAlgorithms = algs;
  else if (named.length > 0) opts.keyManagementAlgorithms = [...new Set(named)];
  if (encs.length > 0) opts.contentEncryptionAlgorithms = encs;
  try {
    const r = await decryptJwt(token, key, opts);
    return {
      valid: true,
      header: { ...r.protectedHeader },
      payload: r.payload,
      checked: ['decryption', ...checked],
      unchecked,
      now,
    };
  } catch (e) {
    if (!(e instanceof JotError) || e.code === 'ERR_INVALID_OPTION') throw e;
    const reason =
      e.code === 'ERR_JWE_DECRYPTION_FAILED'
        ? `decryption: fails with ${loaded.source}`
        : explain(e, token, options, now, loaded.source);
    return {
      valid: false,
      reason,
      error: errorFields(e),
      checked: [],
      unchecked,
      now,
    };
  }
}

export const decryptCommand: Command<DecryptResult> = {
  compute: decrypt,
  exitCode: (r) => (r.valid ? EXIT_OK : EXIT_REJECTED),
  json: ({ now: _now, ...rest }) => rest,
  text(r, ctx) {
    const st = ctx.out;
    if (!r.valid) {
      ctx.io.stderr.write(`${ctx.err.red('rejected:')} ${r.reason}\n`);
      return '';
    }
    const lines = [
      `${st.green(st.bold('decrypted'))}  ${safeText(`${r.header?.alg} + ${r.header?.enc}`)}`,
      `checked: ${r.checked.join(', ')}`,
    ];
    if (r.unchecked.length > 0) lines.push(st.dim(`not checked: ${r.unchecked.join(', ')}`));
    lines.push(
      '',
      st.bold('Protected header'),
      prettyJson(r.header, st),
      '',
      st.bold('Claims'),
      prettyJson(r.payload, st, r.now),
    );
    return `${lines.join('\n')}\n`;
  },
};
