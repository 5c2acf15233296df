import { describe, expect, it } from 'vitest';
import type { BgpPeerEntryFact } from '../../../shared/aci/index.js';
import { evaluateAciBgp } from '../../../shared/kinds/bgp-peering/verify-fabric.js';
import { dc1Nodes, onboardSpec } from './support/dc1.js';

const entry = (nodeId: number, addr: string, operSt: string, vrf = 'k8s-prod-a:vrf-1'): BgpPeerEntryFact => ({
  nodeId, pod: 1, addr, operSt, vrf, dn: `topology/pod-1/node-${nodeId}/sys/bgp/inst/dom-${vrf}/peer-[192.168.2.0/24]/ent-[${addr}]`,
});

describe('evaluateAciBgp', () => {
  const nodes = dc1Nodes.slice(0, 2);

  it('calls a node established only when every anchor has an established session with it', () => {
    const verdict = evaluateAciBgp(onboardSpec(), [
      entry(101, '192.168.2.11', 'established'), entry(102, '192.168.2.11', 'established'),
      entry(101, '192.168.2.12', 'established'), entry(102, '192.168.2.12', 'active'),
    ], nodes);
    expect(verdict).toEqual({
      established: ['prod-a-w1@101', 'prod-a-w1@102', 'prod-a-w2@101'],
      missing: [],
      notEstablished: [{ node: 'prod-a-w2', addr: '192.168.2.12', operSt: 'active', anchor: 102 }],
    });
  });

  it('reports sessions that do not exist, and ignores sessions in another VRF', () => {
    const verdict = evaluateAciBgp(onboardSpec(), [entry(101, '192.168.2.11', 'established', 'other:vrf'), entry(102, '192.168.2.11', 'established')], nodes.slice(0, 1));
    expect(verdict.missing).toEqual(['prod-a-w1@101']);
    expect(verdict.established).toEqual(['prod-a-w1@102']);
  });

  it('expects nothing from a spec without a present bgpPeering', () => {
    const spec = { ...onboardSpec(), changes: onboardSpec().changes.filter((c) => c.type !== 'bgpPeering') };
    expect(evaluateAciBgp(spec, [], nodes)).toEqual({ established: [], missing: [], notEstablished: [] });
  });
});
