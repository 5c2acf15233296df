import { describe, expect, it } from 'vitest';
import { evaluateClusterBgp } from '../../../shared/kinds/bgp-peering/verify-cluster.js';
import { evaluatePools } from '../../../shared/kinds/load-balancer-pool/verify.js';
import { evaluateEgress } from '../../../shared/kinds/egress-gateway/verify.js';
import { bgpChange, egressChange, poolChange, readFixture, specWith } from './cluster-fixtures.js';

const nodeConfig = (node: string, peers: Array<[string, string]>, conditions: unknown[] = []) => ({
  apiVersion: 'cilium.io/v2',
  kind: 'CiliumBGPNodeConfig',
  metadata: { name: node },
  spec: { bgpInstances: [{ name: 'aci', localASN: 64512 }] },
  status: { bgpInstances: [{ name: 'aci', localASN: 64512, peers: peers.map(([peerAddress, peeringState], i) => ({ name: `leaf-10${i + 1}`, peerAddress, peerASN: 65001, peeringState })) }], conditions },
});
const nodes = () => JSON.parse(readFixture('facts/prod-a-1.18', 'nodes.json')) as unknown;

describe('BGP verification from CiliumBGPNodeConfig status', () => {
  const spec = specWith([bgpChange]);
  const up = ['prod-a-w1', 'prod-a-w2', 'prod-a-w3', 'prod-a-w4'].map((n) => nodeConfig(n, [['192.168.2.1', 'established'], ['192.168.2.2', 'established']]));

  it('is established when every selected node has every anchor established', () => {
    const v = evaluateClusterBgp(spec, [{ apiVersion: 'cilium.io/v2', kind: 'CiliumBGPNodeConfigList', items: up }], [nodes()]);
    expect(v).toMatchObject({ established: true, notEstablished: [], missing: [], reconcileErrors: [] });
    expect(v.sessions).toHaveLength(8);
  });

  it('lists sessions that are not established with their state', () => {
    const configs = [...up.slice(0, 3), nodeConfig('prod-a-w4', [['192.168.2.1', 'established'], ['192.168.2.2', 'active']])];
    const v = evaluateClusterBgp(spec, configs, [nodes()]);
    expect(v.established).toBe(false);
    expect(v.notEstablished).toEqual([{ node: 'prod-a-w4', peer: '192.168.2.2', state: 'active' }]);
  });

  it('names a selected node without CiliumBGPNodeConfig and a peer without status', () => {
    const v = evaluateClusterBgp(spec, [up[0], up[1], nodeConfig('prod-a-w3', [['192.168.2.1', 'established']])], [nodes()]);
    expect(v.missing).toEqual([
      'node prod-a-w3: no status for peer 192.168.2.2 (status reporting off, or not reconciled yet)',
      'node prod-a-w4: no CiliumBGPNodeConfig (the operator has not picked up the CiliumBGPClusterConfig for it)',
    ]);
  });

  it('fails on a BGPReconcileError condition even when sessions are up', () => {
    const broken = nodeConfig('prod-a-w1', [['192.168.2.1', 'established'], ['192.168.2.2', 'established']], [{ type: 'cilium.io/BGPReconcileError', status: 'True', message: 'failed to reconcile peer leaf-102' }]);
    const v = evaluateClusterBgp(spec, [broken, ...up.slice(1)]);
    expect(v.established).toBe(false);
    expect(v.reconcileErrors).toEqual([{ node: 'prod-a-w1', message: 'failed to reconcile peer leaf-102' }]);
  });

  it('is not established when nothing at all reports', () => {
    expect(evaluateClusterBgp(spec, []).established).toBe(false);
  });
});

describe('pool verification', () => {
  const pool = (conditions: unknown[]) => ({ apiVersion: 'cilium.io/v2', kind: 'CiliumLoadBalancerIPPool', metadata: { name: 'pool-red' }, spec: {}, status: { conditions } });
  const counts = [
    { type: 'cilium.io/IPsTotal', status: 'Unknown', reason: 'noreason', message: '256' },
    { type: 'cilium.io/IPsAvailable', status: 'Unknown', reason: 'noreason', message: '254' },
    { type: 'cilium.io/IPsUsed', status: 'Unknown', reason: 'noreason', message: '2' },
  ];

  it('reads the IP counts from the condition messages and passes without a conflict', () => {
    const v = evaluatePools(specWith([poolChange]), [pool([{ type: 'cilium.io/PoolConflict', status: 'False', message: '' }, ...counts])]);
    expect(v).toEqual({ ok: true, problems: [], pools: [{ name: 'pool-red', state: 'present', found: true, ipsTotal: 256, ipsAvailable: 254, ipsUsed: 2 }] });
  });

  it('fails on PoolConflict=True with its message, and on a missing pool', () => {
    const conflicting = evaluatePools(specWith([poolChange]), [pool([{ type: 'cilium.io/PoolConflict', status: 'True', message: 'Pool overlaps with CIDR of pool-blue' }])]);
    expect(conflicting.problems).toEqual(['pool pool-red conflicts: Pool overlaps with CIDR of pool-blue']);
    expect(evaluatePools(specWith([poolChange]), []).problems).toEqual(['pool pool-red does not exist']);
  });

  it('checks that an absent pool is gone', () => {
    const v = evaluatePools(specWith([{ ...poolChange, state: 'absent' }]), [pool([])]);
    expect(v).toMatchObject({ ok: false, problems: ['pool pool-red still exists'] });
  });

  it('passes the real captured pool-blue status', () => {
    const objects = JSON.parse(readFixture('facts/prod-a-1.18', 'cilium-objects.json')) as unknown;
    const v = evaluatePools(specWith([{ ...poolChange, name: 'pool-blue', blocks: ['10.0.20.0/24'] }]), [objects]);
    expect(v.pools[0]).toMatchObject({ ipsTotal: 256, ipsAvailable: 255, ipsUsed: 1 });
  });
});

describe('egress verification', () => {
  const policy = (egressGateway: Record<string, string>) => ({ apiVersion: 'cilium.io/v2', kind: 'CiliumEgressGatewayPolicy', metadata: { name: 'frontend-egress' }, spec: { egressGateway } });

  it('passes when the policy carries the egress IP and a node matches the gateway selector', () => {
    const v = evaluateEgress(specWith([egressChange]), [policy({ egressIP: '192.168.3.200' })], [nodes()]);
    expect(v).toEqual({ ok: true, problems: [], policies: [{ name: 'frontend-egress', state: 'present', found: true, egressIp: '192.168.3.200', gatewayNode: 'prod-a-w4' }] });
  });

  it('fails on a wrong egress IP, on egressIP together with interface, and on no gateway node', () => {
    expect(evaluateEgress(specWith([egressChange]), [policy({ egressIP: '192.168.3.201' })], [nodes()]).problems).toEqual(['CiliumEgressGatewayPolicy frontend-egress has egressIP 192.168.3.201, expected 192.168.3.200']);
    expect(evaluateEgress(specWith([egressChange]), [policy({ egressIP: '192.168.3.200', interface: 'eth1' })], [nodes()]).problems[0]).toContain('Cilium ignores such a policy');
    expect(evaluateEgress(specWith([egressChange]), [policy({ egressIP: '192.168.3.200' })], []).problems).toEqual(['no node matches the gateway selector of frontend-egress: its traffic is dropped']);
  });
});
