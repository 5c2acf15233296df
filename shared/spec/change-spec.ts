import * as z from '../zod.js';
import { ApicName, Asn, TargetName } from './fields.js';
import { Change } from './change-types.js';
import { overlaps, parseCidr, type Prefix } from './addresses.js';
import { checkPeeringInSpec } from '../kinds/bgp-peering/schema.js';
import { checkEgressInSpec } from '../kinds/egress-gateway/schema.js';
import { checkL2InSpec } from '../kinds/l2-announcement/schema.js';
import { unreachable } from '../kinds/unreachable.js';

// ChangeSpec v1 (docs/architecture.md §3.1). This schema is the truth: the CLI's `validate`, the webhook
// intake and the workflow's first step all parse with it.

export const Target = z.strictObject({ site: TargetName, fabric: TargetName, cluster: TargetName });
export type Target = z.infer<typeof Target>;

export const AciContext = z.strictObject({
  tenant: ApicName,
  vrf: ApicName,
  l3out: ApicName,
  physDomain: ApicName,
  /** The L3Out's L3 domain (l3extRsL3DomAtt); optional only when the L3Out already has one. */
  l3Domain: z.optional(ApicName),
  fabricAsn: Asn,
});
export type AciContext = z.infer<typeof AciContext>;

export const Verify = z.strictObject({
  connectivityTest: z.prefault(z.strictObject({
      enabled: z._default(z.boolean(), true),
      tests: z._default(z.array(z.string().check(z.minLength(1))), []),
      timeoutSeconds: z._default(z.int().check(z.gte(60, 'give the connectivity test at least 60 s'), z.lte(21600, 'at most 6 h')), 1800),
    }), {}),
  bgpEstablishedTimeoutSeconds: z._default(z.int().check(z.gte(10), z.lte(3600)), 300),
  /** After verification passes, keep watching this long (absent or 0 = off) and roll back on a regression. */
  observeSeconds: z.optional(z.int().check(z.gte(0), z.lte(86400, 'observe for at most a day'))),
  /** How often the cheap checks re-run while observing (absent = 30). */
  observeIntervalSeconds: z.optional(z.int().check(z.gte(5, 'observe at most every 5 s'), z.lte(3600))),
});
export type Verify = z.infer<typeof Verify>;

export const ChangeSpec = z.strictObject({
    apiVersion: z.literal('changeflow/v1', { error: 'apiVersion must be changeflow/v1' }),
    kind: z.literal('ChangeSpec', { error: 'kind must be ChangeSpec' }),
    target: Target,
    aci: AciContext,
    changes: z.array(Change).check(z.minLength(1, 'list at least one change')),
    verify: z.prefault(Verify, {}),
    mode: z._default(z.enum(['apply', 'plan-only'], { error: 'mode must be apply or plan-only' }), 'apply'),
    /** `required`: after the plan, wait for a person to approve its hash before applying. */
    approval: z.optional(z.enum(['required', 'none'], { error: 'approval must be required or none' })),
    /** How long to wait for the approval (bounded by the ticket window); then REJECTED. */
    approvalTimeoutMinutes: z.optional(z.int().check(z.gte(1), z.lte(10080, 'wait at most 7 days for an approval'))),
  }).check(z.superRefine(checkAcrossFields));
export type ChangeSpec = z.infer<typeof ChangeSpec>;

type Ctx = z.core.$RefinementCtx;

function checkAcrossFields(spec: { changes: Change[]; aci: AciContext }, ctx: Ctx): void {
  checkOnePerSpec(spec.changes, ctx);
  checkUniqueNames(spec.changes, ctx);
  checkPoolOverlaps(spec.changes, ctx);
  spec.changes.forEach((change, i) => {
    // Each kind's own cross-field rule, from its schema file; the switch is exhaustive.
    switch (change.type) {
      case 'bgpPeering': return checkPeeringInSpec(change, i, spec.aci.fabricAsn, ctx);
      case 'egressGateway': return checkEgressInSpec(change, i, ctx);
      case 'l2Announcement': return checkL2InSpec(change, i, ctx);
      case 'loadBalancerPool':
      case 'ciliumConfig':
        return;
      default: return unreachable(change);
    }
  });
}

function checkOnePerSpec(changes: Change[], ctx: Ctx): void {
  for (const type of ['bgpPeering', 'ciliumConfig'] as const) {
    const seen = changes.map((c, i) => [c, i] as const).filter(([c]) => c.type === type);
    for (const [, i] of seen.slice(1)) {
      ctx.addIssue({ code: 'custom', path: ['changes', i, 'type'], message: `only one ${type} change per spec; merge it with changes[${seen[0]?.[1]}]` });
    }
  }
}

function checkUniqueNames(changes: Change[], ctx: Ctx): void {
  const seen = new Map<string, number>();
  changes.forEach((c, i) => {
    if (!('name' in c)) return;
    const key = `${c.type}/${c.name}`;
    const first = seen.get(key);
    if (first !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['changes', i, 'name'], message: `${c.type} "${c.name}" is already defined in changes[${first}]` });
    } else seen.set(key, i);
  });
}

function checkPoolOverlaps(changes: Change[], ctx: Ctx): void {
  const blocks: Array<{ prefix: Prefix; text: string; where: string }> = [];
  changes.forEach((c, i) => {
    if (c.type !== 'loadBalancerPool') return;
    c.blocks.forEach((text, j) => {
      const prefix = parseCidr(text);
      if (!prefix) return; // already reported by the field schema
      const clash = blocks.find((b) => overlaps(b.prefix, prefix));
      if (clash) {
        ctx.addIssue({
          code: 'custom',
          path: ['changes', i, 'blocks', j],
          message: `block ${text} overlaps ${clash.text} in ${clash.where}; LB-IPAM would mark both pools as conflicting`,
        });
      }
      blocks.push({ prefix, text, where: `changes[${i}].blocks[${j}]` });
    });
  });
}
