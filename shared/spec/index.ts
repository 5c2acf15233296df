export * from './change-spec.js';
export * from './change-types.js';
export * from './change-request.js';
export * from './change-request-document.js';
export * from './issues.js';
export * from './parse.js';
export * from './summary.js';
export { ciliumConfigKeys, configSettingProblem, type Restart } from './cilium-config-keys.js';
