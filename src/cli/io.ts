/**
 * What a subcommand sees of the outside world: output streams, standard input, environment, clock,
 * an abort signal (Ctrl-C) and the file system root. Tests pass their own; `bin/jot.js` passes the process's.
 */
import { JotError } from '../errors.js';

export interface OutStream {
  write(text: string): void;
  readonly isTTY?: boolean | undefined;
  readonly columns?: number | undefined;
}

export interface Io {
  stdout: OutStream;
  stderr: OutStream;
  /** The whole standard input as text (bounded by the caller). */
  readStdin(maxBytes: number): Promise<string>;
  env: Readonly<Record<string, string | undefined>>;
  /** Current time in Unix seconds; `JOT_NOW` (seconds or an ISO date) fixes it. */
  now(): number;
  /**
   * Ctrl-C: a long task (audit's secret search) registers a handler and stops cleanly when it runs;
   * the returned function unregisters it. With no handler registered, SIGINT ends the process.
   */
  onInterrupt?: ((handler: () => void) => () => void) | undefined;
  /** Working directory for relative paths. */
  cwd: string;
}

/** A usage mistake: a bad flag, argument or input file. Exit status 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The task was carried out and said no (a token rejected, a revoked token, a high finding). Exit status 1. */
export class Rejected extends Error {
  override readonly name = 'Rejected';
}

export const EXIT_OK = 0;
export const EXIT_REJECTED = 1;
export const EXIT_USAGE = 2;

/** The codes that describe the caller's input rather than a token's verdict: exit 2. */
const USAGE_CODES: ReadonlySet<string> = new Set(['ERR_INVALID_OPTION', 'ERR_JWK_INVALID', 'ERR_JWKS_INVALID']);

/** Exit status of a failure. */
export function exitCodeOf(e: unknown): number {
  if (e instanceof UsageError) return EXIT_USAGE;
  if (e instanceof JotError && USAGE_CODES.has(e.code)) return EXIT_USAGE;
  return EXIT_REJECTED;
}

/** Clock from `JOT_NOW` (Unix seconds or an ISO date), else the system clock. */
export function clockFrom(env: Readonly<Record<string, string | undefined>>): () => number {
  const fixed = env.JOT_NOW;
  if (fixed === undefined || fixed === '') return () => Date.now() / 1000;
  const n = /^\d{1,12}(\.\d+)?$/.test(fixed) ? Number(fixed) : Date.parse(fixed) / 1000;
  if (!Number.isFinite(n)) throw new UsageError('JOT_NOW must be Unix seconds or an ISO date');
  return () => n;
}

/** Colours on a TTY only; `NO_COLOR` (any non-empty value) and `TERM=dumb` turn them off, `FORCE_COLOR` on. */
export function colourEnabled(io: Pick<Io, 'env'>, stream: OutStream): boolean {
  const { NO_COLOR, FORCE_COLOR, TERM } = io.env;
  if (NO_COLOR !== undefined && NO_COLOR !== '') return false;
  if (FORCE_COLOR !== undefined && FORCE_COLOR !== '' && FORCE_COLOR !== '0') return true;
  return stream.isTTY === true && TERM !== 'dumb';
}

export interface Style {
  readonly colour: boolean;
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
  magenta(s: string): string;
}

const sgr = (on: string, off: string) => (s: string) => `\u001b[${on}m${s}\u001b[${off}m`;
const plain = (s: string) => s;

export function style(colour: boolean): Style {
  if (!colour) {
    return { colour, bold: plain, dim: plain, red: plain, green: plain, yellow: plain, cyan: plain, magenta: plain };
  }
  return {
    colour,
    bold: sgr('1', '22'),
    dim: sgr('2', '22'),
    red: sgr('31', '39'),
    green: sgr('32', '39'),
    yellow: sgr('33', '39'),
    cyan: sgr('36', '39'),
    magenta: sgr('35', '39'),
  };
}

/**
 * Untrusted text made safe for a terminal (E12): C0 and C1 controls, DEL, and the bidirectional and
 * invisible formatting characters become visible escapes, so a claim cannot move the cursor, clear the
 * screen, write the clipboard (OSC 52), overwrite a line with a carriage return or reorder text.
 */
export function safeText(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g, (c) => {
    const code = c.charCodeAt(0);
    switch (c) {
      case '\n':
        return '\\n';
      case '\r':
        return '\\r';
      case '\t':
        return '\\t';
      default:
        return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
    }
  });
}
