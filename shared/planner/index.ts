export * from './change-facts.js';
export * from './change-prechecks.js';
export * from './plan-change.js';
