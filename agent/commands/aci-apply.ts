import type { ApicClient } from '../apic/client.js';
import type { CommandResult } from '../../shared/agent-protocol/index.js';
import type { PlanOp } from '../../shared/plan/index.js';
import type { CommandContext } from '../command-context.js';
import { apicDevice } from './devices.js';
import { runOps } from './run-ops.js';
import type { SecretValues } from '../secret-values.js';

// APIC ops in plan order (few batched POSTs per tenant), each sent first and read back after: one
// POST and one GET per tenant (issue 14). The POST's statuses make the APIC refuse a write that
// already happened, and only then is it read first (run-ops.ts). Rollback reads before it writes.
export async function aciApply(client: ApicClient, command: { ops: readonly PlanOp[] }, ctx: CommandContext, secrets?: SecretValues): Promise<Extract<CommandResult, { type: 'aci.apply' }>> {
  const ops = command.ops.map((op) => ({ id: op.id, requests: [op.request], readback: op.readback, writeFirst: true }));
  return { type: 'aci.apply', ...(await runOps(apicDevice(client, secrets), ops, ctx, 'stop')) };
}
