import type { MlDsaProvider } from '../backend.js';

// The runtime's own ML-DSA (`#crypto/ml-dsa`, web). WebCrypto's ML-DSA, where a runtime has it, is asynchronous,
// and the provider interface is synchronous (the sync API of node rests on it): on WebCrypto runtimes ML-DSA is the
// optional pure-JS provider, @noble/post-quantum, loaded by crypto/ml-dsa.ts.

/** No synchronous native ML-DSA on WebCrypto runtimes. */
export function nativeMlDsa(): MlDsaProvider | undefined {
  return undefined;
}
