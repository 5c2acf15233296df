import type { CommandResult } from '../../shared/agent-protocol/index.js';
import type { PlanOp } from '../../shared/plan/index.js';
import type { CiliumTarget, ClusterClient } from '../cluster/index.js';
import { ciliumAgentGate } from './agent-gate.js';
import type { CommandContext } from '../command-context.js';
import { clusterDevice } from './devices.js';
import { runOps } from './run-ops.js';
import { clusterPreflight, opsTouchDistinctObjects } from './cluster-preflight.js';
import type { SecretValues } from '../secret-values.js';

// Cluster ops in plan order: server-side apply, deletes, rolling restarts. Every object is checked
// before the first write (cluster-preflight.ts: read-backs and dry runs at once) when the ops
// touch different objects; otherwise each apply is dry-run just before it is sent.
export async function clusterApply(client: ClusterClient, cilium: CiliumTarget, command: { ops: readonly PlanOp[] }, ctx: CommandContext, secrets?: SecretValues): Promise<Extract<CommandResult, { type: 'cluster.apply' }>> {
  const rolloutMs = Math.max(5_000, ctx.deadline.getTime() - Date.now() - 5_000);
  const ops = command.ops.map((op) => ({ id: op.id, requests: [op.request], readback: op.readback, alwaysRun: op.action === 'restart' }));
  const gate = ciliumAgentGate(client, cilium, ctx.signal);
  if (!opsTouchDistinctObjects(command.ops)) return { type: 'cluster.apply', ...(await runOps(clusterDevice(client, rolloutMs, gate, secrets), ops, ctx, 'stop')) };
  const preflight = await clusterPreflight(client, command.ops, ctx, secrets);
  if (!preflight.ok) return { type: 'cluster.apply', ok: false, ops: preflight.ops };
  return { type: 'cluster.apply', ...(await runOps(clusterDevice(client, rolloutMs, gate, secrets, true), ops, ctx, 'stop', preflight.alreadyHolds)) };
}
