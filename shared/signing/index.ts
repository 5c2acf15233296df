export * from './plan-signature.js';
export * from './signer.js';
export * from './local-key.js';
export * from './verify.js';
