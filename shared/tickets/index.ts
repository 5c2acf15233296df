export * from './writer.js';
export * from './errors.js';
export * from './http.js';
export * from './phase-notes.js';
export * from './servicenow.js';
export * from './jira.js';
export * from './status-readers.js';
