export {
  createLocalJwkSet,
  DEFAULT_MAX_CANDIDATES,
  type JWKS,
  type JwkSetResolver,
  type LocalJwkSetOptions,
  MAX_KID_LENGTH,
} from './local.js';
