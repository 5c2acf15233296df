import type { CommandResult } from '../../shared/agent-protocol/index.js';
import type { PlanOp } from '../../shared/plan/index.js';
import type { CiliumTarget, ClusterClient } from '../cluster/index.js';
import { ciliumAgentGate } from './agent-gate.js';
import type { CommandContext } from '../command-context.js';
import { clusterDevice } from './devices.js';
import { runOps } from './run-ops.js';
import type { SecretValues } from '../secret-values.js';

// Cluster ops in plan order: server-side apply (dry-run first), deletes, rolling restarts.
export async function clusterApply(client: ClusterClient, cilium: CiliumTarget, command: { ops: readonly PlanOp[] }, ctx: CommandContext, secrets?: SecretValues): Promise<Extract<CommandResult, { type: 'cluster.apply' }>> {
  const rolloutMs = Math.max(5_000, ctx.deadline.getTime() - Date.now() - 5_000);
  const ops = command.ops.map((op) => ({ id: op.id, requests: [op.request], readback: op.readback, alwaysRun: op.action === 'restart' }));
  return { type: 'cluster.apply', ...(await runOps(clusterDevice(client, rolloutMs, ciliumAgentGate(client, cilium, ctx.signal), secrets), ops, ctx, 'stop')) };
}
