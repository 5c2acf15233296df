import { aciClass } from '../../../shared/aci/classes.js';
import type { Mit } from './mit.js';

// The seeded fabric of docs/architecture.md §3.5: site dc1, fabric dc1-aci — 3 APICs, leaves 101–104 and
// spines 201–202 in pod 1, fabric AS 65001, tenant k8s-prod-a with vrf-1, physical domain
// k8s-phys with VLAN pool 300–399 (also the pool of the L3 domain k8s-l3 that the L3Out attaches
// to), tenant common with the default policies every APIC has (relations with an empty name
// resolve to them), and the cluster nodes learned as endpoints. The nodes were
// learned in a node EPG (uni/tn-k8s-prod-a/ap-k8s/epg-nodes, VLAN 310, BD k8s-nodes) — the L3Out
// that onboarding adds does not exist yet; prod-a-cp1, w1 and w2 sit behind leaf 101, w3 behind
// 102, w4 behind 103. The egress BD k8s-egress (subnet 192.168.3.1/24 in vrf-1, EPG
// ap-k8s/epg-egress on VLAN 311) is where the design's ESG option puts egress-gateway IPs: an ESG
// IP selector classifies only endpoints a BD of its VRF learns, never hosts of the peering subnet.

export type ScenarioName = 'default' | '6.0(2h)' | 'full-l3out' | 'scale';

export const clusterEndpoints = [
  { name: 'prod-a-cp1', ip: '192.168.2.10', leaf: 101, port: 'eth1/10' },
  { name: 'prod-a-w1', ip: '192.168.2.11', leaf: 101, port: 'eth1/11' },
  { name: 'prod-a-w2', ip: '192.168.2.12', leaf: 101, port: 'eth1/12' },
  { name: 'prod-a-w3', ip: '192.168.2.13', leaf: 102, port: 'eth1/11' },
  { name: 'prod-a-w4', ip: '192.168.2.14', leaf: 103, port: 'eth1/11' },
] as const;

/** The egress BD's gateway and subnet: egress-gateway IPs of the examples sit in it. */
export const egressSubnet = '192.168.3.1/24';

export function seedMo(mit: Mit, className: string, dn: string, attrs: Record<string, string>, modTs: string): void {
  const def = aciClass(className);
  mit.put({ className, dn, attrs: { ...def?.config, ...def?.oper, ...attrs }, modTs });
}

/** The empty roots every tree has. */
export function seedRoots(mit: Mit, now: string): void {
  seedMo(mit, 'polUni', 'uni', {}, now);
  seedMo(mit, 'fabricTopology', 'topology', {}, now);
}

/** Node ids of a fabric: three controllers, its leaves and spines, all in pod 1. */
export interface FabricLayout {
  leaves: readonly number[];
  spines: readonly number[];
  /** polUsageCum of a leaf before anything classifies traffic. */
  policyCamBase: (leafId: number) => number;
}

const defaultLayout: FabricLayout = { leaves: [101, 102, 103, 104], spines: [201, 202], policyCamBase: (id) => 400 + id };

export function seedFabric(mit: Mit, apic: string, nxos: string, now: string, layout: FabricLayout = defaultLayout): void {
  const put = (cls: string, dn: string, attrs: Record<string, string> = {}): void => seedMo(mit, cls, dn, attrs, now);
  put('fabricPod', 'topology/pod-1', { id: '1' });
  const nodes = [
    ...[1, 2, 3].map((id) => ({ id, role: 'controller', name: `apic${id}`, model: 'APIC-SERVER-M3', version: apic })),
    ...layout.leaves.map((id) => ({ id, role: 'leaf', name: `leaf${id}`, model: 'N9K-C93180YC-FX', version: `n9000-1${nxos}` })),
    ...layout.spines.map((id) => ({ id, role: 'spine', name: `spine${id}`, model: 'N9K-C9332C', version: `n9000-1${nxos}` })),
  ];
  for (const n of nodes) {
    const node = `topology/pod-1/node-${n.id}`;
    const address = `10.0.${Math.floor(n.id / 256)}.${n.id % 256}`;
    put('fabricNode', node, {
      id: String(n.id), name: n.name, role: n.role, model: n.model, version: n.version, address,
      serial: `FDO2${String(n.id).padStart(4, '0')}ABC`,
    });
    put('topSystem', `${node}/sys`, {
      id: String(n.id), name: n.name, role: n.role, version: n.version, address, podId: '1', fabricDomain: 'dc1-aci',
      serial: `FDO2${String(n.id).padStart(4, '0')}ABC`, oobMgmtAddr: `192.0.${2 + Math.floor(n.id / 250)}.${n.id % 250}`,
    });
    if (n.role === 'controller') {
      put('firmwareCtrlrFwStatusCont', `${node}/sys/ctrlrfwstatuscont`);
      put('firmwareCtrlrRunning', `${node}/sys/ctrlrfwstatuscont/ctrlrrunning`, { version: apic });
    } else {
      put('firmwareFwStatusCont', `${node}/sys/fwstatuscont`);
      put('firmwareRunning', `${node}/sys/fwstatuscont/running`, { version: n.version, peVer: apic });
    }
    if (n.role === 'leaf') {
      put('eqptcapacityEntity', `${node}/sys/eqptcapacity`);
      put('eqptcapacityPolUsage5min', `${node}/sys/eqptcapacity/CDeqptcapacityPolUsage5min`, {
        polUsageCum: String(layout.policyCamBase(n.id)), polUsageCapCum: '61440', polUsage: String(layout.policyCamBase(n.id)), polUsageCap: '61440',
      });
    }
  }
}

export interface LearnedEndpoint {
  readonly name: string;
  readonly ip: string;
  readonly leaf: number;
  readonly port: string;
}

export function seedPolicy(mit: Mit, now: string, endpoints: readonly LearnedEndpoint[] = clusterEndpoints): void {
  const put = (cls: string, dn: string, attrs: Record<string, string> = {}): void => seedMo(mit, cls, dn, attrs, now);
  put('fabricInst', 'uni/fabric');
  put('bgpInstPol', 'uni/fabric/bgpInstP-default', { name: 'default' });
  put('bgpAsP', 'uni/fabric/bgpInstP-default/as', { asn: '65001' });
  put('fabricCompCatalog', 'uni/fabric/compcat-default', { name: 'default' });
  put('fvswCat', 'uni/fabric/compcat-default/fvsw-default', { name: 'default' });
  const caps = 'uni/fabric/compcat-default/fvsw-default/capabilities';
  put('fvcapCont', caps);
  const limits: Record<string, string> = {
    fvTenant: '3000', fvCtx: '3000', fvBD: '15000', fvAEPg: '15000', fvESg: '10000', l3extInstP: '600',
    l3extOut: '2400', bgpPeer: '20000', fvCEp: '180000',
  };
  for (const [subj, constraint] of Object.entries(limits)) put('fvcapRule', `${caps}/rule-${subj}`, { subj, constraint, name: subj });
  put('infraInfra', 'uni/infra');
  put('fvnsVlanInstP', 'uni/infra/vlanns-[k8s-vlans]-static', { name: 'k8s-vlans', allocMode: 'static' });
  put('fvnsEncapBlk', 'uni/infra/vlanns-[k8s-vlans]-static/from-[vlan-300]-to-[vlan-399]', { from: 'vlan-300', to: 'vlan-399' });
  put('physDomP', 'uni/phys-k8s-phys', { name: 'k8s-phys' });
  put('infraRsVlanNs', 'uni/phys-k8s-phys/rsvlanNs', { tDn: 'uni/infra/vlanns-[k8s-vlans]-static', tCl: 'fvnsVlanInstP' });
  put('l3extDomP', 'uni/l3dom-k8s-l3', { name: 'k8s-l3' });
  put('infraRsVlanNs', 'uni/l3dom-k8s-l3/rsvlanNs', { tDn: 'uni/infra/vlanns-[k8s-vlans]-static', tCl: 'fvnsVlanInstP' });

  // Tenant common as a fresh APIC has it: the `default` policies relations fall back to.
  const common = 'uni/tn-common';
  put('fvTenant', common, { name: 'common' });
  put('fvCtx', `${common}/ctx-default`, { name: 'default' });
  put('bgpCtxPol', `${common}/bgpCtxP-default`, { name: 'default' });
  put('bgpPeerPfxPol', `${common}/bgpPfxP-default`, { name: 'default' });
  put('bfdIfPol', `${common}/bfdIfPol-default`, { name: 'default' });
  put('bgpBestPathCtrlPol', `${common}/bestpath-default`, { name: 'default' });

  const tn = 'uni/tn-k8s-prod-a';
  put('fvTenant', tn, { name: 'k8s-prod-a' });
  put('fvCtx', `${tn}/ctx-vrf-1`, { name: 'vrf-1' });
  put('vzAny', `${tn}/ctx-vrf-1/any`);
  put('fvBD', `${tn}/BD-k8s-nodes`, { name: 'k8s-nodes', unicastRoute: 'no' });
  put('fvRsCtx', `${tn}/BD-k8s-nodes/rsctx`, { tnFvCtxName: 'vrf-1', tDn: `${tn}/ctx-vrf-1`, tCl: 'fvCtx' });
  put('fvBD', `${tn}/BD-k8s-egress`, { name: 'k8s-egress' });
  put('fvRsCtx', `${tn}/BD-k8s-egress/rsctx`, { tnFvCtxName: 'vrf-1', tDn: `${tn}/ctx-vrf-1`, tCl: 'fvCtx' });
  put('fvSubnet', `${tn}/BD-k8s-egress/subnet-[${egressSubnet}]`, { ip: egressSubnet });
  put('fvAp', `${tn}/ap-k8s`, { name: 'k8s' });
  const egressEpg = `${tn}/ap-k8s/epg-egress`;
  put('fvAEPg', egressEpg, { name: 'egress' });
  put('fvRsBd', `${egressEpg}/rsbd`, { tnFvBDName: 'k8s-egress', tDn: `${tn}/BD-k8s-egress`, tCl: 'fvBD' });
  put('fvRsDomAtt', `${egressEpg}/rsdomAtt-[uni/phys-k8s-phys]`, { tDn: 'uni/phys-k8s-phys', tCl: 'physDomP', encap: 'vlan-311' });
  const epg = `${tn}/ap-k8s/epg-nodes`;
  put('fvAEPg', epg, { name: 'nodes' });
  put('fvRsBd', `${epg}/rsbd`, { tnFvBDName: 'k8s-nodes', tDn: `${tn}/BD-k8s-nodes`, tCl: 'fvBD' });
  put('fvRsDomAtt', `${epg}/rsdomAtt-[uni/phys-k8s-phys]`, { tDn: 'uni/phys-k8s-phys', tCl: 'physDomP', encap: 'vlan-310' });
  for (const [i, ep] of endpoints.entries()) {
    const mac = endpointMac(i);
    const cep = `${epg}/cep-${mac}`;
    put('fvCEp', cep, { mac, ip: ep.ip, name: mac, encap: 'vlan-310', contName: ep.name });
    const path = `topology/pod-1/paths-${ep.leaf}/pathep-[${ep.port}]`;
    put('fvRsCEpToPathEp', `${cep}/rscEpToPathEp-[${path}]`, { tDn: path, tCl: 'fabricPathEp' });
  }
}

/** An existing L3Out with 249 external EPGs: one short of the 250 per-L3Out cap. */
function seedFullL3Out(mit: Mit, now: string): void {
  const put = (cls: string, dn: string, attrs: Record<string, string> = {}): void => seedMo(mit, cls, dn, attrs, now);
  const out = 'uni/tn-k8s-prod-a/out-prod-a-l3out';
  put('l3extOut', out, { name: 'prod-a-l3out' });
  put('l3extRsEctx', `${out}/rsectx`, { tnFvCtxName: 'vrf-1', tDn: 'uni/tn-k8s-prod-a/ctx-vrf-1', tCl: 'fvCtx' });
  put('bgpExtP', `${out}/bgpExtP`);
  for (let i = 1; i <= 249; i++) {
    const name = `svc-${String(i).padStart(3, '0')}`;
    put('l3extInstP', `${out}/instP-${name}`, { name });
    const ip = `10.1.${Math.floor(i / 256)}.${i % 256}/32`;
    put('l3extSubnet', `${out}/instP-${name}/extsubnet-[${ip}]`, { ip, scope: 'import-security' });
  }
}

/** 00:50:56:A1:02:10 for the first node, as the default scenario has always had it. */
function endpointMac(i: number): string {
  const n = 0x0210 + i;
  const hex = (v: number): string => v.toString(16).toUpperCase().padStart(2, '0');
  return `00:50:56:A1:${hex(n >> 8)}:${hex(n & 0xff)}`;
}

/** The hand-sized scenarios; `scale` is generated (scale-seed.ts). */
export function seedScenario(mit: Mit, scenario: Exclude<ScenarioName, 'scale'>, now: string): void {
  seedRoots(mit, now);
  const apic = scenario === '6.0(2h)' ? '6.0(2h)' : '6.1(2f)';
  seedFabric(mit, apic, apic, now);
  seedPolicy(mit, now);
  if (scenario === 'full-l3out') seedFullL3Out(mit, now);
}
