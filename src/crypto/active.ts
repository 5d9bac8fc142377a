import type { CryptoBackend } from './backend.js';
import type { JweCryptoBackend } from './jwe-backend.js';
import { nodeBackend } from './node.js';
import { nodeJweBackend } from './node-jwe.js';

// The active backends. The interfaces (backend.ts, jwe-backend.ts) know no implementation; this module picks one,
// so no file of crypto/ imports a file that imports it back.
let current: CryptoBackend = nodeBackend;
let currentJwe: JweCryptoBackend = nodeJweBackend;

/** The active backend. @internal */
export function backend(): CryptoBackend {
  return current;
}

/** Register the backend (done once by the entry module). @internal */
export function setBackend(b: CryptoBackend): void {
  current = b;
}

/** The active JWE backend. @internal */
export function jweBackend(): JweCryptoBackend {
  return currentJwe;
}

/** Register the JWE backend (done once by the entry module, next to `setBackend`). @internal */
export function setJweBackend(b: JweCryptoBackend): void {
  currentJwe = b;
}
