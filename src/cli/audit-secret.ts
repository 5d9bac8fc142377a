/**
 * The weak-secret part of `jot audit` (attack class A13): a dictionary search for an HMAC token's
 * secret over the bundled list of well-known secrets plus `--wordlist FILE`, with a progress bar on a
 * TTY, and a rating of a secret on its own (length, estimated entropy, wordlist).
 */
import { createHmac } from 'node:crypto';
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageFile } from '../debugger/package-dir.js';
import type { Context } from './command.js';
import { UsageError } from './io.js';

/** The wordlist shipped with jot (package "files": data/). */
const bundledWordlist = (): URL => packageFile('data/weak-secrets.txt', import.meta.url);

export interface CrackTarget {
  signingInput: string;
  signature: Buffer;
  /** node:crypto hash name of the HMAC. */
  hash: string;
}

export interface CrackResult {
  found?: string;
  /** Where the secret was found. */
  foundIn?: string;
  tried: number;
  stopped: boolean;
  lists: string[];
}

function bundledWords(): string[] {
  return readFileSync(fileURLToPath(bundledWordlist()), 'utf8')
    .split('\n')
    .filter((w) => w !== '');
}

/** The bundled list as a set, for rating a secret. */
export function bundledSet(): ReadonlySet<string> {
  return new Set(bundledWords());
}

function matches(t: CrackTarget, candidate: string): boolean {
  return createHmac(t.hash, candidate).update(t.signingInput).digest().equals(t.signature);
}

/** A progress line drawn on standard error when it is a terminal. */
class Progress {
  #last = 0;
  #start = Date.now();
  constructor(
    private readonly ctx: Context,
    private readonly label: string,
    private readonly totalBytes: number,
  ) {}

  get enabled(): boolean {
    return this.ctx.io.stderr.isTTY === true;
  }

  draw(doneBytes: number, tried: number, final?: 'done' | 'found' | 'stopped'): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (final === undefined && now - this.#last < 100 && this.#last !== 0) return;
    this.#last = now;
    const frac = this.totalBytes > 0 ? Math.min(1, doneBytes / this.totalBytes) : 1;
    const width = 24;
    const filled = Math.round(frac * width);
    const secs = Math.max(0.001, (now - this.#start) / 1000);
    const rate = tried / secs;
    const left = frac > 0 && frac < 1 ? (secs / frac) * (1 - frac) : 0;
    const st = this.ctx.err;
    const bar = st.cyan('#'.repeat(filled)) + st.dim('-'.repeat(width - filled));
    const eta = final ?? (frac >= 1 ? 'done' : frac === 0 ? 'estimating' : `~${formatSecs(left)} left`);
    this.ctx.io.stderr.write(
      `\r${this.label} [${bar}] ${String(Math.round(frac * 100)).padStart(3)}%  ${tried.toLocaleString('en-US')} tried  ${formatRate(rate)}/s  ${eta}\u001b[K${final === undefined ? '' : '\n'}`,
    );
  }
}

function formatSecs(s: number): string {
  if (s < 60) return `${Math.ceil(s)} s`;
  if (s < 3600) return `${Math.ceil(s / 60)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}

function formatRate(r: number): string {
  if (r >= 1e6) return `${(r / 1e6).toFixed(1)}M`;
  if (r >= 1e3) return `${Math.round(r / 1e3)}k`;
  return String(Math.round(r));
}

/** Search the bundled list, then `wordlist` (streamed line by line). Ctrl-C stops with what was tried. */
export async function crackHmac(ctx: Context, target: CrackTarget, wordlist: string | undefined): Promise<CrackResult> {
  const result: CrackResult = { tried: 0, stopped: false, lists: ['bundled'] };
  let stop = false;
  const off = ctx.io.onInterrupt?.(() => {
    stop = true;
  });
  try {
    const words = bundledWords();
    const bundledProgress = new Progress(ctx, 'bundled list', words.length);
    bundledProgress.draw(0, 0);
    for (const w of words) {
      result.tried++;
      if (matches(target, w)) {
        result.found = w;
        result.foundIn = 'the bundled list of well-known secrets';
        break;
      }
    }
    bundledProgress.draw(
      result.found === undefined ? words.length : result.tried,
      result.tried,
      result.found === undefined ? 'done' : 'found',
    );
    if (result.found !== undefined || wordlist === undefined) return result;
    const path = resolve(ctx.io.cwd, wordlist);
    let size: number;
    try {
      const st = statSync(path);
      if (!st.isFile()) throw new UsageError(`wordlist ${wordlist} is not a file`);
      size = st.size;
    } catch (e) {
      if (e instanceof UsageError) throw e;
      throw new UsageError(
        `cannot read wordlist ${wordlist}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : 'unreadable'}`,
      );
    }
    result.lists.push(wordlist);
    const progress = new Progress(ctx, 'wordlist', size);
    progress.draw(0, result.tried);
    let done = 0;
    let rest = '';
    const stream = createReadStream(path, { highWaterMark: 1 << 16 });
    try {
      outer: for await (const chunk of stream as AsyncIterable<Buffer>) {
        if (stop) break;
        done += chunk.length;
        const text = rest + chunk.toString('utf8');
        const lines = text.split('\n');
        rest = lines.pop() ?? '';
        // A line longer than 64 KiB is no password: drop it rather than let it grow.
        if (rest.length > 1 << 16) rest = '';
        for (const raw of lines) {
          const w = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
          if (w === '') continue;
          result.tried++;
          if (matches(target, w)) {
            result.found = w;
            result.foundIn = wordlist;
            break outer;
          }
        }
        progress.draw(done, result.tried);
        // Let a pending SIGINT run between chunks.
        await new Promise((r) => setImmediate(r));
      }
      if (!stop && result.found === undefined && rest !== '') {
        const w = rest.endsWith('\r') ? rest.slice(0, -1) : rest;
        result.tried++;
        if (matches(target, w)) {
          result.found = w;
          result.foundIn = wordlist;
        }
      }
    } finally {
      stream.destroy();
    }
    result.stopped = stop;
    progress.draw(
      stop || result.found !== undefined ? done : size,
      result.tried,
      stop ? 'stopped' : result.found !== undefined ? 'found' : 'done',
    );
    return result;
  } finally {
    off?.();
  }
}

export interface SecretRating {
  bytes: number;
  /** Estimated entropy in bits (character classes times length; an upper bound for human text). */
  entropyBits: number;
  inWordlist: boolean;
  printable: boolean;
}

/** Length, estimated entropy and wordlist membership of a secret. */
export function rateSecret(secret: Uint8Array, known: ReadonlySet<string>): SecretRating {
  const text = Buffer.from(secret).toString('utf8');
  const printable = /^[\x20-\x7e]*$/.test(text);
  let alphabet = 256;
  if (printable) {
    alphabet = 0;
    if (/[a-z]/.test(text)) alphabet += 26;
    if (/[A-Z]/.test(text)) alphabet += 26;
    if (/[0-9]/.test(text)) alphabet += 10;
    if (/[^a-zA-Z0-9]/.test(text)) alphabet += 33;
    // Hex or base64 text encodes fewer bits per character than its classes suggest.
    if (/^[0-9a-f]+$/i.test(text)) alphabet = 16;
  }
  const distinct = new Set(secret).size;
  const perChar = Math.log2(Math.max(2, Math.min(alphabet, distinct * 2)));
  const entropyBits = Math.round(secret.length * perChar);
  return { bytes: secret.length, entropyBits, inWordlist: known.has(text), printable };
}
