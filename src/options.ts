import { err } from './errors.js';

/**
 * Read an options object safely: must be a plain object (or undefined), only own properties count,
 * and every name must be known. Returns a null-prototype copy holding the defined values.
 * Throws `ERR_INVALID_OPTION`.
 */
export function readOptions(options: unknown, known: ReadonlySet<string>, what: string): Record<string, unknown> {
  const out = Object.create(null) as Record<string, unknown>;
  if (options === undefined) return out;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw err('ERR_INVALID_OPTION', `${what} options must be an object`);
  }
  for (const name of Object.keys(options)) {
    if (!known.has(name)) throw err('ERR_INVALID_OPTION', `unknown ${what} option "${name}"`);
    const v = (options as Record<string, unknown>)[name];
    if (v !== undefined) out[name] = v;
  }
  return out;
}

/** A positive safe integer option within [min, max], or the default. */
export function intOption(value: unknown, name: string, dflt: number, min: number, max: number): number {
  if (value === undefined) return dflt;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    throw err('ERR_INVALID_OPTION', `${name} must be an integer from ${min} to ${max}`);
  }
  return value;
}
