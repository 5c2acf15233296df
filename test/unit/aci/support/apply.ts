import { parseAciFacts, type AciFacts } from '../../../../shared/aci/index.js';
import type { PlanOp } from '../../../../shared/plan/index.js';
import { dc1Facts, dc1Imdata } from './dc1.js';
import { TinyApic } from './tiny-apic.js';

// Running plans against the TinyApic double and reading the facts back, as the agent would.

const policyRoots = ['uni/tn-k8s-prod-a', 'uni/phys-k8s-phys', 'uni/infra/vlanns-[k8s-pool]-static', 'uni/fabric/bgpInstP-default'];
const policyFiles = ['tenant-k8s-prod-a.json', 'phys-domain.json', 'vlan-pools.json', 'fabric-bgp.json'];

export function dc1Apic(): TinyApic {
  return new TinyApic(dc1Facts().mos);
}

export function applyAll(apic: TinyApic, ops: ReadonlyArray<PlanOp>): void {
  for (const op of ops) if (op.request.kind === 'apic') apic.apply(op.request);
}

/** Rollback: every op's inverse requests in order, ops last-first. */
export function rollBack(apic: TinyApic, ops: ReadonlyArray<PlanOp>): void {
  for (const op of [...ops].reverse()) for (const request of op.inverse) if (request.kind === 'apic') apic.apply(request);
}

/** Facts gathered again: the double's policy tree plus dc1's operational answers. */
export function factsOf(apic: TinyApic, extra: unknown[] = []): AciFacts {
  return parseAciFacts([...dc1Imdata(policyFiles), ...policyRoots.flatMap((dn) => apic.imdata(dn)), ...extra], { tenant: 'k8s-prod-a' });
}
