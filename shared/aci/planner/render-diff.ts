import type { PlanOp } from '../../plan/index.js';

// The terraform-plan-like lines of the APIC ops (STYLE.md "Output people read"):
//   + uni/tn-k8s/out-l3/…/peerP-[192.168.2.0/24]
//   ~ uni/tn-k8s/out-l3/…/as  asn: 64512 → 64520
//   - uni/tn-k8s/out-l3/instP-old

export function renderAciDiff(ops: ReadonlyArray<PlanOp>): string[] {
  return ops
    .filter((op) => op.target === 'apic')
    .flatMap((op) => op.diff.map((d) => (d.attribute === undefined ? `${d.sign} ${d.ref}` : `${d.sign} ${d.ref}  ${d.attribute}: ${show(d.from)} → ${show(d.to)}`)));
}

function show(value: string | undefined): string {
  return value === undefined || value === '' ? '""' : value;
}
