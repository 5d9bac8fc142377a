/**
 * The `jot` dispatcher: finds the subcommand in the surface table, parses its options with
 * node:util parseArgs, loads only that subcommand's module, runs it and prints the result.
 * Returns the exit status; never throws for a user mistake.
 */
import { parseArgs } from 'node:util';
import type { Command, Context } from './command.js';
import { helpText, mainHelp } from './help.js';
import { colourEnabled, EXIT_OK, EXIT_USAGE, exitCodeOf, type Io, safeText, style, UsageError } from './io.js';
import { COMMON, findCommand } from './surface.js';

export async function main(argv: readonly string[], io: Io, version: string): Promise<number> {
  const [name, ...rest] = argv;
  const errStyle = style(colourEnabled(io, io.stderr));
  const wantsJson = rest.includes('--json');
  const fail = (cmd: string, e: unknown): number => {
    if (wantsJson) {
      io.stdout.write(`${JSON.stringify({ error: errorJson(e) }, null, 2)}\n`);
    } else {
      const label = cmd === '' ? 'jot' : `jot ${cmd}`;
      io.stderr.write(`${errStyle.red(`${label}:`)} ${safeText(messageOf(e))}\n`);
    }
    // JOT_DEBUG=1 shows where an unexpected failure came from (for bug reports).
    if (io.env.JOT_DEBUG && e instanceof Error && e.stack) io.stderr.write(`${e.stack}\n`);
    return exitCodeOf(e);
  };
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? rest[0] : undefined;
    const spec = topic === undefined ? undefined : findCommand(topic);
    if (topic !== undefined && spec === undefined) return fail('', new UsageError(`unknown command "${topic}"`));
    io.stdout.write(spec === undefined ? mainHelp(version) : helpText(spec));
    return name === undefined ? EXIT_USAGE : EXIT_OK;
  }
  if (name === '--version' || name === '-v') {
    io.stdout.write(`jot ${version}\n`);
    return EXIT_OK;
  }
  const spec = findCommand(name);
  if (spec === undefined) {
    return fail('', new UsageError(`unknown command "${name}" (jot --help lists them)`));
  }
  let values: Record<string, string | boolean | string[] | undefined>;
  let positionals: string[];
  try {
    const options = { ...COMMON, ...spec.options };
    const config: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {};
    for (const [k, o] of Object.entries(options)) {
      config[k] = {
        type: o.type,
        ...(o.short === undefined ? {} : { short: o.short }),
        ...(o.multiple ? { multiple: true } : {}),
      };
    }
    const parsed = parseArgs({ args: [...rest], options: config, allowPositionals: true, strict: true });
    values = parsed.values as typeof values;
    positionals = parsed.positionals;
  } catch (e) {
    return fail(name, new UsageError(parseArgsMessage(e)));
  }
  if (values.help === true) {
    io.stdout.write(helpText(spec));
    return EXIT_OK;
  }
  if (positionals.length > spec.maxPositionals) {
    return fail(name, new UsageError(`too many arguments (jot ${name} --help shows the usage)`));
  }
  const json = values.json === true;
  const ctx: Context = {
    io,
    values,
    positionals,
    out: style(colourEnabled(io, io.stdout)),
    err: errStyle,
    json,
    warn: (message) => io.stderr.write(`${errStyle.yellow('warning:')} ${safeText(message)}\n`),
  };
  let command: Command<unknown>;
  try {
    command = (await spec.load()).command;
  } catch (e) {
    return fail(name, e);
  }
  try {
    const result = await command.compute(ctx);
    const code = command.exitCode?.(result) ?? EXIT_OK;
    if (json) io.stdout.write(`${JSON.stringify(command.json ? command.json(result) : result, null, 2)}\n`);
    else io.stdout.write(command.text(result, ctx));
    return code;
  } catch (e) {
    return fail(name, e);
  }
}

/** One line for any failure: the message of our errors, a generic line (no stack) for anything else. */
export function messageOf(e: unknown): string {
  if (e instanceof Error) {
    let msg = e.message.split('\n')[0] ?? '';
    if (msg === '') msg = e.name;
    // A store or network failure names its cause (a driver message: no token, key or secret in it).
    const code = (e as { code?: unknown }).code;
    if ((code === 'ERR_REVOCATION_STORE_UNAVAILABLE' || code === 'ERR_JWKS_FETCH_FAILED') && e.cause instanceof Error) {
      const why = e.cause.message.split('\n')[0];
      if (why && !msg.includes(why)) msg += ` (${why})`;
    }
    return msg;
  }
  return String(e);
}

function errorJson(e: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = { message: messageOf(e) };
  if (typeof e === 'object' && e !== null) {
    const { code, claim, reason } = e as Record<string, unknown>;
    if (typeof code === 'string') out.code = code;
    if (typeof claim === 'string') out.claim = claim;
    if (typeof reason === 'string') out.reason = reason;
    if (e instanceof UsageError) out.code = 'USAGE';
  }
  return out;
}

function parseArgsMessage(e: unknown): string {
  const msg = messageOf(e);
  // parseArgs says e.g. "Unknown option '--foo'. To specify a positional argument starting with a '-', ..."
  const first = msg.split('. ')[0] ?? msg;
  return `${first.replace(/^Unknown option/, 'unknown option').replace(/^Option/, 'option')} (see --help)`;
}
