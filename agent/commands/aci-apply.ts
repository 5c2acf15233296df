import type { ApicClient } from '../apic/client.js';
import type { CommandResult, OpOutcome } from '../../shared/agent-protocol/index.js';
import type { ApicRequest, PlanOp, Readback } from '../../shared/plan/index.js';
import type { CommandContext } from '../command-context.js';
import { apicReadbackHolds } from './apic-readback.js';

// Ops in plan order. An op whose read-back already holds is skipped as `unchanged` (so re-running
// a half-applied change is safe); every response body is checked by the client; after each write
// the objects are read back. The first failure stops the step: the rest are `skipped`.

export async function sendApicRequest(client: ApicClient, request: ApicRequest): Promise<void> {
  if (request.method === 'POST') await client.post(request.dn, request.body ?? {});
  else await client.delete(request.dn);
}

export async function runApicOps(
  client: ApicClient,
  ops: ReadonlyArray<{ id: string; requests: readonly ApicRequest[]; readback: readonly Readback[] }>,
  ctx: CommandContext,
): Promise<{ ok: boolean; ops: OpOutcome[] }> {
  const outcomes: OpOutcome[] = [];
  let failed = false;
  for (const op of ops) {
    const startedAt = new Date();
    if (failed) {
      outcomes.push({ opId: op.id, outcome: 'skipped', startedAt: startedAt.toISOString(), durationMs: 0, requests: 0, readback: 'not-checked' });
      continue;
    }
    ctx.checkpoint(op.id);
    let requests = 0;
    try {
      if (op.readback.length > 0 && (await apicReadbackHolds(client, op.readback)).holds) {
        outcomes.push({ opId: op.id, outcome: 'unchanged', startedAt: startedAt.toISOString(), durationMs: Date.now() - startedAt.getTime(), requests, readback: 'matched' });
        continue;
      }
      for (const request of op.requests) {
        requests++;
        await sendApicRequest(client, request);
      }
      const rb = op.readback.length > 0 ? await apicReadbackHolds(client, op.readback) : undefined;
      outcomes.push({
        opId: op.id,
        outcome: rb && !rb.holds ? 'failed' : 'applied',
        startedAt: startedAt.toISOString(),
        durationMs: Date.now() - startedAt.getTime(),
        requests,
        readback: rb ? (rb.holds ? 'matched' : 'mismatch') : 'not-checked',
        detail: rb?.detail,
        error: rb && !rb.holds ? `read-back mismatch: ${rb.detail}` : undefined,
      });
      if (rb && !rb.holds) failed = true;
    } catch (err) {
      failed = true;
      outcomes.push({
        opId: op.id,
        outcome: 'failed',
        startedAt: startedAt.toISOString(),
        durationMs: Date.now() - startedAt.getTime(),
        requests,
        readback: 'not-checked',
        error: `${(err as Error).name}: ${(err as Error).message}`,
      });
    }
  }
  return { ok: !failed, ops: outcomes };
}

export async function aciApply(client: ApicClient, command: { ops: readonly PlanOp[] }, ctx: CommandContext): Promise<Extract<CommandResult, { type: 'aci.apply' }>> {
  const ops = command.ops.map((op) => ({ id: op.id, requests: [op.request].filter((r): r is ApicRequest => r.kind === 'apic'), readback: op.readback }));
  return { type: 'aci.apply', ...(await runApicOps(client, ops, ctx)) };
}
