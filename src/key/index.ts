export { exportJwk, exportPem, jwkThumbprint, jwkThumbprintUri } from './export.js';
export { type GenerateKeyPairOptions, generateKeyPair, generateSecret } from './generate.js';
export { type ImportKeyOptions, type KeyMaterial, importKey, type RuntimeKeyObject } from './import.js';
export type { JWK } from './jwk.js';
export { isKey, Key, type KeyOperation, type KeyType, type KeyUse } from './key.js';
