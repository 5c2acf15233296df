import type { PlanOp } from '../../plan/index.js';
import { planTotalsLine } from '../../plan/index.js';

// A cluster plan as terraform-plan-like lines (STYLE.md "Output people read"):
//   + cilium.io/v2/CiliumLoadBalancerIPPool/pool-red
//       + spec.blocks: [{"cidr":"10.0.10.0/24"}]
//   ~ v1/ConfigMap/kube-system/cilium-config
//       ~ data.bpf-lb-algorithm: random → maglev
//   ~ apps/v1/DaemonSet/kube-system/cilium: rolling restart
//   Plan: 1 object to add, 1 to change, 0 to destroy, 1 to restart — in 3 operations (…)

/** Only the cluster's ops: the APIC's are drawn by the ACI renderer (a mixed plan showed them twice). */
export function renderClusterDiff(allOps: ReadonlyArray<PlanOp>): string[] {
  const out: string[] = [];
  const ops = allOps.filter((op) => op.target === 'kubernetes');
  for (const op of ops) {
    const head = op.diff.find((d) => d.attribute === undefined);
    const ref = head?.ref ?? op.diff[0]?.ref ?? op.id;
    if (op.action === 'restart') {
      out.push(`~ ${ref}: rolling restart`);
      continue;
    }
    out.push(`${head?.sign ?? '~'} ${ref}`);
    for (const d of op.diff) {
      if (d.attribute === undefined) continue;
      if (d.sign === '~') out.push(`    ~ ${d.attribute}: ${d.from ?? '(unset)'} → ${d.to ?? '(unset)'}`);
      else if (d.sign === '+') out.push(`    + ${d.attribute}: ${d.to ?? ''}`);
      else out.push(`    - ${d.attribute}: ${d.from ?? ''}`);
    }
  }
  out.push(`Plan: ${planTotalsLine(ops)}.`);
  return out;
}
