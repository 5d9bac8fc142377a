/** `--help` text, generated from the surface table. */
import { COMMANDS, COMMON, type CommandSpec, type OptionSpec } from './surface.js';

function optionLine(name: string, o: OptionSpec): [string, string] {
  const flags = `${o.short === undefined ? '    ' : `-${o.short}, `}--${name}${o.value === undefined ? '' : ` ${o.value}`}`;
  return [flags, o.help + (o.multiple ? ' (repeatable)' : '')];
}

function table(rows: readonly [string, string][]): string {
  const width = Math.min(34, Math.max(...rows.map(([a]) => a.length)));
  return rows.map(([a, b]) => `  ${a.padEnd(width)}  ${b}`).join('\n');
}

export function helpText(spec: CommandSpec): string {
  const opts = table(Object.entries({ ...spec.options, ...COMMON }).map(([k, o]) => optionLine(k, o)));
  return [
    `jot ${spec.name}: ${spec.summary}`,
    '',
    'Usage:',
    ...spec.usage.map((u) => `  ${u}`),
    '',
    'Options:',
    opts,
    ...(spec.notes === undefined ? [] : ['', ...spec.notes]),
    '',
    'Examples:',
    ...spec.examples.map((e) => `  $ ${e}`),
    '',
  ].join('\n');
}

export function mainHelp(version: string): string {
  return [
    `jot ${version}: JSON Web Tokens and the JOSE family from the terminal`,
    '',
    'Usage: jot COMMAND [options]     jot COMMAND --help',
    '',
    'Commands:',
    table(COMMANDS.map((c) => [c.name, c.summary])),
    '',
    'Tokens come from an argument or - (standard input); keys from JWK, JWKS or PEM files; secrets from',
    '--secret-file FILE or --secret-env NAME. --json works everywhere. Exit status: 0 success, 1 rejected',
    'token or high-severity finding, 2 usage error. NO_COLOR turns colours off; JOT_NOW fixes the clock.',
    '',
    'Examples:',
    '  $ jot keygen ES256 --out signing.jwk',
    '  $ jot sign --key signing.jwk --sub user-42 --exp 15m',
    '  $ jot verify "$TOKEN" --key signing.jwk.pub',
    '  $ jot audit "$TOKEN"',
    '',
  ].join('\n');
}
