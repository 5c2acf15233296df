export * from './commands.js';
export * from './results.js';
export * from './rollback-steps.js';
export * from './signed-task.js';
