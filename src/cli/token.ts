/** The token argument (or standard input for `-`): kept apart from key loading so that decode starts fast. */
import type { Context } from './command.js';
import { UsageError } from './io.js';

/** Largest token, key file or claims document read (1 MiB). */
export const MAX_INPUT_BYTES = 1 << 20;

/** A token from the argument, or standard input for `-` (surrounding whitespace trimmed). */
export async function readToken(ctx: Context, required = true): Promise<string | undefined> {
  const arg = ctx.positionals[0];
  if (arg === undefined) {
    if (!required) return undefined;
    throw new UsageError('a token is required (an argument, or - to read standard input)');
  }
  const text = arg === '-' ? await ctx.io.readStdin(MAX_INPUT_BYTES) : arg;
  const token = text.trim().replace(/^Bearer\s+/i, '');
  if (token === '') throw new UsageError(arg === '-' ? 'standard input held no token' : 'the token is empty');
  return token;
}
