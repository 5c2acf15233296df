import { describe, expect, it } from 'vitest';
import { changeKinds, kindList } from '../../../shared/kinds/registry.js';
import { kindVerifications, verifyPartOf } from '../../../shared/kinds/verify-registry.js';
import { Change } from '../../../shared/spec/index.js';

// The registry is the one list of kinds: the ChangeSpec union and the registry name the same
// types, each entry is filed under its own type, and the verify part says what runs or why not.

describe('change kind registry', () => {
  it('has exactly the change types of the ChangeSpec union, each under its own name', () => {
    const unionTypes = Change.def.options.map((o) => o.shape.type.def.values[0]).sort();
    expect(Object.keys(changeKinds).sort()).toEqual(unionTypes);
    for (const [type, kind] of Object.entries(changeKinds)) expect(kind.type).toBe(type);
  });

  it('gives each kind a minimum release, a version check id and verification or the reason for none', () => {
    // Verification is filed per type beside the registry (verify-registry.ts), for the same types.
    expect(Object.keys(kindVerifications)).toEqual(Object.keys(changeKinds));
    const rows = kindList.map((k) => {
      const verify = verifyPartOf(k.type);
      return [k.type, k.cluster.minimum.version, k.cluster.versionCheckId, 'checks' in verify ? verify.checks.map((c) => c.id).join(',') : 'pending'];
    });
    expect(rows).toEqual([
      ['bgpPeering', '1.16', 'cluster.version.bgp-v2', 'bgp-sessions'],
      ['loadBalancerPool', '1.15', 'cluster.version.lb-ipam', 'lb-pools'],
      ['egressGateway', '1.12', 'cluster.version.egress-gateway', 'egress-gateway'],
      ['l2Announcement', '1.14', 'cluster.version.l2-announcements', 'l2-leases,l2-arp'],
      ['ciliumConfig', '1.14', 'cluster.version.cilium-config', 'cilium-agents-restarted,cilium-agent-config'],
    ]);
  });

  it('marks the fabric-touching kinds and only cilium-config as forced', () => {
    expect(kindList.filter((k) => 'objects' in k.aci).map((k) => k.type)).toEqual(['bgpPeering', 'loadBalancerPool', 'egressGateway']);
    expect(kindList.filter((k) => k.cluster.force).map((k) => k.type)).toEqual(['ciliumConfig']);
  });
});
