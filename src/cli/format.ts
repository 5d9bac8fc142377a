/** Printing untrusted JSON and times for a terminal: escaped, optionally coloured, times made readable. */
import { type Style, safeText } from './io.js';

/** "14 min", "3 h", "2 d": a rounded span for humans. */
export function span(seconds: number): string {
  const s = Math.abs(seconds);
  if (s < 90) return `${Math.round(s)} s`;
  if (s < 90 * 60) return `${Math.round(s / 60)} min`;
  if (s < 36 * 3600) return `${Math.round(s / 3600)} h`;
  if (s < 730 * 86400) return `${Math.round(s / 86400)} d`;
  return `${Math.round(s / (365.25 * 86400))} y`;
}

export function isoDate(seconds: number): string {
  const ms = seconds * 1000;
  if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) return 'out of range';
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

/** What a time claim means relative to now: "expires in 14 min", "expired 3 h ago". */
export function relative(claim: string, t: number, now: number): string {
  const d = t - now;
  const future = d > 0;
  switch (claim) {
    case 'exp':
      return future ? `expires in ${span(d)}` : `expired ${span(d)} ago`;
    case 'nbf':
      return future ? `not valid for another ${span(d)}` : `valid since ${span(d)} ago`;
    case 'iat':
      return future ? `issued ${span(d)} in the future` : `issued ${span(d)} ago`;
    default:
      return future ? `in ${span(d)}` : `${span(d)} ago`;
  }
}

export const TIME_CLAIMS: ReadonlySet<string> = new Set(['exp', 'nbf', 'iat', 'auth_time', 'updated_at']);

/** A JSON string literal, escaped for the terminal (JSON escapes plus bidi and C1 controls). */
function quoted(s: string): string {
  return `"${safeText(JSON.stringify(s).slice(1, -1))}"`;
}

/**
 * Pretty JSON for a terminal. Every string and key is escaped (E12); numbers under time claims get an
 * ISO date and relative time comment at the top level when `now` is given.
 */
export function prettyJson(value: unknown, st: Style, now?: number, depth = 0): string {
  const pad = '  '.repeat(depth + 1);
  const end = '  '.repeat(depth);
  if (value === null) return st.dim('null');
  if (typeof value === 'string') return st.green(quoted(value));
  if (typeof value === 'number') return st.yellow(String(value));
  if (typeof value === 'boolean') return st.magenta(String(value));
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const items = value.map((v) => `${pad}${prettyJson(v, st, undefined, depth + 1)}`);
    return `[\n${items.join(',\n')}\n${end}]`;
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return '{}';
    const lines = entries.map(([k, v], i) => {
      let line = `${pad}${st.cyan(quoted(k))}: ${prettyJson(v, st, undefined, depth + 1)}${i < entries.length - 1 ? ',' : ''}`;
      if (now !== undefined && depth === 0 && TIME_CLAIMS.has(k) && typeof v === 'number') {
        line += st.dim(`  // ${isoDate(v)} (${relative(k, v, now)})`);
      }
      return line;
    });
    return `{\n${lines.join('\n')}\n${end}}`;
  }
  return st.dim(quoted(String(value)));
}

/** Indented JSON whose string contents are escaped for a terminal (the layout newlines stay). */
export function safeJson(value: unknown): string {
  return (JSON.stringify(value, null, 2) ?? 'null').split('\n').map(safeText).join('\n');
}
