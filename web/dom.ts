/** Small DOM helpers: elements are built with text nodes only (never innerHTML), so nothing pasted can run. */

/** The element with this id (the page's markup is fixed: a missing one is a bug in index.html). */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const e = document.getElementById(id);
  if (e === null) throw new Error(`the page has no #${id}`);
  return e as T;
}

type Child = Node | string | null | undefined | false;

/** An element with attributes and children (strings become text nodes). */
export function el(tag: string, attrs: Record<string, string> = {}, ...children: Child[]): HTMLElement {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const c of children) if (c !== null && c !== undefined && c !== false) e.append(c);
  return e;
}

/** Replaces the children of `target`. */
export function fill(target: HTMLElement, ...children: Child[]): void {
  target.replaceChildren(...children.filter((c): c is Node | string => c !== null && c !== undefined && c !== false));
}

/** An outcome box: a headline and detail lines, coloured by kind (the words carry the meaning, not the colour). */
export function outcome(
  target: HTMLElement,
  kind: 'ok' | 'bad' | 'info',
  headline: string,
  lines: string[] = [],
): void {
  target.className = `outcome ${kind}`;
  fill(
    target,
    el('strong', {}, headline),
    lines.length === 0 ? null : el('ul', {}, ...lines.map((l) => el('li', {}, l))),
  );
}

/** A value of a textarea or input, trimmed. */
export const value = (id: string): string => byId<HTMLInputElement | HTMLTextAreaElement>(id).value.trim();

/** Unix seconds as an ISO date without milliseconds. */
export function isoDate(seconds: number): string {
  const d = new Date(seconds * 1000);
  return Number.isNaN(d.getTime()) ? 'not a date' : d.toISOString().replace('.000Z', 'Z');
}

/** A duration in words: "3 h 5 min", "42 s". */
export function span(seconds: number): string {
  const s = Math.abs(Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  if (s < 86400 * 2) return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  return `${Math.floor(s / 86400)} d ${Math.floor((s % 86400) / 3600)} h`;
}

/** The message of a failure, with its jot error code when it has one. */
export function describeError(e: unknown): string {
  if (e instanceof Error) {
    const code = (e as { code?: unknown }).code;
    return typeof code === 'string' ? `${e.message} (${code})` : e.message;
  }
  return String(e);
}

/** UTF-8 bytes of text. */
export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
