import { createRequire } from 'node:module';
import { err } from '../errors.js';

const require = createRequire(import.meta.url);

/**
 * Loads an optional peer dependency on first use, so that `jotjs/revocation` itself loads without
 * `better-sqlite3` or `redis` installed.
 */
export function loadOptional<T>(name: string, install: string): T {
  try {
    return require(name) as T;
  } catch (e) {
    throw err('ERR_INVALID_OPTION', `this store needs the optional dependency "${name}": npm install ${install}`, e);
  }
}
