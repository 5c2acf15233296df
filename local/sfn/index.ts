// Public surface of the local Step Functions runtime (local/sfn/README.md).
export { startLocalSfn, type LocalSfn, type StartLocalSfnOptions } from './start.js';
export { LocalSfnRuntime, type LocalSfnOptions } from './runtime.js';
export type { ActivityInfo, MachineRegistry, RegisteredMachine } from './machine-registry.js';
export {
  loadStackMachines,
  loadTemplateMachines,
  synthStack,
  validateDefinition,
  LocalMachineDef,
  LocalLambdaDef,
  LocalActivityDef,
} from './stack-machines.js';
export { evaluateIntrinsics, localArn, localPhysicalName } from './intrinsics.js';
export { LocalAccount } from './template.js';
export { ExecutionRecord, ExecutionStatus } from './execution-record.js';
export { Alert } from './service-integrations.js';
export { TaskFailure } from './task-failure.js';
export * from './errors.js';
