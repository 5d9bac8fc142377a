/** The decoded token: its parts colour-coded, headers and claims pretty-printed, times in words, audit findings. */
import type { AuditReport } from 'jotjs/audit';
import { byId, el, fill, isoDate, span } from './dom.js';

const COMPACT_PARTS: Record<number, string[]> = {
  3: ['header', 'payload', 'signature'],
  5: ['header', 'encrypted key', 'initialization vector', 'ciphertext', 'authentication tag'],
};
const TIME_CLAIMS = new Set(['exp', 'nbf', 'iat', 'auth_time', 'updated_at']);
let ticker: ReturnType<typeof setInterval> | undefined;

/** Stops the "expires in" countdown. */
export function stopCountdown(): void {
  if (ticker !== undefined) clearInterval(ticker);
  ticker = undefined;
}

/** The token's parts, each in its colour with its name (the legend names the colours). */
function parts(token: string, report: AuditReport): void {
  const target = byId('token-parts');
  if (report.serialization !== 'compact') {
    const doc = JSON.parse(token) as Record<string, unknown>;
    fill(
      target,
      ...Object.keys(doc).map((k, i) =>
        el('span', { class: `part part-${i % 5}` }, el('span', { class: 'part-name' }, `${k}: `), short(doc[k])),
      ),
    );
    return;
  }
  const segments = token.split('.');
  const names = COMPACT_PARTS[segments.length] ?? [];
  const nodes: (Node | string)[] = [];
  segments.forEach((s, i) => {
    if (i > 0) nodes.push(el('span', { class: 'dot' }, '.'));
    nodes.push(el('span', { class: `part part-${i}`, title: names[i] ?? '' }, s === '' ? '(empty)' : s));
  });
  const legend = el('ul', { class: 'legend', 'aria-label': 'Parts' });
  names.forEach((n, i) => {
    legend.append(el('li', { class: `part-${i}` }, n));
  });
  fill(target, el('p', { class: 'segments' }, ...nodes), legend);
}

function short(v: unknown): string {
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > 400 ? `${s.slice(0, 400)}...` : s;
}

/** Pretty JSON, with each time claim followed by its date in a comment-like note. */
function pretty(doc: Record<string, unknown>, now: number): HTMLElement {
  const pre = el('pre', { class: 'json', tabindex: '0' });
  const lines = JSON.stringify(doc, null, 2).split('\n');
  for (const line of lines) {
    const m = /^ {2}"([^"]+)": (-?\d+(\.\d+)?),?$/.exec(line);
    pre.append(line);
    if (m !== null && TIME_CLAIMS.has(m[1]!)) {
      const t = Number(m[2]);
      pre.append(el('span', { class: 'note' }, `  // ${isoDate(t)}, ${relative(t, now)}`));
    }
    pre.append('\n');
  }
  return pre;
}

function relative(t: number, now: number): string {
  return t >= now ? `in ${span(t - now)}` : `${span(now - t)} ago`;
}

/** The "expires in" line, kept live. */
function countdown(payload: Record<string, unknown> | undefined): void {
  stopCountdown();
  const target = byId('countdown');
  const exp = payload?.exp;
  if (typeof exp !== 'number' || !Number.isFinite(exp)) {
    fill(target, payload === undefined ? '' : 'No exp claim: this token never expires.');
    return;
  }
  const tick = () => {
    const left = exp - Date.now() / 1000;
    fill(
      target,
      left > 0 ? `Expires in ${span(left)} (${isoDate(exp)}).` : `Expired ${span(-left)} ago (${isoDate(exp)}).`,
    );
    target.className = left > 0 ? 'countdown ok' : 'countdown bad';
  };
  tick();
  ticker = setInterval(tick, 1000);
}

/** Shows everything the report holds; `inner` marks a layer found inside a decrypted JWE. */
export function showReport(token: string, report: AuditReport, prefix = ''): void {
  const now = Date.now() / 1000;
  if (prefix === '') parts(token, report);
  const headers = byId(`${prefix}headers`);
  fill(
    headers,
    ...report.headers.flatMap((h, i) => [
      el(
        'h3',
        {},
        report.headers.length > 1 ? `Header ${i + 1}` : report.type === 'JWE' ? 'Protected header' : 'Header',
      ),
      pretty(h, now),
    ]),
  );
  const claims = byId(`${prefix}claims`);
  if (report.payload !== undefined) fill(claims, el('h3', {}, 'Claims'), pretty(report.payload, now));
  else if (report.type === 'JWE') fill(claims, el('p', {}, 'The claims are encrypted: decrypt below to read them.'));
  else if (report.type === 'JWS') fill(claims, el('p', {}, 'The payload is not a JSON object (not a JWT).'));
  else fill(claims);
  if (prefix === '') countdown(report.payload);
  showFindings(byId(`${prefix}findings`), report);
}

function showFindings(target: HTMLElement, report: AuditReport): void {
  const s = report.summary;
  const total = report.findings.length;
  fill(
    target,
    el(
      'p',
      { class: 'summary' },
      total === 0
        ? 'No findings.'
        : `${total} finding${total === 1 ? '' : 's'}: ${s.high} high, ${s.medium} medium, ${s.low} low, ${s.info} info.`,
    ),
    el(
      'ul',
      { class: 'findings' },
      ...report.findings.map((x) =>
        el(
          'li',
          { class: `finding ${x.severity}`, 'data-id': x.id },
          el('span', { class: 'severity' }, x.severity.toUpperCase()),
          ' ',
          x.message,
          el('br'),
          el('span', { class: 'fix' }, `Fix: ${x.fix}`),
        ),
      ),
    ),
  );
}
