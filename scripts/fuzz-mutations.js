/**
 * Mutation primitives and helpers of the fuzz targets (scripts/fuzz-targets.js): structure-aware fast-check
 * arbitraries that change a string at the character level, decoded bytes at the byte level, and JSON objects at the
 * member level (duplicates and `__proto__` included, written as text), plus the outcome classifier.
 */

const B64U = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
/** Characters a byte-level mutation inserts: the token alphabet, separators, lenient-decoder bait, Unicode. */
export const NOISE = `${B64U}.=+/ \t\n\r{}[]"\\:,%\u0000\u00a0\u00e9\u200b\ufeff\ud800\uff21`;
/** Member names that must stay inert (A38) or that name protected-only parameters. */
export const HAZARDS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'alg',
  'enc',
  'zip',
  'crit',
  'b64',
  'kid',
  'jwk',
];
export const NOW = 1_893_456_000; // 2030-01-01T00:00:00Z

export const PROTO_NAMES = Object.getOwnPropertyNames(Object.prototype).length;

/** A JSON literal JSON.stringify cannot write. */
export class Raw {
  constructor(text) {
    this.text = text;
  }
}

/** JSON text of a value; a {@link Raw} is written as is (1e400, which JSON.parse reads as Infinity; 2^53 + 1). */
export const literal = (v) => (v instanceof Raw ? v.text : (JSON.stringify(v) ?? 'null'));

export const enc = new TextEncoder();
export const b64u = (bytes) => Buffer.from(bytes).toString('base64url');
export const unb64u = (s) => new Uint8Array(Buffer.from(s, 'base64url'));
export const jsonB64u = (v) => b64u(enc.encode(JSON.stringify(v)));
export const short = (v) => {
  let s;
  try {
    s = typeof v === 'string' ? v : JSON.stringify(v);
  } catch {
    s = String(v);
  }
  s ??= String(v);
  return s.length > 300 ? `${s.slice(0, 300)}... (${s.length} chars)` : s;
};

/** One of the arbitraries `f(item)`, built once per item (cheaper than `chain`, which rebuilds them per case). */
export const each = (fc, items, f) => fc.oneof(...items.map((x, i) => f(x, i)));

/** Structure-aware mutations, as fast-check arbitraries. */
export function mutations(fc) {
  /** A character-level change of a string: replace, insert, delete, truncate, duplicate a slice. */
  const chars = (s) => {
    const at = (i) => i % (s.length + 1);
    return fc.oneof(
      fc.tuple(fc.nat(), fc.constantFrom(...NOISE)).map(([i, c]) => s.slice(0, at(i)) + c + s.slice(at(i) + 1)),
      fc.tuple(fc.nat(), fc.constantFrom(...NOISE)).map(([i, c]) => s.slice(0, at(i)) + c + s.slice(at(i))),
      fc.nat().map((i) => s.slice(0, at(i)) + s.slice(at(i) + 1)),
      fc.nat().map((i) => s.slice(0, at(i))),
      fc
        .tuple(fc.nat(), fc.nat({ max: 64 }))
        .map(([i, n]) => s.slice(0, at(i)) + s.slice(at(i), at(i) + n) + s.slice(at(i))),
    );
  };
  /** A byte-level change of decoded bytes: flip a bit, set a byte, insert, delete, truncate, extend. */
  const bytes = (b) =>
    fc.oneof(
      fc.tuple(fc.nat(), fc.nat({ max: 7 })).map(([i, bit]) => {
        const c = Uint8Array.from(b);
        if (c.length > 0) c[i % c.length] ^= 1 << bit;
        return c;
      }),
      fc.tuple(fc.nat(), fc.nat({ max: 255 })).map(([i, v]) => {
        const c = Uint8Array.from(b);
        if (c.length > 0) c[i % c.length] = v;
        return c;
      }),
      fc.tuple(fc.nat(), fc.nat({ max: 255 })).map(([i, v]) => {
        i %= b.length + 1;
        return Uint8Array.from([...b.subarray(0, i), v, ...b.subarray(i)]);
      }),
      fc.nat().map((i) => Uint8Array.from([...b].filter((_, j) => j !== i % (b.length || 1)))),
      fc.nat().map((n) => b.subarray(0, n % (b.length + 1))),
      fc.uint8Array({ maxLength: 8 }).map((x) => Uint8Array.from([...b, ...x])),
      fc.constant(new Uint8Array(0)),
    );
  /** A JSON-level change of an object, returned as JSON text (so duplicates and `__proto__` survive). */
  const object = (o) => {
    const keys = Object.keys(o);
    const text = JSON.stringify(o);
    const inject = (name, value) =>
      `${text.slice(0, -1)}${keys.length > 0 ? ',' : ''}${JSON.stringify(name)}:${value}}`;
    const name = fc.oneof(fc.constantFrom(...keys, ...HAZARDS), fc.string({ maxLength: 6 }));
    const value = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.constantFrom(...Object.values(o)),
      fc.double(),
      fc.integer({ min: NOW - 100, max: NOW + 100 }),
    );
    return fc.oneof(
      keys.length === 0
        ? fc.constant(text)
        : fc.constantFrom(...keys).map((k) => JSON.stringify({ ...o, [k]: undefined })),
      fc.tuple(name, value).map(([k, v]) => {
        const c = { ...o };
        if (k === '__proto__') return inject(k, JSON.stringify(v) ?? 'null');
        c[k] = v;
        return JSON.stringify(c);
      }),
      fc.tuple(name, value).map(([k, v]) => inject(k, JSON.stringify(v) ?? 'null')), // a duplicate when k exists
      fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v) ?? 'null'),
      fc.nat({ max: 40 }).map((d) => inject('deep', `${'['.repeat(d)}1${']'.repeat(d)}`)),
      chars(text),
    );
  };
  return { chars, bytes, object };
}

/** Each segment of a dotted token, mutated at one level; the other segments stay. */
export function tokenMutations(fc, m, token) {
  const parts = token.split('.');
  const at = (i, seg) => parts.map((p, j) => (j === i ? seg : p)).join('.');
  const jsonIndexes = parts
    .map((p, i) => {
      try {
        const v = JSON.parse(Buffer.from(p, 'base64url').toString('utf8'));
        return v !== null && typeof v === 'object' && !Array.isArray(v) ? i : -1;
      } catch {
        return -1;
      }
    })
    .filter((i) => i >= 0);
  const arbs = [
    m.chars(token),
    each(fc, parts, (p, i) => m.bytes(unb64u(p)).map((b) => at(i, b64u(b)))),
    fc.shuffledSubarray(parts, { minLength: 1 }).map((p) => p.join('.')),
    fc.array(fc.constantFrom(...parts), { minLength: 1, maxLength: 7 }).map((p) => p.join('.')),
  ];
  if (jsonIndexes.length > 0) {
    arbs.push(
      each(fc, jsonIndexes, (i) => {
        const o = JSON.parse(Buffer.from(parts[i], 'base64url').toString('utf8'));
        return m.object(o).map((t) => at(i, b64u(enc.encode(t))));
      }),
    );
  }
  return fc.oneof(...arbs);
}

/**
 * Run `f`; a thrown value that is not a documented JotError is the finding. So is a failure only the public
 * functions' boundary net caught (message "an argument could not be used"): fuzz inputs are plain data, which
 * cannot make a getter or a Proxy throw, so that is an unmapped internal failure the net merely labelled.
 */
export async function settle(lib, f) {
  try {
    return { ok: true, value: await f() };
  } catch (e) {
    if (e instanceof lib.JotError && e.message === 'an argument could not be used') {
      const c = e.cause;
      return { escape: `masked by the boundary net: ${c?.constructor?.name ?? typeof c}: ${c?.message ?? String(c)}` };
    }
    if (e instanceof lib.JotError && lib.ERROR_CODES.includes(e.code)) return { ok: false, code: e.code };
    return { escape: `${e?.constructor?.name ?? typeof e}: ${e?.message ?? String(e)}` };
  }
}
