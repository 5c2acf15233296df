export * from './change-facts.js';
export * from './plan-change.js';
