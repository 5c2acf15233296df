import type { ApicClient } from '../apic/client.js';
import type { CommandResult } from '../../shared/agent-protocol/index.js';
import type { PlanOp } from '../../shared/plan/index.js';
import type { CommandContext } from '../command-context.js';
import { apicDevice } from './devices.js';
import { runOps } from './run-ops.js';
import type { SecretValues } from '../secret-values.js';

// APIC ops in plan order (few batched POSTs per tenant), each checked and read back.
export async function aciApply(client: ApicClient, command: { ops: readonly PlanOp[] }, ctx: CommandContext, secrets?: SecretValues): Promise<Extract<CommandResult, { type: 'aci.apply' }>> {
  const ops = command.ops.map((op) => ({ id: op.id, requests: [op.request], readback: op.readback }));
  return { type: 'aci.apply', ...(await runOps(apicDevice(client, secrets), ops, ctx, 'stop')) };
}
