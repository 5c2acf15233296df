import * as z from '../../zod.js';
import type { ChangeSpec } from '../../spec/index.js';
import { objectsOfKind } from '../../cilium/facts/kube-lists.js';
import type { ObjectsCheck } from '../kind.js';
import { selectorMatches } from '../../cilium/label-selector.js';

// Verify step for egressGateway. CiliumEgressGatewayPolicy has no status, so this checks what
// can be seen from the API: the policy carries the egress IP (and no interface, which would make
// Cilium ignore it), and a node matches the gateway selector — Cilium picks the first by name.

const Policy = z.looseObject({
  metadata: z.looseObject({ name: z.string() }),
  spec: z.optional(z.looseObject({ egressGateway: z.optional(z.looseObject({ egressIP: z.optional(z.string()), interface: z.optional(z.string()) })) })),
});
const Node = z.looseObject({ metadata: z.looseObject({ name: z.string(), labels: z.optional(z.record(z.string(), z.string())) }) });

export const EgressCheck = z.object({
  name: z.string(),
  state: z.enum(['present', 'absent']),
  found: z.boolean(),
  egressIp: z.optional(z.string()),
  gatewayNode: z.optional(z.string()),
});
export type EgressCheck = z.infer<typeof EgressCheck>;

export const EgressVerdict = z.object({ ok: z.boolean(), policies: z.array(EgressCheck), problems: z.array(z.string()) });
export type EgressVerdict = z.infer<typeof EgressVerdict>;

export function evaluateEgress(spec: ChangeSpec, policies: unknown[], nodes: unknown[]): EgressVerdict {
  const parsed = objectsOfKind(policies, 'CiliumEgressGatewayPolicy', Policy);
  const nodeList = objectsOfKind(nodes, 'Node', Node);
  const checks: EgressCheck[] = [];
  const problems: string[] = [];
  for (const change of spec.changes) {
    if (change.type !== 'egressGateway') continue;
    const policy = parsed.find((p) => p.metadata.name === change.name);
    if (change.state === 'absent') {
      checks.push({ name: change.name, state: 'absent', found: policy !== undefined });
      if (policy) problems.push(`CiliumEgressGatewayPolicy ${change.name} still exists`);
      continue;
    }
    const gateway = nodeList
      .filter((n) => selectorMatches({ matchLabels: change.gatewayNodeSelector }, n.metadata.labels ?? {}))
      .map((n) => n.metadata.name)
      .sort()[0];
    const egressIp = policy?.spec?.egressGateway?.egressIP;
    checks.push({ name: change.name, state: 'present', found: policy !== undefined, ...(egressIp ? { egressIp } : {}), ...(gateway ? { gatewayNode: gateway } : {}) });
    if (!policy) problems.push(`CiliumEgressGatewayPolicy ${change.name} does not exist`);
    else if (egressIp !== change.egressIp) problems.push(`CiliumEgressGatewayPolicy ${change.name} has egressIP ${egressIp ?? '(unset)'}, expected ${change.egressIp}`);
    else if (policy.spec?.egressGateway?.interface) problems.push(`CiliumEgressGatewayPolicy ${change.name} sets both egressIP and interface; Cilium ignores such a policy`);
    if (!gateway) problems.push(`no node matches the gateway selector of ${change.name}: its traffic is dropped`);
  }
  return { ok: problems.length === 0, policies: checks, problems };
}

/** The verify step's check for every egress change: the policies and the nodes they pick. */
export const egressCheck: ObjectsCheck = {
  type: 'objects',
  id: 'egress-gateway',
  when: 'any',
  lists: [{ group: 'cilium.io', kind: 'CiliumEgressGatewayPolicy' }, { group: 'core', kind: 'Node' }],
  evaluate: (spec, [policies = [], nodes = []]) => {
    const v = evaluateEgress(spec, policies, nodes);
    return { ok: v.ok, evidence: v.ok ? v.policies.map((p) => `${p.name} → ${p.egressIp ?? '-'} via ${p.gatewayNode ?? '-'}`).join(', ') : v.problems.join('; ') };
  },
};
