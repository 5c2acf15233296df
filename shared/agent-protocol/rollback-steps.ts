import type { PlanOp } from '../plan/index.js';
import type { RollbackStep, RollbackTarget } from './commands.js';

/**
 * Inverse requests in execution order: cluster ops last-first, then APIC ops last-first, only for
 * the targets whose apply began. Derived by the agent from the signed ops, so a rollback task
 * cannot carry a request the plan did not contain. Inverses are idempotent: undoing an op that
 * never ran is harmless.
 */
export function rollbackSteps(ops: readonly PlanOp[], undo: readonly RollbackTarget[]): RollbackStep[] {
  const of = (target: RollbackTarget): RollbackStep[] =>
    ops
      .filter((op) => op.target === target)
      .reverse()
      .flatMap((op) => op.inverse.map((request, i) => ({ opId: op.id, target, request, readback: i === op.inverse.length - 1 ? op.inverseReadback : [] })));
  return [...(undo.includes('kubernetes') ? of('kubernetes') : []), ...(undo.includes('apic') ? of('apic') : [])];
}
