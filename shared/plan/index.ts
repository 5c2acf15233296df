export * from './plan-op.js';
export * from './plan.js';
export * from './precheck.js';
