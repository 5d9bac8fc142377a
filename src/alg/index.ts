export * from './jwe.js';
export * from './jws.js';
export * from './known.js';
