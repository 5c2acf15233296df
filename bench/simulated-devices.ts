import type { LabFacts } from '../test/support/lab-facts.js';
import { rollbackSteps, type AgentTask, type CommandResult } from '../shared/agent-protocol/index.js';
import type { AgentScript, ScriptedAnswer } from '../test/support/workflow-harness.js';
import { sleep } from './figures.js';

// A scripted agent standing in for many fabrics and clusters: facts are gathered once from the
// lab with the agent's own collectors and returned for every target (so prechecks pass and the
// plan has real ops); every other step succeeds after a simulated device time per op, which is
// added up per change so the bench can compare its makespan with the work it had to serialise.

export interface SimulatedDevices {
  readonly script: AgentScript;
  /** Simulated device time spent on this change so far. */
  deviceMs(changeId: string): number;
}

export function simulatedDevices(labs: LabFacts, opMs: number): SimulatedDevices {
  let facts: Promise<CommandResult[]> | undefined;
  const spent = new Map<string, number>();
  const work = async (task: AgentTask, ops: number) => {
    const ms = ops * opMs;
    spent.set(task.changeId, (spent.get(task.changeId) ?? 0) + ms);
    await sleep(ms);
  };
  const now = () => new Date().toISOString();
  const applied = (opId: string) => ({ opId, outcome: 'applied' as const, startedAt: now(), durationMs: opMs, requests: 1, readback: 'matched' as const });

  const script: AgentScript = async (task): Promise<ScriptedAnswer> => {
    const cmd = task.commands[0];
    let results: CommandResult[];
    switch (cmd?.type) {
      case 'aci.collect':
      case 'cluster.collect':
        // Every target has the lab's facts; the commands are the same for every change.
        facts ??= labs.gather(task);
        await work(task, 1);
        return { kind: 'success', results: await facts };
      case 'aci.snapshot':
        await work(task, 1);
        results = [{ type: 'aci.snapshot', snapshotDn: `uni/backupst/snapshots-[uni/fabric/configexp-changeflow]/snapshot-run-${task.changeId}`, fileName: `ce2_changeflow-${task.changeId}.tar.gz`, durationMs: opMs }];
        break;
      case 'aci.apply':
        await work(task, cmd.ops.length);
        results = [{ type: 'aci.apply', ok: true, ops: cmd.ops.map((op) => applied(op.id)) }];
        break;
      case 'cluster.apply':
        await work(task, cmd.ops.length);
        results = [{ type: 'cluster.apply', ok: true, ops: cmd.ops.map((op) => applied(op.id)) }];
        break;
      case 'verify':
        await work(task, 1);
        results = [{ type: 'verify', ok: true, checks: [{ id: 'bgp-fabric', verdict: 'pass', evidence: 'all sessions established (simulated)', durationMs: opMs }] }];
        break;
      case 'rollback':
        await work(task, rollbackSteps(cmd.ops, cmd.undo).length);
        results = [{ type: 'rollback', ok: true, steps: rollbackSteps(cmd.ops, cmd.undo).map((s) => applied(s.opId)) }];
        break;
      default:
        return { kind: 'failure', error: 'UnknownCommand', cause: `the simulated devices have no answer for step ${task.step}` };
    }
    return { kind: 'success', results };
  };
  return { script, deviceMs: (changeId) => spent.get(changeId) ?? 0 };
}
