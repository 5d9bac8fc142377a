export { createLocalJwkSet, type JWKS, type JwkSetResolver, type LocalJwkSetOptions, MAX_KID_LENGTH } from './local.js';
