export { driftItem, driftOfPlan, DriftItem, DriftReport, TargetDrift } from './report.js';
export { groupId, groupKeyOf, restoreSpecs, type InForce, type RestoreGroup } from './restore-spec.js';
export { startDriftRuns, type DriftRun, type DriftStarter } from './start-runs.js';
