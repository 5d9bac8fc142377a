/** The shape of a subcommand: compute returns data; text and json print it. */
import type { Io, Style } from './io.js';

export type Values = Readonly<Record<string, string | boolean | string[] | undefined>>;

export interface Context {
  readonly io: Io;
  readonly values: Values;
  readonly positionals: readonly string[];
  /** Styling for standard output (colours only on a TTY, NO_COLOR honoured). */
  readonly out: Style;
  /** Styling for standard error. */
  readonly err: Style;
  /** A one-line warning on standard error. */
  warn(message: string): void;
  readonly json: boolean;
}

export interface Command<R> {
  compute(ctx: Context): Promise<R>;
  /** Human text for standard output (untrusted parts already escaped). */
  text(result: R, ctx: Context): string;
  /** The `--json` document (default: the result itself). */
  json?(result: R): unknown;
  /** Exit status of a result (default 0). */
  exitCode?(result: R): number;
}

/** A string option, or undefined. */
export function str(values: Values, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

/** A repeatable string option, as a list (possibly empty). */
export function list(values: Values, name: string): string[] {
  const v = values[name];
  if (Array.isArray(v)) return v;
  return typeof v === 'string' ? [v] : [];
}

export function flag(values: Values, name: string): boolean {
  return values[name] === true;
}
