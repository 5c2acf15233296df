import ipaddr from 'ipaddr.js';
import { aciClass } from '../../../shared/aci/classes.js';
import { childDn, parentDn, splitDn } from '../../../shared/aci/dn.js';
import type { Mit, MitReader } from './mit.js';

// Operational MOs that follow the configuration: one bgpPeer per bgpPeerP configured on a
// floating SVI, under the anchor leaf it names, with a bgpPeerEntry per neighbour; and the
// policy-CAM counters of each leaf. Who is a neighbour and whether its session is up is the lab
// world's call (setOperationalProvider); without one, the fabric sees the endpoints it learned
// inside the peer prefix, all `idle`. Hosts on a floating SVI's subnet show up as ARP adjacencies
// (arpAdjEp) on the leaf they are cabled to, on their port: the SVI's encap is deployed on
// anchors and non-anchors alike, and that is all the fabric knows of L3Out hosts.

export interface BgpPeerConfig {
  podId: string;
  nodeId: string;
  tenant: string;
  vrf: string;
  l3outDn: string;
  peerDn: string;
  /** The configured dynamic-neighbour prefix (bgpPeerP.addr). */
  prefix: string;
  /** bgpAsP.asn under the peer: the AS the neighbours must use. */
  remoteAsn: string;
  /** Local AS of the fabric (uni/fabric/bgpInstP-default/as). */
  fabricAsn: string;
  /** IPs of learned endpoints (fvCEp) that fall inside the prefix. */
  candidates: string[];
}

export interface BgpNeighborState {
  addr: string;
  operSt: string;
}

export type OperationalProvider = (peer: BgpPeerConfig, mit: MitReader) => BgpNeighborState[] | undefined;

/** Extra IPs a learned endpoint answers ARP for (service IPs it announces), by its own IP. */
export type EndpointIpProvider = (endpoint: { ip: string; mac: string }) => string[];

function inPrefix(ip: string, prefix: string): boolean {
  try {
    const addr = ipaddr.parse(ip);
    const [net, bits] = prefix.includes('/') ? ipaddr.parseCIDR(prefix) : [ipaddr.parse(prefix), addr.kind() === 'ipv4' ? 32 : 128];
    return addr.kind() === net.kind() && addr.match(net, bits);
  } catch (err) {
    if (err instanceof Error) return false;
    throw err;
  }
}

function nodeOf(nodeDn: string): { podId: string; nodeId: string } | undefined {
  const m = /^topology\/pod-(\d+)\/node-(\d+)$/.exec(nodeDn);
  return m ? { podId: m[1] ?? '1', nodeId: m[2] ?? '' } : undefined;
}

/** Every bgpPeerP on a floating SVI, resolved to the leaf, tenant and VRF it lives in. */
export function floatingSviPeers(mit: Mit): BgpPeerConfig[] {
  const fabricAsn = mit.get('uni/fabric/bgpInstP-default/as')?.attrs.asn ?? '';
  const endpoints = mit.byClass('fvCEp').map((ep) => ep.attrs.ip ?? '').filter(Boolean);
  const out: BgpPeerConfig[] = [];
  for (const peer of mit.byClass('bgpPeerP')) {
    const vlifp = mit.get(parentDn(peer.dn));
    if (vlifp?.className !== 'l3extVirtualLIfP') continue;
    const node = nodeOf(vlifp.attrs.nodeDn ?? '');
    const rns = splitDn(peer.dn);
    const tenant = rns[1]?.replace(/^tn-/, '');
    const l3outDn = rns.slice(0, 3).join('/');
    const vrf = mit.get(`${l3outDn}/rsectx`)?.attrs.tnFvCtxName;
    if (!node || !tenant || !vrf) continue;
    const prefix = peer.attrs.addr ?? '';
    out.push({
      ...node, tenant, vrf, l3outDn, peerDn: peer.dn, prefix,
      remoteAsn: mit.get(`${peer.dn}/as`)?.attrs.asn ?? '',
      fabricAsn,
      candidates: endpoints.filter((ip) => inPrefix(ip, prefix)),
    });
  }
  return out;
}

function seed(mit: Mit, className: string, dn: string, attrs: Record<string, string>, now: string): void {
  const def = aciClass(className);
  const existing = mit.get(dn);
  mit.put({ className, dn, attrs: { ...def?.config, ...def?.oper, ...existing?.attrs, ...attrs }, modTs: existing?.modTs ?? now });
}

export class OperationalState {
  private derived = new Set<string>();
  private polBase = new Map<string, number>();
  private provider: OperationalProvider | undefined;
  private endpointIps: EndpointIpProvider | undefined;

  constructor(private readonly mit: Mit) {}

  setProvider(provider: OperationalProvider | undefined): void {
    this.provider = provider;
  }

  setEndpointIpProvider(provider: EndpointIpProvider | undefined): void {
    this.endpointIps = provider;
  }

  /** Rebuilds the derived MOs from the current configuration (cheap: peers are few). */
  sync(now: string): void {
    for (const dn of this.derived) this.mit.deleteSubtree(dn);
    this.derived.clear();
    for (const peer of floatingSviPeers(this.mit)) this.addPeer(peer, now);
    this.syncEndpointIps(now);
    this.syncArp(now);
    this.syncCapacity();
  }

  private syncArp(now: string): void {
    const hosts = this.mit.byClass('fvCEp').flatMap((cep) => {
      const path = this.mit.children(cep.dn).find((k) => k.className === 'fvRsCEpToPathEp')?.attrs.tDn ?? '';
      const m = /^topology\/pod-(\d+)\/paths-(\d+)\/pathep-\[(.+)\]$/.exec(path);
      return cep.attrs.ip && m ? [{ ip: cep.attrs.ip, mac: cep.attrs.mac ?? '', pod: m[1] ?? '1', leaf: m[2] ?? '', port: m[3] ?? '' }] : [];
    });
    for (const svi of this.mit.byClass('l3extVirtualLIfP')) {
      const rns = splitDn(svi.dn);
      const tenant = rns[1]?.replace(/^tn-/, '');
      const vrf = this.mit.get(`${rns.slice(0, 3).join('/')}/rsectx`)?.attrs.tnFvCtxName;
      const vlan = /^vlan-(\d+)$/.exec(svi.attrs.encap ?? '')?.[1];
      if (!tenant || !vrf || !vlan || !svi.attrs.addr) continue;
      for (const host of hosts.filter((h) => inPrefix(h.ip, svi.attrs.addr ?? ''))) {
        const sys = `topology/pod-${host.pod}/node-${host.leaf}/sys`;
        if (!this.mit.get(sys)) continue;
        const db = `${sys}/arp/inst/dom-${tenant}:${vrf}/db-ip`;
        for (const [cls, dn, attrs] of [
          ['arpEntity', `${sys}/arp`, {}], ['arpInst', `${sys}/arp/inst`, {}],
          ['arpDom', `${sys}/arp/inst/dom-${tenant}:${vrf}`, { name: `${tenant}:${vrf}` }], ['arpDb', db, { type: 'ip' }],
        ] as const) {
          if (!this.mit.get(dn)) {
            seed(this.mit, cls, dn, attrs, now);
            this.derived.add(dn);
          }
        }
        const adj = childDn(db, `adj-[vlan${vlan}]-[${host.ip}]`);
        seed(this.mit, 'arpAdjEp', adj, { ifId: `vlan${vlan}`, ip: host.ip, mac: host.mac, physIfId: host.port, operSt: 'normal', upTS: now }, now);
        this.derived.add(adj);
      }
    }
  }

  // The fabric learns an IP on the endpoint whose MAC answered ARP for it (fvCEp → fvIp).
  private syncEndpointIps(now: string): void {
    if (!this.endpointIps) return;
    for (const cep of this.mit.byClass('fvCEp')) {
      for (const addr of this.endpointIps({ ip: cep.attrs.ip ?? '', mac: cep.attrs.mac ?? '' })) {
        const dn = childDn(cep.dn, `ip-[${addr}]`);
        seed(this.mit, 'fvIp', dn, { addr, createTs: now }, now);
        this.derived.add(dn);
      }
    }
  }

  private addPeer(peer: BgpPeerConfig, now: string): void {
    const sys = `topology/pod-${peer.podId}/node-${peer.nodeId}/sys`;
    if (!this.mit.get(sys)) return;
    const inst = `${sys}/bgp/inst`;
    if (!this.mit.get(`${sys}/bgp`)) seed(this.mit, 'bgpEntity', `${sys}/bgp`, {}, now);
    if (!this.mit.get(inst)) seed(this.mit, 'bgpInst', inst, { asn: peer.fabricAsn }, now);
    const dom = childDn(inst, `dom-${peer.tenant}:${peer.vrf}`);
    if (!this.mit.get(dom)) {
      seed(this.mit, 'bgpDom', dom, { name: `${peer.tenant}:${peer.vrf}` }, now);
      this.derived.add(dom);
    }
    const peerDn = childDn(dom, `peer-[${peer.prefix}]`);
    seed(this.mit, 'bgpPeer', peerDn, { addr: peer.prefix, asn: peer.remoteAsn }, now);
    this.derived.add(peerDn);
    const neighbors = this.provider?.(peer, this.mit) ?? peer.candidates.map((addr) => ({ addr, operSt: 'idle' }));
    for (const n of neighbors) {
      seed(this.mit, 'bgpPeerEntry', childDn(peerDn, `ent-[${n.addr}]`), {
        addr: n.addr, operSt: n.operSt, prevOperSt: n.operSt === 'established' ? 'openconfirm' : 'idle', type: 'ebgp',
      }, now);
    }
  }

  // Policy CAM grows with what classifies traffic: ext-EPG subnets, ESG selectors and ext EPGs.
  private syncCapacity(): void {
    const rules = 2 * (this.mit.countOf('l3extSubnet') + this.mit.countOf('fvEPSelector') + this.mit.countOf('l3extInstP'));
    for (const usage of this.mit.byClass('eqptcapacityPolUsage5min')) {
      if (!this.polBase.has(usage.dn)) this.polBase.set(usage.dn, Number(usage.attrs.polUsageCum ?? '0'));
      const value = String((this.polBase.get(usage.dn) ?? 0) + rules);
      usage.attrs.polUsageCum = value;
      usage.attrs.polUsage = value;
      usage.attrs.polUsageAvg = value;
    }
  }
}
