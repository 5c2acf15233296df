import { describe, expect, it } from 'vitest';
import {
  apicSafeName,
} from '../../../shared/aci/model/apic-name.js';
import {
  bgpPeerDn, changeflowAnnotation, desiredAciMos, dynamicPathDn, externalEpgDn, externalSubnetDn, floatingSviDn, interfaceProfileDn,
  ipSelectorDn, ipSelectorExpression, l3outDn, moTree, nodeAttachmentDn, nodeProfileDn, ownedByChangeflow, planAci, remoteAsDn, tenantDn,
} from '../../../shared/aci/index.js';
import { dc1Facts, onboardSpec, readFixture } from './support/dc1.js';

const out = l3outDn('k8s-prod-a', 'prod-a-l3out');
const svi = floatingSviDn(interfaceProfileDn(nodeProfileDn(out)), 1, 101, 300);

describe('DN builders', () => {
  it.each([
    ['tenant', tenantDn('k8s-prod-a'), 'uni/tn-k8s-prod-a'],
    ['node attachment (bracketed topology DN)', nodeAttachmentDn(nodeProfileDn(out), 1, 102), `${out}/lnodep-anchors/rsnodeL3OutAtt-[topology/pod-1/node-102]`],
    ['floating SVI (two bracketed names)', svi, `${out}/lnodep-anchors/lifp-floating-svi/vlifp-[topology/pod-1/node-101]-[vlan-300]`],
    ['dynamic path to the physical domain', dynamicPathDn(svi, 'k8s-phys'), `${svi}/rsdynPathAtt-[uni/phys-k8s-phys]`],
    ['BGP peer on a prefix', bgpPeerDn(svi, '192.168.2.0/24'), `${svi}/peerP-[192.168.2.0/24]`],
    ['remote AS', remoteAsDn(bgpPeerDn(svi, '192.168.2.0/24')), `${svi}/peerP-[192.168.2.0/24]/as`],
    ['external subnet', externalSubnetDn(externalEpgDn(out, 'default_svc'), '10.0.10.0/24'), `${out}/instP-default_svc/extsubnet-[10.0.10.0/24]`],
    ['ESG IP selector', ipSelectorDn('uni/tn-t/ap-egress/esg-frontend', '192.168.3.200'), "uni/tn-t/ap-egress/esg-frontend/epselector-[ip=='192.168.3.200/32']"],
  ])('builds the %s DN', (_what, built, expected) => {
    expect(built).toBe(expected);
  });

  it('selects an IPv6 egress address with a /128 expression', () => {
    expect(ipSelectorExpression('2001:db8::10')).toBe("ip=='2001:db8::10/128'");
  });
});

describe('MO builders', () => {
  it('produce the expected POST for the onboarding example on the dc1 fabric', () => {
    const [op] = planAci(onboardSpec(), dc1Facts());
    expect(op?.request).toEqual(readFixture('onboard-prod-a.create-request.json'));
  });

  it('mark every object they build as changeflow\'s', () => {
    const mos = desiredAciMos(onboardSpec(), { ignoreIgpMetric: true });
    expect(mos.length).toBeGreaterThan(20);
    expect(mos.every((mo) => mo.attrs.annotation === changeflowAnnotation)).toBe(true);
    expect(ownedByChangeflow({ annotation: 'orchestrator:terraform' })).toBe(false);
  });

  it('reference the ignore-IGP-metric policy only when the release allows it', () => {
    const classes = (ignoreIgpMetric: boolean) => desiredAciMos(onboardSpec(), { ignoreIgpMetric }).map((mo) => mo.className);
    expect(classes(true)).toEqual(expect.arrayContaining(['bgpBestPathCtrlPol', 'bgpProtP', 'bgpRsBestPathCtrlPol']));
    expect(classes(false)).not.toContain('bgpBestPathCtrlPol');
  });

  it('nest MOs under their parents and fill ancestors by naming properties only', () => {
    const tree = moTree('uni/tn-t', [{ className: 'bgpAsP', dn: 'uni/tn-t/out-o/lnodep-n/lifp-i/vlifp-[topology/pod-1/node-101]-[vlan-9]/peerP-[10.0.0.0/8]/as', attrs: { asn: '1' } }]);
    expect(JSON.stringify(tree)).toBe(JSON.stringify({
      fvTenant: { attributes: { name: 't' }, children: [{ l3extOut: { attributes: { name: 'o' }, children: [{ l3extLNodeP: { attributes: { name: 'n' }, children: [
        { l3extLIfP: { attributes: { name: 'i' }, children: [{ l3extVirtualLIfP: { attributes: { nodeDn: 'topology/pod-1/node-101', encap: 'vlan-9' }, children: [
          { bgpPeerP: { attributes: { addr: '10.0.0.0/8' }, children: [{ bgpAsP: { attributes: { asn: '1' } } }] } },
        ] } }] } },
      ] } }] } }],
      },
    }));
  });

  it('shorten long Kubernetes names to valid, stable APIC names', () => {
    const long = `pool-${'a'.repeat(100)}`;
    expect(apicSafeName('pool-red')).toBe('pool-red');
    expect(apicSafeName(long)).toMatch(/^[A-Za-z0-9_.:-]{1,64}$/);
    expect(apicSafeName(long)).toBe(apicSafeName(long));
    expect(apicSafeName(long)).not.toBe(apicSafeName(`${long}b`));
  });
});
