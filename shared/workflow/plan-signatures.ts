import * as z from '../zod.js';
import { ChangeflowError } from '../errors.js';
import { PlanOp, type Plan } from '../plan/index.js';
import type { PlanSignatures, SignedPlanPayload, SignedStep, TaskSignature } from '../signing/plan-signature.js';
import type { PlanSigner } from '../signing/signer.js';
import { signingBytes } from '../signing/verify.js';
import type { ChangeHandle } from './state.js';

// The plan step signs, once, every task that will change the fabric or cluster for this plan
// (docs/architecture.md §3.6): snapshot, apply-aci, apply-cluster and rollback, each over its own ops. Later
// steps only copy a signature into the task; on AWS only the plan function may use the key.


export interface PlanSigning {
  readonly signer: PlanSigner;
  /** How long the signatures hold: the execution's own time limit, so none outlives its change. */
  readonly ttlSeconds: number;
}

export class PlanSigningUnavailable extends ChangeflowError {
  override readonly name = 'PlanSigningUnavailable' as const;
}

/** The ops each signed step executes, normalised by the PlanOp schema as the agent parses them. */
export function opsForStep(plan: Pick<Plan, 'ops'>, step: SignedStep): PlanOp[] {
  const ops = z.array(PlanOp).parse(plan.ops);
  switch (step) {
    case 'snapshot':
      return [];
    case 'apply-aci':
      return ops.filter((op) => op.target === 'apic');
    case 'apply-cluster':
      return ops.filter((op) => op.target === 'kubernetes');
    case 'rollback':
      return ops;
  }
}

export async function signPlan(signing: PlanSigning | undefined, change: ChangeHandle, plan: Pick<Plan, 'ops' | 'planHash'>, now: Date): Promise<PlanSignatures> {
  if (!signing) {
    throw new PlanSigningUnavailable(
      'no plan-signing key is configured (CHANGEFLOW_PLAN_KMS_KEY_ID on AWS, CHANGEFLOW_PLAN_SIGNING_KEY_FILE locally): the agent runs only signed plans, so nothing can be applied — fix the plan function\'s environment',
    );
  }
  const notAfter = new Date(now.getTime() + signing.ttlSeconds * 1000).toISOString();
  const target = { fabric: change.fabric, cluster: change.cluster };
  const keyId = await signing.signer.keyId();
  const sign = async (step: SignedStep): Promise<TaskSignature> => {
    const payload: SignedPlanPayload = { changeId: change.changeId, site: change.site, step, target, planHash: plan.planHash, ops: opsForStep(plan, step), notAfter };
    return { alg: signing.signer.alg, keyId, value: await signing.signer.sign(signingBytes(payload)) };
  };
  return {
    notAfter,
    target,
    signatures: { snapshot: await sign('snapshot'), 'apply-aci': await sign('apply-aci'), 'apply-cluster': await sign('apply-cluster'), rollback: await sign('rollback') },
  };
}
