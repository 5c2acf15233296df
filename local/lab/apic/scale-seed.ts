import { scaleLeafIds, scaleNodes, scaleSizes } from '../scale-scenario.js';
import type { Mit } from './mit.js';
import { seedFabric, seedMo, seedPolicy, seedRoots } from './scenario.js';

// The fabric of the `scale` scenario (local/lab/scale-scenario.ts): the default scenario's
// policy with 500 learned nodes, then 200 leaves, 100 tenants with 1 000 bridge domains, 10
// L3Outs on the change's VRF holding 599 external EPGs, 3 999 ESGs with 4 990 IP selectors in
// that VRF and 1 500 BGP sessions on the border leaves of those L3Outs. Addresses are derived
// from the index and stay clear of the default examples' subnets (192.168.2.0/24, 10.0.10.0/24,
// 10.0.11.0/25, 10.10.10.0/24).

const tenant = 'uni/tn-k8s-prod-a';
const vrf = 'vrf-1';
const two = (n: number): string => String(n).padStart(2, '0');
const three = (n: number): string => String(n).padStart(3, '0');
/** Border leaves of the existing L3Outs: two per L3Out from leaf 105 on (never the anchors 101/102). */
const borderLeaves = (l: number): [number, number] => [105 + 2 * l, 106 + 2 * l];

export function seedScaleScenario(mit: Mit, now: string): void {
  const put = (cls: string, dn: string, attrs: Record<string, string> = {}): void => seedMo(mit, cls, dn, attrs, now);
  seedRoots(mit, now);
  seedFabric(mit, '6.1(2f)', '6.1(2f)', now, {
    leaves: scaleLeafIds,
    spines: Array.from({ length: scaleSizes.spines }, (_, i) => 1001 + i),
    policyCamBase: () => scaleSizes.policyCamBase,
  });
  seedPolicy(mit, now, scaleNodes());
  seedBridgeDomains(put, mit.children(tenant).filter((mo) => mo.className === 'fvBD').length);
  seedL3Outs(put);
  seedEsgs(put);
  seedBgpSessions(put);
  // The existing egress gateways' addresses are learned in the egress BD, so their ESG selectors classify.
  put('fvSubnet', `${tenant}/BD-k8s-egress/subnet-[${platformEgressSubnet}]`, { ip: platformEgressSubnet });
}

/** Where the cluster's 100 existing egress gateway policies send from (kubernetes/scale-seeds.ts). */
const platformEgressSubnet = '192.168.12.254/24';

type Put = (cls: string, dn: string, attrs?: Record<string, string>) => void;

/** 10 per tenant: the default scenario's and more up to 10 in the change's tenant, 10 in each of 99 others, each with a /28. */
function seedBridgeDomains(put: Put, existing: number): void {
  const perTenant = scaleSizes.bridgeDomains / scaleSizes.tenants;
  for (let t = 0; t < scaleSizes.tenants; t += 1) {
    const tn = t === 0 ? tenant : `uni/tn-scale-t${three(t)}`;
    if (t > 0) {
      put('fvTenant', tn, { name: `scale-t${three(t)}` });
      put('fvCtx', `${tn}/ctx-${vrf}`, { name: vrf });
    }
    for (let b = t === 0 ? existing : 0; b < perTenant; b += 1) {
      const name = `bd-${three(b)}`;
      const bd = `${tn}/BD-${name}`;
      put('fvBD', bd, { name });
      put('fvRsCtx', `${bd}/rsctx`, { tnFvCtxName: vrf });
      const ip = `172.20.${t}.${b * 16 + 1}/28`;
      put('fvSubnet', `${bd}/subnet-[${ip}]`, { ip, scope: 'private' });
    }
  }
}

/** scale-out-01…10 on vrf-1, 60 external EPGs each (59 on the last), one /32 subnet per EPG. */
function seedL3Outs(put: Put): void {
  let left = scaleSizes.externalEpgs;
  for (let l = 0; l < scaleSizes.l3outs; l += 1) {
    const out = `${tenant}/out-scale-out-${two(l + 1)}`;
    put('l3extOut', out, { name: `scale-out-${two(l + 1)}` });
    put('l3extRsEctx', `${out}/rsectx`, { tnFvCtxName: vrf });
    put('l3extRsL3DomAtt', `${out}/rsl3DomAtt`, { tDn: 'uni/l3dom-k8s-l3' });
    put('bgpExtP', `${out}/bgpExtP`);
    const nodeProfile = `${out}/lnodep-border`;
    put('l3extLNodeP', nodeProfile, { name: 'border' });
    for (const leaf of borderLeaves(l)) {
      put('l3extRsNodeL3OutAtt', `${nodeProfile}/rsnodeL3OutAtt-[topology/pod-1/node-${leaf}]`, {
        tDn: `topology/pod-1/node-${leaf}`, rtrId: `2.2.${Math.floor(leaf / 256)}.${leaf % 256}`, rtrIdLoopBack: 'yes',
      });
    }
    const count = Math.min(left, Math.ceil(scaleSizes.externalEpgs / scaleSizes.l3outs));
    left -= count;
    for (let e = 0; e < count; e += 1) {
      const name = `ext-${three(e)}`;
      put('l3extInstP', `${out}/instP-${name}`, { name });
      const ip = `10.200.${l}.${e + 1}/32`;
      put('l3extSubnet', `${out}/instP-${name}/extsubnet-[${ip}]`, { ip, scope: 'import-security' });
    }
  }
}

/** 3 999 ESGs in 40 application profiles, all scoped to vrf-1; the first 991 with two /32 selectors (the first 100's second one an existing egress IP). */
function seedEsgs(put: Put): void {
  const perAp = 100;
  const withTwo = scaleSizes.ipSelectors - scaleSizes.esgs;
  for (let e = 0; e < scaleSizes.esgs; e += 1) {
    const ap = `${tenant}/ap-scale-ap-${two(Math.floor(e / perAp))}`;
    if (e % perAp === 0) put('fvAp', ap, { name: `scale-ap-${two(Math.floor(e / perAp))}` });
    const name = `esg-${String(e).padStart(4, '0')}`;
    const esg = `${ap}/esg-${name}`;
    put('fvESg', esg, { name });
    put('fvRsScope', `${esg}/rsscope`, { tnFvCtxName: vrf });
    for (let s = 0; s < (e < withTwo ? 2 : 1); s += 1) {
      const host = 2 * e + s;
      // The cluster's 100 existing egress gateway policies (kubernetes/scale-seeds.ts) send from
      // 192.168.12.N: their IPs are classified here, as the design's egress option requires.
      const address = s === 1 && e < scaleSizes.egressPolicies ? `192.168.12.${e + 1}` : `10.50.${Math.floor(host / 250)}.${(host % 250) + 1}`;
      const matchExpression = `ip=='${address}/32'`;
      put('fvEPSelector', `${esg}/epselector-[${matchExpression}]`, { matchExpression });
    }
  }
}

/** 1 500 established sessions of the existing L3Outs, 75 on each of their 20 border leaves. */
function seedBgpSessions(put: Put): void {
  const leaves = Array.from({ length: scaleSizes.l3outs }, (_, l) => borderLeaves(l)).flat();
  const perLeaf = scaleSizes.bgpPeerEntries / leaves.length;
  for (const [i, leaf] of leaves.entries()) {
    const sys = `topology/pod-1/node-${leaf}/sys`;
    put('bgpEntity', `${sys}/bgp`);
    put('bgpInst', `${sys}/bgp/inst`, { asn: '65001' });
    const dom = `${sys}/bgp/inst/dom-k8s-prod-a:${vrf}`;
    put('bgpDom', dom, { name: `k8s-prod-a:${vrf}` });
    const prefix = `10.210.${i}.0/24`;
    const peer = `${dom}/peer-[${prefix}]`;
    put('bgpPeer', peer, { addr: prefix, asn: '64600' });
    for (let p = 0; p < perLeaf; p += 1) {
      const addr = `10.210.${i}.${p + 1}`;
      put('bgpPeerEntry', `${peer}/ent-[${addr}]`, { addr, operSt: 'established', prevOperSt: 'openconfirm', type: 'ebgp' });
    }
  }
}
