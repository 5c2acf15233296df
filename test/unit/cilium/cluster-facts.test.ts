import { describe, expect, it } from 'vitest';
import { clusterCollectQueries, ClusterQuery } from '../../../shared/cilium/facts/queries.js';
import { ClusterFacts, emptyClusterFacts, objectKey, parseClusterFacts } from '../../../shared/cilium/facts/cluster-facts.js';
import { flattenKubeObjects } from '../../../shared/cilium/facts/kube-lists.js';
import { bgpChange, configChange, egressChange, l2Change, onboardSpec, poolChange, prodAObjects, readFixture, specWith } from './cluster-fixtures.js';

describe('cluster.collect queries', () => {
  it('always asks for nodes, cilium-config, the agent and operator workloads and the CRDs', () => {
    const queries = clusterCollectQueries(specWith([configChange]));
    expect(queries.map((q) => `${q.apiVersion} ${q.kind}${q.namespace ? ` ${q.namespace}` : ''}${q.name ? `/${q.name}` : ''}`)).toEqual([
      'v1 Node',
      'v1 ConfigMap kube-system/cilium-config',
      'apps/v1 DaemonSet kube-system/cilium',
      'apps/v1 Deployment kube-system/cilium-operator',
      'apiextensions.k8s.io/v1 CustomResourceDefinition',
    ]);
    expect(queries.every((q) => ClusterQuery.safeParse(q).success)).toBe(true);
  });

  it('lists whole every Cilium kind the spec touches, BGPv1 policies and LoadBalancer services included', () => {
    const kinds = clusterCollectQueries(specWith([bgpChange, poolChange, egressChange, l2Change])).filter((q) => q.kind.startsWith('Cilium') || q.kind === 'Service');
    expect(kinds.map((q) => q.kind).sort()).toEqual([
      'CiliumBGPAdvertisement', 'CiliumBGPClusterConfig', 'CiliumBGPNodeConfig', 'CiliumBGPPeerConfig', 'CiliumBGPPeeringPolicy',
      'CiliumEgressGatewayPolicy', 'CiliumL2AnnouncementPolicy', 'CiliumLoadBalancerIPPool', 'Service',
    ]);
    expect(kinds.every((q) => q.name === undefined)).toBe(true);
    // Services by the pools' and announcements' selectors, not all 5 000 of a large cluster.
    expect(kinds.filter((q) => q.kind === 'Service').every((q) => q.labelSelector !== undefined)).toBe(true);
    // The version is unknown before collecting: v2 first, v2alpha1 when v2 is not served.
    expect(kinds.find((q) => q.kind === 'CiliumBGPClusterConfig')).toEqual({ apiVersion: 'cilium.io/v2', fallbackApiVersions: ['cilium.io/v2alpha1'], kind: 'CiliumBGPClusterConfig' });
    expect(kinds.find((q) => q.kind === 'CiliumBGPPeeringPolicy')?.apiVersion).toBe('cilium.io/v2alpha1');
  });

  it('looks for Cilium in another namespace when told', () => {
    expect(clusterCollectQueries(onboardSpec(), 'cilium').filter((q) => q.namespace).map((q) => q.namespace)).toEqual(['cilium', 'cilium', 'cilium']);
  });
});

describe('cluster facts', () => {
  const facts = parseClusterFacts(prodAObjects());

  it('reads the Cilium version from the agent image tag and the namespace from the DaemonSet', () => {
    expect(facts.ciliumVersion).toBe('1.18.2');
    expect(facts.ciliumNamespace).toBe('kube-system');
    expect(ClusterFacts.safeParse(facts).success).toBe(true);
  });

  it('keeps cilium-config data, cilium.io CRDs and nodes with labels and InternalIP', () => {
    expect(facts.config?.['enable-bgp-control-plane']).toBe('true');
    expect(facts.crds?.map((c) => c.kind)).toContain('CiliumBGPClusterConfig');
    expect(facts.crds?.some((c) => c.group !== 'cilium.io')).toBe(false);
    expect(facts.crds?.find((c) => c.kind === 'CiliumLoadBalancerIPPool')).toEqual({
      name: 'ciliumloadbalancerippools.cilium.io', group: 'cilium.io', kind: 'CiliumLoadBalancerIPPool', schemaVersion: '1.32.4',
      versions: [{ name: 'v2', served: true, storage: true }, { name: 'v2alpha1', served: true, storage: false }],
    });
    expect(facts.nodes?.map((n) => n.name)).toEqual(['prod-a-cp1', 'prod-a-w1', 'prod-a-w2', 'prod-a-w3', 'prod-a-w4']);
    expect(facts.nodes?.[4]).toEqual({ name: 'prod-a-w4', labels: expect.objectContaining({ bgp: 'enabled', 'egress-gateway': 'true' }), internalIP: '192.168.2.14', podCIDRs: ['10.244.14.0/24'] });
  });

  it('indexes objects by kind/namespace/name with their managedFields, filling apiVersion and kind from typed lists', () => {
    const pool = facts.objects['CiliumLoadBalancerIPPool/pool-blue'];
    expect(pool?.apiVersion).toBe('cilium.io/v2');
    expect(pool?.metadata['managedFields']).toHaveLength(2);
    expect(facts.objects['ConfigMap/kube-system/cilium-config']?.metadata['managedFields']).toBeDefined();
    expect(objectKey({ kind: 'ConfigMap', metadata: { name: 'cilium-config', namespace: 'kube-system' } })).toBe('ConfigMap/kube-system/cilium-config');
  });

  it('remembers which kinds were listed, even when the list was empty', () => {
    expect(facts.listedKinds).toEqual(expect.arrayContaining(['CiliumBGPPeeringPolicy', 'CiliumEgressGatewayPolicy', 'CiliumLoadBalancerIPPool', 'Node', 'CustomResourceDefinition']));
    const lone = parseClusterFacts([{ apiVersion: 'cilium.io/v2', kind: 'CiliumLoadBalancerIPPool', metadata: { name: 'x' }, spec: {} }]);
    expect(lone.listedKinds).toEqual([]);
    expect(lone.objects['CiliumLoadBalancerIPPool/x']).toBeDefined();
  });

  it('keeps only LoadBalancer services', () => {
    expect(Object.keys(facts.objects).filter((k) => k.startsWith('Service/'))).toEqual(['Service/shop/frontend']);
  });

  it('finds cilium status JSON among the documents by its shape and summarises it', () => {
    expect(facts.status).toMatchObject({ healthy: true, desired: 5, ready: 5 });
    const explicit = parseClusterFacts([], JSON.parse(readFixture('status', 'degraded.json')));
    expect(explicit.status?.healthy).toBe(false);
  });

  it('leaves sections undefined when nothing of their kind was captured, and ignores non-Kubernetes documents', () => {
    const partial = parseClusterFacts([{ imdata: [] }, 42, { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' } }]);
    expect(partial.ciliumVersion).toBeUndefined();
    expect(partial.config).toBeUndefined();
    expect(partial.crds).toBeUndefined();
    expect(partial.status).toBeUndefined();
    expect(partial.nodes).toEqual([{ name: 'n1', labels: {} }]);
    expect(emptyClusterFacts()).toEqual({ ciliumNamespace: 'kube-system', objects: {}, listedKinds: [] });
  });

  it('falls back to the operator image, then to the status images, for the version', () => {
    const op = JSON.parse(readFixture('facts/prod-a-1.18', 'cilium-operator.json')) as unknown;
    expect(parseClusterFacts([op]).ciliumVersion).toBe('1.18.2');
    expect(parseClusterFacts([], JSON.parse(readFixture('status', 'healthy.json'))).ciliumVersion).toBe('1.18.2');
  });

  it('flattens nested Lists and arrays of documents', () => {
    const flat = flattenKubeObjects([[{ apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'b' } }] }]]);
    expect(flat.objects.map((o) => o.metadata.name)).toEqual(['a']);
    expect([...flat.listedKinds]).toEqual(['ConfigMap']);
  });
});
