import { describe, expect, it } from 'vitest';
import { objectsForChange } from '../../../shared/cilium/manifests/desired.js';
import type { ChangeSpec } from '../../../shared/spec/index.js';
import { bgpChange, poolChange, specWith } from './cluster-fixtures.js';

// A CiliumBGPPeerConfig advertises a pool's addresses only in the families it lists: the
// families follow the session and the pools of the spec.

function familiesOf(spec: ChangeSpec): unknown {
  const peering = spec.changes.find((c) => c.type === 'bgpPeering');
  if (!peering) throw new Error('no peering');
  const peerConfig = objectsForChange(peering, spec, '1.18.3').find((o) => o.kind === 'CiliumBGPPeerConfig') as { spec: { families: Array<{ afi: string; safi: string }> } } | undefined;
  return peerConfig?.spec.families.map((f) => `${f.afi}/${f.safi}`);
}

const v6Pool = { ...poolChange, name: 'pool-v6', blocks: ['2001:db8:10::/120'] };

describe('BGP PeerConfig families', () => {
  it.each([
    ['an IPv4 session alone', [bgpChange], ['ipv4/unicast']],
    ['an IPv4 session with an IPv4 pool', [bgpChange, poolChange], ['ipv4/unicast']],
    ['an IPv4 session with an IPv6 pool', [bgpChange, v6Pool], ['ipv4/unicast', 'ipv6/unicast']],
    ['an IPv4 session with a dual-stack pool', [bgpChange, { ...poolChange, blocks: ['10.0.10.0/24', '2001:db8:10::/120'] }], ['ipv4/unicast', 'ipv6/unicast']],
    ['an IPv4 session with an IPv6 pool being removed', [bgpChange, { ...v6Pool, state: 'absent' }], ['ipv4/unicast']],
    [
      'an IPv6 session with an IPv4 pool',
      [{ ...bgpChange, peeringSubnet: '2001:db8:2::/64', floatingIp: '2001:db8:2::fe/64', anchors: [{ nodeId: 101, pod: 1, routerId: '1.1.1.101', address: '2001:db8:2::1/64' }] }, poolChange],
      ['ipv6/unicast', 'ipv4/unicast'],
    ],
  ])('carry %s', (_what, changes, families) => {
    expect(familiesOf(specWith(changes))).toEqual(families);
  });
});
