import { rollbackSteps, type CommandResult, type RollbackTarget } from '../../shared/agent-protocol/index.js';
import type { PlanOp } from '../../shared/plan/index.js';
import type { ApicClient } from '../apic/client.js';
import type { CiliumTarget, ClusterClient } from '../cluster/index.js';
import type { CommandContext } from '../command-context.js';
import { ciliumAgentGate } from './agent-gate.js';
import { apicDevice, clusterDevice } from './devices.js';
import { runOps, type Device } from './run-ops.js';
import type { SecretValues } from '../secret-values.js';

// Inverse requests derived from the signed plan's ops (cluster last-op-first, then APIC), each read
// back. A failed inverse does not stop the others: undo as much as possible, then report.
export async function rollback(
  apic: ApicClient,
  cluster: ClusterClient,
  cilium: CiliumTarget,
  command: { ops: readonly PlanOp[]; undo: readonly RollbackTarget[] },
  ctx: CommandContext,
  secrets?: SecretValues,
): Promise<Extract<CommandResult, { type: 'rollback' }>> {
  const rolloutMs = Math.max(5_000, ctx.deadline.getTime() - Date.now() - 5_000);
  const devices: Record<'apic' | 'kubernetes', Device> = { apic: apicDevice(apic, secrets), kubernetes: clusterDevice(cluster, rolloutMs, ciliumAgentGate(cluster, cilium, ctx.signal), secrets) };
  const outcomes = [];
  let ok = true;
  for (const [i, step] of rollbackSteps(command.ops, command.undo).entries()) {
    const op = { id: `${step.opId}#${i}`, requests: [step.request], readback: step.readback, alwaysRun: step.request.kind === 'kubernetes' && (step.request.method === 'restart' || step.request.method === 'restart-nodes') };
    const result = await runOps(devices[step.target], [op], ctx, 'continue');
    outcomes.push(...result.ops);
    ok &&= result.ok;
  }
  return { type: 'rollback', ok, steps: outcomes };
}
