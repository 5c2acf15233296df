import type { SignedPlanPayload, SignedStep } from '../signing/plan-signature.js';
import type { AgentCommand, AgentCommandType, AgentStep, AgentTask } from './commands.js';

// Which commands a step may carry, and what of a task its signature covers. One table for the
// plan step (what to sign) and the agent (what to check), so they cannot disagree.

export const commandsOfStep: Readonly<Record<AgentStep, readonly AgentCommandType[]>> = {
  'gather-facts': ['aci.collect', 'cluster.collect'],
  verify: ['verify'],
  observe: ['verify'],
  snapshot: ['aci.snapshot'],
  'apply-aci': ['aci.apply'],
  'apply-cluster': ['cluster.apply'],
  rollback: ['rollback'],
};

export const signedSteps: readonly SignedStep[] = ['snapshot', 'apply-aci', 'apply-cluster', 'rollback'];

const mutating: readonly AgentCommandType[] = ['aci.snapshot', 'aci.apply', 'cluster.apply', 'rollback'];

export function isMutating(command: AgentCommand): boolean {
  return mutating.includes(command.type);
}

export function isSignedStep(step: AgentStep): step is SignedStep {
  return (signedSteps as readonly string[]).includes(step);
}

/** The ops a mutating command executes (a snapshot has none: its policy name is scoped by the agent). */
export function opsOf(command: AgentCommand): readonly unknown[] {
  switch (command.type) {
    case 'aci.apply':
    case 'cluster.apply':
    case 'rollback':
      return command.ops;
    default:
      return [];
  }
}

/** The payload a signed task's signature must verify over, rebuilt from the task itself. */
export function payloadOfTask(task: AgentTask & { plan: NonNullable<AgentTask['plan']> }, step: SignedStep, command: AgentCommand): SignedPlanPayload {
  return {
    changeId: task.changeId,
    site: task.site,
    step,
    target: task.plan.target,
    planHash: task.plan.planHash,
    ops: opsOf(command),
    notAfter: task.plan.notAfter,
  };
}
