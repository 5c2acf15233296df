import type { ChangeSpec } from './change-spec.js';

// The target line of `changeflow validate`; each change's own line is its kind's
// (shared/kinds/summary.ts).

/** Where and how the spec applies: `mode apply · site dc1 · fabric dc1-aci (tenant k8s-prod-a) · cluster prod-a`. */
export function summarizeTarget(spec: ChangeSpec): string {
  const { target, aci } = spec;
  return `mode ${spec.mode} · site ${target.site} · fabric ${target.fabric} (tenant ${aci.tenant}, l3out ${aci.l3out}) · cluster ${target.cluster}`;
}
