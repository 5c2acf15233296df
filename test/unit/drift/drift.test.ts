import { describe, expect, it } from 'vitest';
import { driftOfPlan, restoreSpecs, type InForce } from '../../../shared/drift/index.js';
import { parseChangeSpec } from '../../../shared/spec/index.js';

// Drift (docs/architecture.md §3.7): the desired state of the changes in force, and the plan
// against live facts read as drift items per target.

const base = {
  apiVersion: 'changeflow/v1',
  kind: 'ChangeSpec',
  target: { site: 'dc1', fabric: 'dc1-aci', cluster: 'prod-a' },
  aci: { tenant: 'k8s-prod-a', vrf: 'vrf-1', l3out: 'prod-a-l3out', physDomain: 'k8s-phys', fabricAsn: 65001 },
};
const pool = (name: string, cidr: string, state?: 'absent') => ({ type: 'loadBalancerPool', name, blocks: [cidr], serviceSelector: { color: name }, externalEpg: 'default_svc', ...(state ? { state } : {}) });
const spec = (...changes: unknown[]) => {
  const parsed = parseChangeSpec({ ...base, changes });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.spec;
};
const inForce = (changeId: string, at: string, ...changes: unknown[]): InForce => ({ changeId, at, spec: spec(...changes) });

describe('restoreSpecs', () => {
  it('joins the changes in force: a later change of the same name wins, a later absent removes, order of success counts', () => {
    const groups = restoreSpecs([
      inForce('c3', '2026-12-03T12:00:00Z', pool('blue', '10.0.11.0/24', 'absent')),
      inForce('c1', '2026-12-01T12:00:00Z', pool('red', '10.0.10.0/24'), pool('blue', '10.0.11.0/24')),
      inForce('c2', '2026-12-02T12:00:00Z', pool('red', '10.0.20.0/24')),
    ]);
    expect(groups).toHaveLength(1);
    expect(groups[0]?.inForce).toEqual(['c1', 'c2', 'c3']);
    expect(groups[0]?.spec.mode).toBe('plan-only');
    expect(groups[0]?.spec.verify.connectivityTest.enabled).toBe(false);
    expect(groups[0]?.spec.changes).toEqual([expect.objectContaining({ name: 'red', blocks: ['10.0.20.0/24'] })]);
  });

  it('has nothing to compare once everything was removed', () => {
    expect(restoreSpecs([inForce('c1', '2026-12-01T00:00:00Z', pool('red', '10.0.10.0/24')), inForce('c2', '2026-12-02T00:00:00Z', pool('red', '10.0.10.0/24', 'absent'))])).toEqual([]);
  });
});

describe('driftOfPlan', () => {
  const targets = { fabric: 'dc1-aci', cluster: 'prod-a' };
  it('reads attribute changes as expected/found, a missing object once, per target', () => {
    const subnet = 'uni/tn-k8s-prod-a/out-prod-a-l3out/instP-default_svc/extsubnet-[10.0.10.0/24]';
    const report = driftOfPlan(
      [
        { sign: '~', ref: subnet },
        { sign: '~', ref: subnet, attribute: 'scope', from: 'export-rtctrl', to: 'import-security' },
        { sign: '+', ref: 'cilium.io/v2/CiliumLoadBalancerIPPool/pool-red' },
        { sign: '+', ref: 'cilium.io/v2/CiliumLoadBalancerIPPool/pool-red', attribute: 'spec.blocks', to: '[{"cidr":"10.0.10.0/24"}]' },
      ],
      targets,
    );
    expect(report).toEqual([
      { target: 'fabric#dc1-aci', drift: [{ domain: 'aci', ref: subnet, path: 'scope', expected: 'import-security', found: 'export-rtctrl' }] },
      { target: 'cluster#prod-a', drift: [{ domain: 'cluster', ref: 'cilium.io/v2/CiliumLoadBalancerIPPool/pool-red', path: '', expected: 'present', found: 'absent' }] },
    ]);
  });

  it('finds no drift in an empty plan', () => {
    expect(driftOfPlan([], targets)).toEqual([{ target: 'fabric#dc1-aci', drift: [] }, { target: 'cluster#prod-a', drift: [] }]);
  });
});
