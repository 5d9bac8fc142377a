import { err, JotError } from './errors.js';

/**
 * Read an options object safely: must be a plain object (or undefined), only own properties count,
 * and every name must be known. Returns a null-prototype copy holding the defined values.
 * Throws `ERR_INVALID_OPTION`.
 */
export function readOptions(options: unknown, known: ReadonlySet<string>, what: string): Record<string, unknown> {
  const out = snapshot(options, `${what} options`);
  for (const name in out) {
    if (!known.has(name)) throw err('ERR_INVALID_OPTION', `unknown ${what} option "${name}"`);
  }
  return out;
}

/**
 * Runs `read` over a caller's value and turns whatever it throws (a getter, a Proxy trap, a revoked Proxy, a
 * conversion to a primitive) into `ERR_INVALID_OPTION`: nothing but a JotError escapes, whatever the caller passes.
 */
export function callerRead<T>(read: () => T, what: string): T {
  try {
    return read();
  } catch (e) {
    if (e instanceof JotError) throw e;
    throw err('ERR_INVALID_OPTION', `${what} could not be read`, e);
  }
}

/**
 * The boundary net of every public function: a failure that is not already a JotError can only come from a value
 * the caller passed (a getter or Proxy trap that throws, a revoked Proxy, a value that cannot be converted), since
 * everything jot parses from tokens and keys maps its own failures; it becomes `ERR_INVALID_OPTION`, with the
 * original as its `cause`. The fuzzer counts such an error on token input as a finding.
 */
export function callerError(e: unknown): JotError {
  return e instanceof JotError ? e : err('ERR_INVALID_OPTION', 'an argument could not be used', e);
}

/**
 * A null-prototype copy of a caller's options object (or an empty one for undefined): own enumerable string-keyed
 * members whose value is not undefined, each read once, so later reads can neither throw nor change. Refuses
 * non-objects and arrays; a getter or Proxy trap that throws is `ERR_INVALID_OPTION`.
 */
export function snapshot(options: unknown, what: string): Record<string, unknown> {
  const out = Object.create(null) as Record<string, unknown>;
  if (options === undefined) return out;
  if (typeof options !== 'object' || options === null || callerRead(() => Array.isArray(options), what)) {
    throw err('ERR_INVALID_OPTION', `${what} must be an object`);
  }
  callerRead(() => {
    for (const name of Object.keys(options)) {
      const v = (options as Record<string, unknown>)[name];
      if (v !== undefined) out[name] = v;
    }
  }, what);
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
