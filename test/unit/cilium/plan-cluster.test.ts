import { describe, expect, it } from 'vitest';
import { assumedCiliumVersion, planCluster } from '../../../shared/cilium/plan/plan-cluster.js';
import { renderClusterDiff } from '../../../shared/cilium/plan/render-diff.js';
import { emptyClusterFacts } from '../../../shared/cilium/facts/cluster-facts.js';
import { PlanOp } from '../../../shared/plan/index.js';
import { applyPlan, bgpChange, configChange, egressChange, l2Change, onboardSpec, poolChange, prodAFacts, rollBack, specWith } from './cluster-fixtures.js';

const specOf = (o: unknown) => (o as { spec?: unknown }).spec;
const dataOf = (o: unknown) => (o as { data?: Record<string, string> }).data;

describe('cluster planner', () => {
  it('creates every object on a fresh cluster, referenced objects first, each undone by a delete', () => {
    const ops = planCluster(onboardSpec(), prodAFacts());
    expect(ops.every((op) => PlanOp.safeParse(op).success)).toBe(true);
    expect(ops.map((o) => o.id)).toEqual([
      'cluster/create/CiliumLoadBalancerIPPool/pool-red',
      'cluster/create/CiliumBGPAdvertisement/lb-pool-red',
      'cluster/create/CiliumBGPPeerConfig/aci-prod-a-l3out',
      'cluster/create/CiliumBGPClusterConfig/aci-prod-a-l3out',
      'cluster/create/CiliumEgressGatewayPolicy/frontend-egress',
    ]);
    const pool = ops[0];
    expect(pool?.request).toMatchObject({ kind: 'kubernetes', method: 'apply', force: false, ref: { apiVersion: 'cilium.io/v2', kind: 'CiliumLoadBalancerIPPool', name: 'pool-red' } });
    expect(pool?.inverse).toEqual([{ kind: 'kubernetes', method: 'delete', ref: { apiVersion: 'cilium.io/v2', kind: 'CiliumLoadBalancerIPPool', name: 'pool-red' } }]);
    expect(pool?.readback[0]).toMatchObject({ target: 'kubernetes', absent: false, fields: { spec: { blocks: [{ cidr: '10.0.10.0/24' }] }, 'metadata.labels': { 'app.kubernetes.io/managed-by': 'changeflow' } } });
    expect(pool?.inverseReadback).toEqual([{ target: 'kubernetes', ref: pool?.request.kind === 'kubernetes' ? pool.request.ref : undefined, absent: true }]);
    expect(ops.map((o) => o.change)).toEqual([1, 1, 0, 0, 2]);
  });

  it('plans nothing against facts taken right after a successful apply', () => {
    const spec = specWith([bgpChange, poolChange, egressChange, l2Change, configChange]);
    const before = prodAFacts();
    const after = applyPlan(before, planCluster(spec, before));
    expect(planCluster(spec, after)).toEqual([]);
  });

  it('ignores what the server adds (status, defaults, uid) when comparing', () => {
    const spec = specWith([poolChange]);
    const after = applyPlan(prodAFacts(), planCluster(spec, prodAFacts()));
    const pool = after.objects['CiliumLoadBalancerIPPool/pool-red'] as unknown as Record<string, unknown> & { spec: Record<string, unknown> };
    pool['status'] = { conditions: [{ type: 'cilium.io/PoolConflict', status: 'False' }] };
    pool.spec['disabled'] = false;
    expect(planCluster(spec, after)).toEqual([]);
  });

  it('modifies a changed object and restores exactly the previous fields on rollback', () => {
    const first = specWith([{ ...poolChange, allowFirstLastIPs: false }]);
    const applied = applyPlan(prodAFacts(), planCluster(first, prodAFacts()));
    const second = specWith([{ ...poolChange, blocks: ['10.0.11.0/24'] }]);
    const ops = planCluster(second, applied);
    expect(ops.map((o) => o.id)).toEqual(['cluster/modify/CiliumLoadBalancerIPPool/pool-red']);
    const op = ops[0] as PlanOp;
    expect(op.diff.map((d) => [d.sign, d.attribute, d.from, d.to])).toEqual([
      ['~', undefined, undefined, undefined],
      ['~', 'spec.blocks', '[{"cidr":"10.0.10.0/24"}]', '[{"cidr":"10.0.11.0/24"}]'],
      ['-', 'spec.allowFirstLastIPs', 'No', undefined],
    ]);
    expect(op.inverse).toHaveLength(1);
    expect(op.inverse[0]).toMatchObject({ method: 'apply', force: false, manifest: { spec: { blocks: [{ cidr: '10.0.10.0/24' }], allowFirstLastIPs: 'No' } } });
    expect(op.inverseReadback[0]).toMatchObject({ fields: { spec: { allowFirstLastIPs: 'No' } } });
    const changed = applyPlan(applied, ops);
    expect(specOf(changed.objects['CiliumLoadBalancerIPPool/pool-red'])).toEqual({ blocks: [{ cidr: '10.0.11.0/24' }], serviceSelector: { matchLabels: { color: 'red' } } });
    const restored = rollBack(changed, ops);
    expect(specOf(restored.objects['CiliumLoadBalancerIPPool/pool-red'])).toEqual(specOf(applied.objects['CiliumLoadBalancerIPPool/pool-red']));
    expect(planCluster(first, restored)).toEqual([]);
  });

  it('deletes what an absent change created, advertisements before pools, and re-creates them on rollback', () => {
    const applied = applyPlan(prodAFacts(), planCluster(specWith([bgpChange, poolChange]), prodAFacts()));
    const ops = planCluster(specWith([{ ...bgpChange, state: 'absent' }, { ...poolChange, state: 'absent' }]), applied);
    expect(ops.map((o) => o.id)).toEqual([
      'cluster/delete/CiliumBGPClusterConfig/aci-prod-a-l3out',
      'cluster/delete/CiliumBGPPeerConfig/aci-prod-a-l3out',
      'cluster/delete/CiliumBGPAdvertisement/lb-pool-red',
      'cluster/delete/CiliumLoadBalancerIPPool/pool-red',
    ]);
    const poolDelete = ops[3] as PlanOp;
    expect(poolDelete.readback).toEqual([{ target: 'kubernetes', ref: { apiVersion: 'cilium.io/v2', kind: 'CiliumLoadBalancerIPPool', name: 'pool-red' }, absent: true }]);
    const manifest = poolDelete.inverse[0]?.kind === 'kubernetes' && poolDelete.inverse[0].method === 'apply' ? poolDelete.inverse[0].manifest : undefined;
    expect(manifest?.metadata).toEqual({ name: 'pool-red', labels: { 'app.kubernetes.io/managed-by': 'changeflow' } });
    expect(manifest).not.toHaveProperty('status');
    const gone = applyPlan(applied, ops);
    expect(Object.keys(gone.objects).filter((k) => k.startsWith('CiliumBGP') || k.endsWith('pool-red'))).toEqual([]);
    const back = rollBack(gone, ops);
    expect(specOf(back.objects['CiliumBGPClusterConfig/aci-prod-a-l3out'])).toEqual(specOf(applied.objects['CiliumBGPClusterConfig/aci-prod-a-l3out']));
    expect(planCluster(specWith([bgpChange, poolChange]), back)).toEqual([]);
  });

  it('plans nothing for an absent change whose objects are already gone', () => {
    expect(planCluster(specWith([{ ...poolChange, state: 'absent' }]), prodAFacts())).toEqual([]);
  });

  it('applies cilium-config with force, restarts the agents after it and restores then restarts on rollback', () => {
    const facts = prodAFacts();
    const ops = planCluster(specWith([configChange]), facts);
    expect(ops.map((o) => o.id)).toEqual(['cluster/modify/ConfigMap/kube-system/cilium-config', 'cluster/restart/DaemonSet/kube-system/cilium']);
    const [config, restart] = ops as [PlanOp, PlanOp];
    expect(config.request).toMatchObject({ method: 'apply', force: true, manifest: { data: { 'bpf-lb-algorithm': 'maglev', 'bpf-lb-mode': 'dsr' } } });
    expect(config.summary).toContain('forced');
    expect(config.inverse).toEqual([
      expect.objectContaining({ method: 'apply', force: true, manifest: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cilium-config', namespace: 'kube-system' }, data: { 'bpf-lb-algorithm': 'random', 'bpf-lb-mode': 'snat' } } }),
      // Datapath keys: the previous values come back node by node, planned before anything runs.
      { kind: 'kubernetes', method: 'restart-nodes', ref: { apiVersion: 'apps/v1', kind: 'DaemonSet', namespace: 'kube-system', name: 'cilium' }, podSelector: 'k8s-app=cilium' },
    ]);
    expect(restart).toMatchObject({ action: 'restart', request: { method: 'restart-nodes', podSelector: 'k8s-app=cilium' }, inverse: [] });
    expect(restart.summary).toBe("restart DaemonSet kube-system/cilium one node at a time, each gated on its agent's health, so the agents read bpf-lb-algorithm, bpf-lb-mode");
    expect(config.diff.filter((d) => d.attribute).map((d) => `${d.attribute}: ${d.from} → ${d.to}`)).toEqual(['data.bpf-lb-algorithm: random → maglev', 'data.bpf-lb-mode: snat → dsr']);
    const applied = applyPlan(facts, ops);
    expect(applied.config).toMatchObject({ 'bpf-lb-algorithm': 'maglev', 'bpf-lb-mode': 'dsr', 'enable-bgp-control-plane': 'true' });
    expect(rollBack(applied, ops).config).toEqual(facts.config);
  });

  it('restarts the operator too when a key needs it, and marks keys that did not exist as absent after rollback', () => {
    const spec = specWith([{ type: 'ciliumConfig', settings: { 'enable-l2-announcements': 'false', 'bpf-lb-acceleration': 'native' } }]);
    const facts = prodAFacts();
    const ops = planCluster(spec, facts);
    expect(ops.map((o) => o.action)).toEqual(['modify', 'restart', 'restart']);
    expect(ops.map((o) => o.request.kind === 'kubernetes' ? o.request.ref.kind : '')).toEqual(['ConfigMap', 'DaemonSet', 'Deployment']);
    // A datapath key among them: the agents restart node by node, the operator as a rollout.
    expect(ops.map((o) => (o.request.kind === 'kubernetes' ? o.request.method : ''))).toEqual(['apply', 'restart-nodes', 'restart']);
    expect(ops[0]?.inverseReadback[0]).toMatchObject({ fields: { data: { 'enable-l2-announcements': 'true', 'bpf-lb-acceleration': null } } });
    const restored = rollBack(applyPlan(facts, ops), ops);
    expect(restored.config).toEqual(facts.config);
  });

  it('only restarts for keys whose value changes, and not at all with restart: none', () => {
    const same = specWith([{ type: 'ciliumConfig', settings: { 'bpf-lb-algorithm': 'maglev', 'enable-bgp-control-plane': 'true' } }]);
    expect(planCluster(same, prodAFacts()).map((o) => o.action)).toEqual(['modify', 'restart']);
    const none = specWith([{ ...configChange, restart: 'none' }]);
    const ops = planCluster(none, prodAFacts());
    expect(ops.map((o) => o.action)).toEqual(['modify']);
    expect(ops[0]?.inverse).toHaveLength(1);
  });

  it('treats cilium-config as a delta: keys an earlier change set are kept, not dropped', () => {
    const first = specWith([configChange]);
    const applied = applyPlan(prodAFacts(), planCluster(first, prodAFacts()));
    const ops = planCluster(specWith([{ type: 'ciliumConfig', settings: { 'bpf-lb-algorithm': 'random' } }]), applied);
    expect(ops[0]?.request).toMatchObject({ manifest: { data: { 'bpf-lb-algorithm': 'random', 'bpf-lb-mode': 'dsr' } } });
    expect(applyPlan(applied, ops).config?.['bpf-lb-mode']).toBe('dsr');
  });

  it('orders config and restarts before the objects that need them', () => {
    const ops = planCluster(specWith([l2Change, poolChange, configChange]), prodAFacts());
    expect(ops.map((o) => o.action === 'restart' ? 'restart' : o.request.kind === 'kubernetes' ? o.request.ref.kind : '')).toEqual([
      'ConfigMap', 'restart', 'CiliumLoadBalancerIPPool', 'CiliumBGPAdvertisement', 'CiliumL2AnnouncementPolicy',
    ]);
  });

  it('plans against an empty cluster with the assumed version and says so', () => {
    const ops = planCluster(onboardSpec(), emptyClusterFacts());
    expect(ops).toHaveLength(5);
    expect(ops.every((o) => o.action === 'create' && o.summary.endsWith(`(assuming Cilium ${assumedCiliumVersion}: no version in the facts)`))).toBe(true);
  });

  it('writes v2alpha1 manifests on a 1.17 cluster', () => {
    const ops = planCluster(specWith([bgpChange]), { ...prodAFacts(), ciliumVersion: '1.17.6' });
    expect(ops.map((o) => o.request.kind === 'kubernetes' ? o.request.ref.apiVersion : '')).toEqual(['cilium.io/v2alpha1', 'cilium.io/v2alpha1']);
  });

  it('renders a terraform-like diff with a one-line total', () => {
    const facts = prodAFacts();
    const lines = renderClusterDiff(planCluster(specWith([poolChange, configChange]), facts));
    expect(lines).toEqual([
      '~ v1/ConfigMap/kube-system/cilium-config',
      '    ~ data.bpf-lb-algorithm: random → maglev',
      '    ~ data.bpf-lb-mode: snat → dsr',
      '~ apps/v1/DaemonSet/kube-system/cilium: rolling restart',
      '+ cilium.io/v2/CiliumLoadBalancerIPPool/pool-red',
      '    + metadata.labels["app.kubernetes.io/managed-by"]: changeflow',
      '    + spec.blocks: [{"cidr":"10.0.10.0/24"}]',
      '    + spec.serviceSelector.matchLabels.color: red',
      '+ cilium.io/v2/CiliumBGPAdvertisement/lb-pool-red',
      '    + metadata.labels["app.kubernetes.io/managed-by"]: changeflow',
      '    + metadata.labels.advertise: changeflow-lb',
      '    + spec.advertisements: [{"advertisementType":"Service","selector":{"matchLabels":{"color":"red"}},"service":{"addresses":["LoadBalancerIP"]}}]',
      'Plan: 2 objects to add, 1 to change, 0 to destroy, 1 to restart — in 4 operations (2 create, 1 modify, 1 restart).',
    ]);
    expect(dataOf(facts.objects['ConfigMap/kube-system/cilium-config'])?.['bpf-lb-algorithm']).toBe('random');
  });
});
