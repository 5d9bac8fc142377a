/** `jot sign`: claims (argument, file or standard input) signed into a compact JWT. */
import { decodeUnverified } from '../jwt/decode.js';
import { signJwt } from '../jwt/sign.js';
import type { SignJwtOptions } from '../jwt/types.js';
import { type Command, str } from './command.js';
import { checkJwsAlg, hmacAlgorithms, impliedJwsAlg, loadKeyOrSecret, readClaims } from './input.js';
import { UsageError } from './io.js';
import { issueOptions } from './issue.js';

export interface SignResult {
  token: string;
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
}

export const command: Command<SignResult> = {
  async compute(ctx) {
    const explicit = str(ctx.values, 'alg');
    const alg = explicit === undefined ? undefined : checkJwsAlg(explicit);
    const claims = await readClaims(ctx);
    const now = ctx.io.now();
    const loaded = await loadKeyOrSecret(ctx, { alg });
    if (loaded.kind === 'set') throw new UsageError(`${loaded.source} is a key set: sign with a single JWK or PEM key`);
    const key = loaded.key;
    if (loaded.kind === 'key' && !key.isPrivate && key.kty !== 'oct') {
      throw new UsageError(`${loaded.source} holds a public key: signing needs the private key`);
    }
    const chosen = alg ?? impliedJwsAlg(key) ?? (key.kty === 'oct' ? hmacAlgorithms()[0] : undefined);
    if (chosen === undefined)
      throw new UsageError(`the key in ${loaded.source} does not name its algorithm: pass --alg`);
    const options: SignJwtOptions = { ...issueOptions(ctx, now), alg: chosen };
    const kid = str(ctx.values, 'kid');
    if (kid !== undefined) options.kid = kid;
    const typ = str(ctx.values, 'typ');
    if (typ !== undefined) options.typ = typ;
    const token = await signJwt(claims, key, options);
    const { header, payload } = decodeUnverified(token);
    return { token, header, payload: payload ?? {} }; // a signed JWT always has its claims
  },
  text: (r) => `${r.token}\n`,
};
