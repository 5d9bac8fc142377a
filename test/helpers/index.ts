// The test helpers, one import for every suite: encoding, keys, tokens, error matchers, vectors, entry points,
// and the global invariants of the hostile-input suites.
export * from './attack.js';
export * from './encoding.js';
export * from './errors.js';
export * from './keys.js';
export * from './tokens.js';
export * from './vectors.js';
export * from './verifiers.js';
export * from './backend.js';
export * from './timing.js';
