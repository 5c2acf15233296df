import { rollbackSteps, type AgentTask, type CommandResult } from '../../shared/agent-protocol/index.js';
import type { LabFacts } from './lab-facts.js';
import type { ScriptedAnswer } from './workflow-harness.js';

// What a healthy agent answers to each step of the change workflow: real facts from the lab
// emulators, every op applied and read back, verification passing. Tests override single steps.

export type Overrides = Partial<Record<AgentTask['step'], ScriptedAnswer | ((task: AgentTask) => Promise<ScriptedAnswer> | ScriptedAnswer)>>;

export function healthyAnswer(labs: LabFacts, task: AgentTask, overrides: Overrides = {}): Promise<ScriptedAnswer> | ScriptedAnswer {
  const o = overrides[task.step];
  if (o) return typeof o === 'function' ? o(task) : o;
  const cmd = task.commands[0];
  const at = new Date().toISOString();
  const applied = (id: string) => ({ opId: id, outcome: 'applied' as const, startedAt: at, durationMs: 3, requests: 1, readback: 'matched' as const });
  let results: CommandResult[];
  switch (cmd?.type) {
    case 'aci.collect':
      return labs.gather(task).then((r) => ({ kind: 'success', results: r }));
    case 'aci.snapshot':
      results = [{ type: 'aci.snapshot', snapshotDn: 'uni/backupst/snapshots-[uni/fabric/configexp-changeflow]/snapshot-run-2026-11-23T05-00-00', fileName: 'ce2_changeflow-2026-11-23T05-00-00.tar.gz', durationMs: 12 }];
      break;
    case 'aci.apply':
      results = [{ type: 'aci.apply', ok: true, ops: cmd.ops.map((op) => applied(op.id)) }];
      break;
    case 'cluster.apply':
      results = [{ type: 'cluster.apply', ok: true, ops: cmd.ops.map((op) => applied(op.id)) }];
      break;
    case 'verify':
      results = [{ type: 'verify', ok: true, checks: [{ id: 'bgp-fabric', verdict: 'pass', evidence: 'all sessions established', durationMs: 2 }] }];
      break;
    case 'rollback':
      results = [{ type: 'rollback', ok: true, steps: rollbackSteps(cmd.ops, cmd.undo).map((s) => applied(s.opId)) }];
      break;
    default:
      throw new Error(`unexpected task ${task.step}`);
  }
  return { kind: 'success', results };
}
