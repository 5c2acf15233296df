import { commandsOfStep, isMutating, isSignedStep, opsOf, payloadOfTask, type AgentCommand, type AgentTask } from '../shared/agent-protocol/index.js';
import { canonicalHash } from '../shared/canonical-json.js';
import { checkPlanSignature, type TrustedKey } from '../shared/signing/index.js';
import { commandTargets } from './command-context.js';
import { TaskNotSigned, TaskOutsidePlan, TaskSignatureInvalid } from './task-errors.js';

// The agent runs only the approved plan (docs/architecture.md §3.6). Before anything is touched: the step
// carries only its own commands, the task is for this agent's site, and a task that writes
// carries a signature by a trusted key, not expired, over exactly this task's change id, site,
// step, target, plan hash and ops — the signature is checked over the bytes the agent is about
// to execute, so ops changed by one character no longer verify.

export interface TaskAuthority {
  readonly site: string;
  readonly keys: readonly TrustedKey[];
  readonly now: () => Date;
}

const nothingRun = 'nothing was run';

export function authorizeTask(task: AgentTask, authority: TaskAuthority): void {
  if (task.site !== authority.site) {
    throw new TaskOutsidePlan(`the task is for site ${task.site}, this agent serves ${authority.site} on this Activity; ${nothingRun}`);
  }
  const allowed = commandsOfStep[task.step];
  const stray = task.commands.find((c) => !allowed.includes(c.type));
  if (stray) throw new TaskOutsidePlan(`step ${task.step} carries a ${stray.type} command; it may carry only ${allowed.join(', ')} — ${nothingRun}`);
  if (!task.commands.some(isMutating)) return;
  if (!isSignedStep(task.step)) throw new TaskOutsidePlan(`step ${task.step} does not write; ${nothingRun}`);
  if (task.commands.length !== 1) throw new TaskOutsidePlan(`a ${task.step} task carries exactly one command, found ${task.commands.length}; ${nothingRun}`);
  const command = task.commands[0] as AgentCommand;
  if (!task.signature || !task.plan) {
    // An apply or rollback with nothing to do changes nothing: it needs no plan.
    if (command.type !== 'aci.snapshot' && opsOf(command).length === 0) return;
    throw new TaskNotSigned(`a ${task.step} task must carry the plan step's signature (plan, signature); this one has none — ${nothingRun}`);
  }
  const { fabric, cluster } = commandTargets(command);
  const target = task.plan.target;
  if ((fabric !== undefined && fabric !== target.fabric) || (cluster !== undefined && cluster !== target.cluster)) {
    throw new TaskOutsidePlan(`the command writes ${[fabric, cluster].filter(Boolean).join(' and ')}, the signed plan is for ${target.fabric} and ${target.cluster}; ${nothingRun}`);
  }
  // A rollback carries the whole plan: its ops must be the ops the plan hash was taken over.
  if (command.type === 'rollback' && canonicalHash(command.ops) !== task.plan.planHash) {
    throw new TaskOutsidePlan(`the rollback's ops are not the plan ${task.plan.planHash.slice(0, 12)}… (they hash to ${canonicalHash(command.ops).slice(0, 12)}…); ${nothingRun}`);
  }
  const now = authority.now();
  if (Date.parse(task.plan.notAfter) <= now.getTime()) {
    throw new TaskSignatureInvalid(`the signed plan expired at ${task.plan.notAfter} (now ${now.toISOString()}); plan the change again — ${nothingRun}`);
  }
  const check = checkPlanSignature(payloadOfTask({ ...task, plan: task.plan }, task.step, command), task.signature, authority.keys);
  if (!check.valid) throw new TaskSignatureInvalid(`${check.reason}: the task is not the plan that was signed — ${nothingRun}`);
}
