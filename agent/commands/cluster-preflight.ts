import type { OpOutcome } from '../../shared/agent-protocol/index.js';
import type { KubeRequest, PlanOp } from '../../shared/plan/index.js';
import type { ClusterClient, KubeObject } from '../cluster/index.js';
import type { CommandContext } from '../command-context.js';
import { withKubeSecrets, type SecretValues } from '../secret-values.js';
import { kubeReadbackHolds } from './kube-readback.js';

// Before the cluster apply writes anything, all at once: each op's read-back (is it already in
// place? then it is not sent) and a server-side dry run of every object it would apply (would the
// API server store it?). An object the server refuses fails the apply before any object is
// written, not after the ones planned before it; the writes then go one by one in plan order,
// each without a dry run of its own and read back from its own answer. Two round trips for the
// checks instead of two per object (issue 16: a dry-run PATCH and a read per object).
//
// Only for ops that touch different objects: when one op's object is another's (a delete and a
// re-create, an apply and its restart), what the later op finds depends on the earlier one, so
// such a plan runs op by op as before (each apply with its own dry run).

function refKey(ref: { apiVersion?: string; kind: string; name: string; namespace?: string }): string {
  return `${ref.kind}/${ref.namespace ?? ''}/${ref.name}`;
}

/** True when no object is named by two ops (their requests or read-backs). */
export function opsTouchDistinctObjects(ops: readonly PlanOp[]): boolean {
  const seen = new Set<string>();
  for (const op of ops) {
    const mine = new Set<string>();
    if (op.request.kind === 'kubernetes') mine.add(refKey(op.request.ref));
    for (const rb of op.readback) if (rb.target === 'kubernetes') mine.add(refKey(rb.ref));
    for (const key of mine) {
      if (seen.has(key)) return false;
      seen.add(key);
    }
  }
  return true;
}

export type Preflight =
  | { readonly ok: true; /** opId → the op's read-back already holds (it is not sent). */ readonly alreadyHolds: ReadonlyMap<string, boolean> }
  | { readonly ok: false; /** The apply's outcome: the refused op failed, every other skipped. */ readonly ops: OpOutcome[] };

type ApplyRequest = Extract<KubeRequest, { method: 'apply' }>;

/** The apply as it will be sent (secret values filled in), with dryRun=All: nothing is stored. */
async function dryRun(client: ClusterClient, request: ApplyRequest, secrets: SecretValues | undefined): Promise<void> {
  const filled = withKubeSecrets(request, secrets) as ApplyRequest;
  await client.applyServerSide(filled.manifest as KubeObject, { dryRun: true, force: filled.force });
}

export async function clusterPreflight(client: ClusterClient, ops: readonly PlanOp[], ctx: CommandContext, secrets?: SecretValues): Promise<Preflight> {
  ctx.checkpoint('preflight');
  const startedAt = new Date();
  // Requests sent per op (the dry run counts as the op's request, as it did when sent with the
  // write): a read that fails sent none.
  const sent = ops.map(() => 0);
  const looks = await Promise.allSettled(ops.map(async (op, i) => {
    const holds = op.action !== 'restart' && op.readback.length > 0 ? (await kubeReadbackHolds(client, op.readback)).holds : false;
    // An op already in place is not sent, so whether the server would take it again does not matter.
    if (!holds && op.request.kind === 'kubernetes' && op.request.method === 'apply') {
      sent[i] = 1;
      await dryRun(client, op.request, secrets);
    }
    return holds;
  }));
  // The first refusal in plan order names the apply's failure, whichever answered first.
  const refusedAt = looks.findIndex((l) => l.status === 'rejected');
  const refusal = looks[refusedAt];
  if (refusal?.status !== 'rejected') {
    return { ok: true, alreadyHolds: new Map(ops.map((op, i) => [op.id, looks[i]?.status === 'fulfilled' && looks[i].value])) };
  }
  const err = refusal.reason as Error;
  if (ctx.signal.aborted) throw err;
  const durationMs = Date.now() - startedAt.getTime();
  return {
    ok: false,
    ops: ops.map((op, i): OpOutcome => (i === refusedAt
      ? { opId: op.id, outcome: 'failed', startedAt: startedAt.toISOString(), durationMs, requests: sent[i] ?? 0, readback: 'not-checked', error: `${err.name}: ${err.message} (checked before any write: nothing of this apply was written)` }
      : { opId: op.id, outcome: 'skipped', startedAt: startedAt.toISOString(), durationMs: 0, requests: 0, readback: 'not-checked' })),
  };
}
