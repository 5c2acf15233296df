export * from './commands.js';
export * from './results.js';
