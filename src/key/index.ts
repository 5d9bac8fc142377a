export { exportJwk, exportPem, generateKeyPair, generateSecret, jwkThumbprint, jwkThumbprintUri } from './api.js';
export type { GenerateKeyPairOptions } from './generate.js';
export { type ImportKeyOptions, type KeyMaterial, importKey, type RuntimeKeyObject } from './import.js';
export type { JWK } from './jwk.js';
export { isKey, Key, type KeyOperation, type KeyType, type KeyUse } from './key.js';
