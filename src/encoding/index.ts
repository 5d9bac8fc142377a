export * from './base64url.js';
export * from './bytes.js';
export * from './json.js';
export * from './utf8.js';
export * from './null-prototype.js';
