import { describe, expect, it } from 'vitest';
import { runClusterPrechecks } from '../../../shared/cilium/prechecks/run-prechecks.js';
import { parseCiliumStatusJson } from '../../../shared/cilium/parsers/cilium-status.js';
import type { ClusterFacts } from '../../../shared/cilium/facts/cluster-facts.js';
import { PrecheckResult, type KubeObject } from '../../../shared/plan/index.js';
import type { ChangeSpec } from '../../../shared/spec/index.js';
import { applyPlan, bgpChange, configChange, egressChange, l2Change, onboardSpec, poolChange, prodAFacts, readFixture, specWith } from './cluster-fixtures.js';
import { planCluster } from '../../../shared/cilium/plan/plan-cluster.js';

const everything = () => specWith([bgpChange, poolChange, egressChange, l2Change, configChange]);

function verdictOf(spec: ChangeSpec, facts: ClusterFacts | undefined, id: string): PrecheckResult {
  const found = runClusterPrechecks(spec, facts).filter((r) => r.id === id);
  expect(found.length).toBeGreaterThan(0);
  return found[0] as PrecheckResult;
}

function withFacts(edit: (f: ClusterFacts) => void): ClusterFacts {
  const facts = structuredClone(prodAFacts());
  edit(facts);
  return facts;
}

function withConfig(changes: Record<string, string | undefined>): ClusterFacts {
  return withFacts((f) => {
    for (const [k, v] of Object.entries(changes)) {
      if (v === undefined) delete f.config?.[k];
      else if (f.config) f.config[k] = v;
    }
  });
}

const policy = (name: string, matchLabels: Record<string, string>): KubeObject => ({
  apiVersion: 'cilium.io/v2alpha1', kind: 'CiliumBGPPeeringPolicy', metadata: { name }, spec: { nodeSelector: { matchLabels }, virtualRouters: [] },
});

describe('cluster prechecks on the lab cluster', () => {
  it('pass every rule for a spec using every change type', () => {
    const results = runClusterPrechecks(everything(), prodAFacts());
    expect(results.every((r) => PrecheckResult.safeParse(r).success)).toBe(true);
    expect(results.filter((r) => r.verdict !== 'pass')).toEqual([]);
    expect([...new Set(results.map((r) => r.id))].sort()).toEqual([
      'cluster.bgp.pool-families', 'cluster.config.bgp-control-plane', 'cluster.config.bgp-status-report', 'cluster.config.datapath', 'cluster.config.egress-gateway',
      'cluster.config.ipam-unchanged', 'cluster.config.l2-announcements', 'cluster.config.release-options', 'cluster.conflict.field-manager', 'cluster.crds.present', 'cluster.egress.address-family', 'cluster.l2.client-rate', 'cluster.l2.pool-size',
      'cluster.nodes.bgp-selector', 'cluster.nodes.egress-gateway', 'cluster.pool.bgp-family', 'cluster.pool.overlap', 'cluster.status.healthy',
      'cluster.version.bgp-v2', 'cluster.version.cilium-config', 'cluster.version.egress-gateway', 'cluster.version.l2-announcements',
      'cluster.version.lb-ipam', 'cluster.version.peering-policy-removed',
    ]);
  });

  it('name the matched nodes and the egress gateway Cilium will pick', () => {
    expect(verdictOf(onboardSpec(), prodAFacts(), 'cluster.nodes.bgp-selector').evidence).toBe(
      '4 node(s) match bgp=enabled: prod-a-w1 (192.168.2.11), prod-a-w2 (192.168.2.12), prod-a-w3 (192.168.2.13), prod-a-w4 (192.168.2.14)',
    );
    expect(verdictOf(onboardSpec(), prodAFacts(), 'cluster.nodes.egress-gateway').evidence).toContain('prod-a-w4, as the gateway for 192.168.3.200');
  });

  it('note that Helm owns the cilium-config keys changeflow forces, and pass', () => {
    const r = verdictOf(specWith([configChange]), prodAFacts(), 'cluster.conflict.field-manager');
    expect(r.verdict).toBe('pass');
    expect(r.evidence).toContain('helm owns .data.bpf-lb-algorithm, helm owns .data.bpf-lb-mode; changeflow takes these keys with force on purpose');
  });

  it('still pass after changeflow applied its own objects (re-plan before apply)', () => {
    const applied = applyPlan(prodAFacts(), planCluster(everything(), prodAFacts()));
    expect(runClusterPrechecks(everything(), applied).filter((r) => r.verdict !== 'pass')).toEqual([]);
  });
});

describe('cluster prechecks that fail', () => {
  it.each<[string, ChangeSpec, ClusterFacts, string, RegExp]>([
    ['BGPv2 before 1.16', specWith([bgpChange]), withFacts((f) => { f.ciliumVersion = '1.15.7'; }), 'cluster.version.bgp-v2', /Cilium 1.15.7 < 1.16/],
    ['LB-IPAM blocks before 1.15', specWith([poolChange]), withFacts((f) => { f.ciliumVersion = '1.14.9'; }), 'cluster.version.lb-ipam', /spec.blocks/],
    ['a BGPv1 policy left on 1.19', specWith([bgpChange]), withFacts((f) => { f.ciliumVersion = '1.19.1'; f.objects['CiliumBGPPeeringPolicy/old'] = policy('old', { bgp: 'enabled' }); }), 'cluster.version.peering-policy-removed', /ignores them silently/],
    ['a BGPv1 policy shadowing the peering nodes before 1.19', specWith([bgpChange]), withFacts((f) => { f.objects['CiliumBGPPeeringPolicy/old'] = policy('old', { 'kubernetes.io/hostname': 'prod-a-w3' }); }), 'cluster.version.peering-policy-removed', /takes precedence over BGPv2.*prod-a-w3/],
    ['the BGP control plane off', specWith([bgpChange]), withConfig({ 'enable-bgp-control-plane': 'false' }), 'cluster.config.bgp-control-plane', /enable-bgp-control-plane=false — needs enable-bgp-control-plane=true/],
    ['a BGP password Secret where Cilium does not read it', specWith([{ ...bgpChange, password: { secretRef: 'bgp-a' } }]), withConfig({ 'bgp-secrets-namespace': 'cilium-secrets' }), 'cluster.config.bgp-secrets-namespace', /bgp-secrets-namespace=cilium-secrets, but changeflow writes the Secret aci-prod-a-l3out-bgp-password in the Cilium namespace kube-system/],
    ['status reporting off', specWith([bgpChange]), withConfig({ 'enable-bgp-control-plane-status-report': 'false' }), 'cluster.config.bgp-status-report', /cannot see the sessions/],
    ['egress gateway without BPF masquerading and KPR', specWith([egressChange]), withConfig({ 'enable-bpf-masquerade': 'false', 'kube-proxy-replacement': undefined }), 'cluster.config.egress-gateway', /needs enable-bpf-masquerade=true, kube-proxy-replacement=true/],
    ['L2 announcements off', specWith([l2Change]), withConfig({ 'enable-l2-announcements': 'false' }), 'cluster.config.l2-announcements', /needs enable-l2-announcements=true/],
    ['a missing CRD', specWith([egressChange]), withFacts((f) => { f.crds = f.crds?.filter((c) => c.kind !== 'CiliumEgressGatewayPolicy'); }), 'cluster.crds.present', /CiliumEgressGatewayPolicy is not installed/],
    ['a CRD without the needed version', specWith([poolChange]), withFacts((f) => { const c = f.crds?.find((x) => x.kind === 'CiliumLoadBalancerIPPool'); if (c) c.versions = [{ name: 'v2alpha1', served: true, storage: true }]; }), 'cluster.crds.present', /serves v2alpha1, not v2/],
    ['no node matching the BGP selector', specWith([{ ...bgpChange, nodeSelector: { bgp: 'on' } }]), prodAFacts(), 'cluster.nodes.bgp-selector', /no node matches bgp=on/],
    ['no egress gateway node', specWith([{ ...egressChange, gatewayNodeSelector: { egress: 'yes' } }]), prodAFacts(), 'cluster.nodes.egress-gateway', /would drop/],
    ['a block overlapping a pool someone else made', specWith([{ ...poolChange, blocks: ['10.0.20.128/25'] }]), prodAFacts(), 'cluster.pool.overlap', /10.0.20.128\/25 overlaps 10.0.20.0\/24 of pool pool-blue \(not managed by changeflow\)/],
    ['an L2 policy announcing more than 4096 IPs', specWith([{ ...poolChange, blocks: ['10.1.0.0/19'] }, l2Change]), prodAFacts(), 'cluster.l2.pool-size', /8192 address\(es\), more than the 4096/],
    ['an unhealthy cluster', specWith([poolChange]), withFacts((f) => { f.status = parseCiliumStatusJson(readFixture('status', 'degraded.json')); }), 'cluster.status.healthy', /4\/5 agents ready/],
  ])('on %s', (_what, spec, facts, id, evidence) => {
    const r = verdictOf(spec, facts, id);
    expect(r.verdict).toBe('fail');
    expect(r.evidence).toMatch(evidence);
    expect(r.fix).toBeTruthy();
    expect(r.scope).toBe('cluster');
  });

  it('on an object of the same name changeflow did not create', () => {
    const facts = withFacts((f) => {
      f.objects['CiliumLoadBalancerIPPool/pool-red'] = { ...structuredClone(f.objects['CiliumLoadBalancerIPPool/pool-blue'] as KubeObject), metadata: { ...structuredClone((f.objects['CiliumLoadBalancerIPPool/pool-blue'] as KubeObject).metadata), name: 'pool-red' } };
    });
    const r = verdictOf(specWith([poolChange]), facts, 'cluster.conflict.field-manager');
    expect(r.verdict).toBe('fail');
    expect(r.evidence).toContain('CiliumLoadBalancerIPPool pool-red exists and was not created by changeflow (owners: kubectl-client-side-apply)');
    expect(r.evidence).toContain('kubectl-client-side-apply (Update) owns .spec.blocks = [{"cidr":"10.0.20.0/24"}], the change wants [{"cidr":"10.0.10.0/24"}]');
  });

  it('on cilium-config keys a GitOps controller owns, since it would revert them', () => {
    const facts = withFacts((f) => {
      const cm = f.objects['ConfigMap/kube-system/cilium-config'] as KubeObject;
      (cm.metadata['managedFields'] as unknown[]).push({ manager: 'argocd-controller', operation: 'Apply', fieldsV1: { 'f:data': { 'f:bpf-lb-mode': {} } } });
    });
    const r = verdictOf(specWith([configChange]), facts, 'cluster.conflict.field-manager');
    expect(r.verdict).toBe('fail');
    expect(r.evidence).toContain('argocd-controller (Apply) owns .data.bpf-lb-mode = snat, the change wants dsr and would revert the change');
  });

  it('on removing an object changeflow did not create', () => {
    const r = verdictOf(specWith([{ ...poolChange, name: 'pool-blue', blocks: ['10.0.20.0/24'], state: 'absent' }]), prodAFacts(), 'cluster.conflict.field-manager');
    expect(r.verdict).toBe('fail');
    expect(r.evidence).toContain('CiliumLoadBalancerIPPool pool-blue was not created by changeflow');
  });
});

describe('cluster prechecks that pass on edge cases', () => {
  it('accept a feature the same spec turns on first', () => {
    const spec = specWith([{ type: 'ciliumConfig', settings: { 'enable-bgp-control-plane': 'true' } }, bgpChange]);
    const r = verdictOf(spec, withConfig({ 'enable-bgp-control-plane': 'false' }), 'cluster.config.bgp-control-plane');
    expect(r.verdict).toBe('pass');
    expect(r.evidence).toBe('enable-bgp-control-plane=true (set by changes[0])');
  });

  it('accept the BGP password Secret in kube-system when bgp-secrets-namespace is unset (Cilium\'s default), and check nothing without a password', () => {
    const r = verdictOf(specWith([{ ...bgpChange, password: { secretRef: 'bgp-a' } }]), withConfig({ 'bgp-secrets-namespace': undefined }), 'cluster.config.bgp-secrets-namespace');
    expect([r.verdict, r.evidence]).toEqual(['pass', "bgp-secrets-namespace unset (Cilium's default kube-system): the Secret aci-prod-a-l3out-bgp-password goes to kube-system, where Cilium reads it"]);
    expect(runClusterPrechecks(specWith([bgpChange]), prodAFacts()).map((x) => x.id)).not.toContain('cluster.config.bgp-secrets-namespace');
  });

  it('accept a BGPv1 policy that selects none of the peering nodes before 1.19', () => {
    const facts = withFacts((f) => { f.objects['CiliumBGPPeeringPolicy/lab'] = policy('lab', { rack: 'r9' }); });
    expect(verdictOf(specWith([bgpChange]), facts, 'cluster.version.peering-policy-removed').verdict).toBe('pass');
  });

  it('accept exactly 4096 addresses behind one L2 policy, and ignore pools whose selector cannot match', () => {
    const r = verdictOf(specWith([{ ...poolChange, blocks: ['10.1.0.0/20'] }, l2Change]), prodAFacts(), 'cluster.l2.pool-size');
    expect(r.verdict).toBe('pass');
    expect(r.evidence).toContain('pool-red: 4096 address(es)');
    expect(r.evidence).not.toContain('pool-blue');
  });

  it('skip the pool size rule for an L2 policy that announces only externalIPs', () => {
    const r = verdictOf(specWith([{ ...l2Change, loadBalancerIPs: false, externalIPs: true }]), prodAFacts(), 'cluster.l2.pool-size');
    expect(r).toMatchObject({ verdict: 'pass', evidence: 'the policy announces externalIPs only; no LB-IPAM pool is announced' });
  });
});

describe('cluster prechecks without facts', () => {
  it('say unknown for every rule when no cluster facts were gathered', () => {
    const results = runClusterPrechecks(onboardSpec(), undefined);
    expect(results.length).toBeGreaterThan(10);
    expect(results.filter((r) => r.verdict !== 'unknown')).toEqual([]);
    expect(results.every((r) => r.evidence.startsWith('not known: '))).toBe(true);
  });

  it.each([
    ['cilium-config', withFacts((f) => { delete f.config; }), 'cluster.config.bgp-control-plane'],
    ['the pools', withFacts((f) => { f.listedKinds = f.listedKinds.filter((k) => k !== 'CiliumLoadBalancerIPPool'); delete f.objects['CiliumLoadBalancerIPPool/pool-blue']; }), 'cluster.pool.overlap'],
    ['the CRDs', withFacts((f) => { delete f.crds; }), 'cluster.crds.present'],
    ['the nodes', withFacts((f) => { delete f.nodes; }), 'cluster.nodes.bgp-selector'],
    ['cilium status nor ds/cilium', withFacts((f) => { delete f.status; delete f.objects['DaemonSet/kube-system/cilium']; }), 'cluster.status.healthy'],
    ['the Cilium version', withFacts((f) => { delete f.ciliumVersion; }), 'cluster.version.bgp-v2'],
  ])('say unknown when %s were not collected', (_what, facts, id) => {
    expect(verdictOf(onboardSpec(), facts, id).verdict).toBe('unknown');
  });
});

describe('cluster.status.healthy without cilium status (a submitted change: ds/cilium and deploy/cilium-operator)', () => {
  const daemonSet = (status: Record<string, number>, generation = 3): KubeObject => ({
    apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'cilium', namespace: 'kube-system', generation }, spec: {}, status,
  });
  const operator = (replicas: number, status: Record<string, number>): KubeObject => ({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'cilium-operator', namespace: 'kube-system', generation: 1 }, spec: { replicas }, status,
  });
  const facts = (ds: KubeObject, op?: KubeObject): ClusterFacts => withFacts((f) => {
    delete f.status;
    f.objects['DaemonSet/kube-system/cilium'] = ds;
    if (op) f.objects['Deployment/kube-system/cilium-operator'] = op;
    else delete f.objects['Deployment/kube-system/cilium-operator'];
  });
  const ready = { desiredNumberScheduled: 4, numberReady: 4, updatedNumberScheduled: 4, observedGeneration: 3 };

  it('passes with every agent and operator replica ready, saying where it read that', () => {
    const r = verdictOf(onboardSpec(), facts(daemonSet(ready), operator(2, { readyReplicas: 2, updatedReplicas: 2, observedGeneration: 1 })), 'cluster.status.healthy');
    expect(r.verdict).toBe('pass');
    expect(r.evidence).toBe('4/4 agents ready, operator 2/2 (ds/cilium and deploy/cilium-operator status)');
  });

  it.each([
    ['an agent not ready', daemonSet({ ...ready, numberReady: 3 }), undefined, '1 pods of DaemonSet cilium are not ready (3/4)'],
    ['a rollout of the agents under way', daemonSet({ ...ready, updatedNumberScheduled: 2 }), undefined, 'DaemonSet cilium is rolling out (2/4 pods updated)'],
    ['a new template the controller has not seen yet', daemonSet(ready, 4), undefined, 'DaemonSet cilium is rolling out (4/4 pods updated)'],
    ['no agents scheduled', daemonSet({ desiredNumberScheduled: 0 }), undefined, 'DaemonSet cilium: no pods scheduled'],
    ['the operator with no ready replica (the API omits a zero count)', daemonSet(ready), operator(2, { observedGeneration: 1 }), '2 pods of Deployment cilium-operator are not ready (0/2)'],
  ])('fails with %s, naming it', (_what, ds, op, reason) => {
    const r = verdictOf(onboardSpec(), facts(ds, op), 'cluster.status.healthy');
    expect(r.verdict).toBe('fail');
    expect(r.evidence).toContain(reason);
  });

  it('says unknown for a DaemonSet whose status was never reported', () => {
    const ds = daemonSet(ready);
    delete (ds as { status?: unknown }).status;
    expect(verdictOf(onboardSpec(), facts(ds), 'cluster.status.healthy').verdict).toBe('unknown');
  });

  it('lets the agents\' own report decide when the facts carry cilium status', () => {
    const f = facts(daemonSet({ ...ready, numberReady: 3 }));
    f.status = parseCiliumStatusJson(readFixture('status', 'degraded.json'));
    expect(verdictOf(onboardSpec(), f, 'cluster.status.healthy').evidence).toMatch(/^cilium status reports: /);
  });
});
