import { lastRn, parentDn } from '../dn.js';
import type { AciMo } from '../model/aci-mo.js';
import type { ArpAdjacencyFact, BgpPeerEntryFact, ControllerFact, EndpointFact, LeafFact, PolicyCamFact } from './aci-facts.js';
import { leavesOfPath, nodeOfDn } from './topology.js';

// Fabric-wide facts (versions, BGP sessions, policy-CAM usage, learned endpoints) read from
// operational MOs, each by its class; which query returned them does not matter.

export type ByClass = ReadonlyMap<string, ReadonlyArray<AciMo>>;
const of = (byClass: ByClass, className: string): ReadonlyArray<AciMo> => byClass.get(className) ?? [];

export function controllerFacts(byClass: ByClass): ControllerFact[] | undefined {
  const found = new Map<number, ControllerFact>();
  for (const mo of of(byClass, 'firmwareCtrlrRunning')) {
    const node = nodeOfDn(mo.dn);
    if (node && mo.attrs.version) found.set(node.nodeId, { ...node, version: mo.attrs.version });
  }
  for (const mo of [...of(byClass, 'fabricNode'), ...of(byClass, 'topSystem')]) {
    const node = nodeOfDn(mo.dn);
    if (node && mo.attrs.role === 'controller' && mo.attrs.version && !found.has(node.nodeId)) {
      found.set(node.nodeId, { ...node, version: mo.attrs.version });
    }
  }
  return found.size > 0 ? [...found.values()].sort((a, b) => a.nodeId - b.nodeId) : undefined;
}

export function leafFacts(byClass: ByClass): LeafFact[] | undefined {
  const found = new Map<number, LeafFact>();
  const upsert = (mo: AciMo, patch: Partial<LeafFact>) => {
    const node = nodeOfDn(mo.dn);
    if (!node) return;
    const seen = found.get(node.nodeId) ?? { ...node, role: 'unknown' };
    found.set(node.nodeId, { ...seen, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v)) });
  };
  for (const mo of [...of(byClass, 'fabricNode'), ...of(byClass, 'topSystem')]) {
    upsert(mo, { role: mo.attrs.role, version: mo.attrs.role === 'controller' ? undefined : mo.attrs.version });
  }
  for (const mo of of(byClass, 'firmwareRunning')) upsert(mo, { version: mo.attrs.version, peVer: mo.attrs.peVer });
  const leaves = [...found.values()].filter((n) => n.role === 'leaf' || n.role === 'unknown');
  return leaves.length > 0 ? leaves.sort((a, b) => a.nodeId - b.nodeId) : undefined;
}

export function fabricAsnFact(byClass: ByClass): number | undefined {
  const asns = of(byClass, 'bgpAsP')
    .filter((mo) => /^uni\/fabric\/bgpInstP-[^/]+\/as$/.test(mo.dn))
    .sort((a, b) => Number(b.dn.includes('bgpInstP-default')) - Number(a.dn.includes('bgpInstP-default')));
  const asn = asns[0]?.attrs.asn;
  return asn !== undefined && /^\d+$/.test(asn) ? Number(asn) : undefined;
}

export function bgpPeerEntryFacts(byClass: ByClass): BgpPeerEntryFact[] {
  return of(byClass, 'bgpPeerEntry').flatMap((mo) => {
    const node = nodeOfDn(mo.dn);
    if (!node) return [];
    const dom = /\/dom-([^/]+)\//.exec(mo.dn)?.[1];
    const addr = mo.attrs.addr ?? /^ent-\[(.*)\]$/.exec(lastRn(mo.dn))?.[1] ?? '';
    return [{ ...node, dn: mo.dn, addr, operSt: mo.attrs.operSt ?? 'unknown', ...(dom ? { vrf: dom } : {}) }];
  });
}

export function policyCamFacts(byClass: ByClass): PolicyCamFact[] | undefined {
  const out = of(byClass, 'eqptcapacityPolUsage5min').flatMap((mo) => {
    const node = nodeOfDn(mo.dn);
    // DataDog's cisco_aci check reads the cumulative pair; older captures carry only the plain pair.
    const used = Number(mo.attrs.polUsageCum ?? mo.attrs.polUsage);
    const cap = Number(mo.attrs.polUsageCapCum ?? mo.attrs.polUsageCap);
    return node && Number.isFinite(used) && Number.isFinite(cap) ? [{ ...node, used, cap }] : [];
  });
  return out.length > 0 ? out : undefined;
}

/** One fact per learned IP with the leaves it was learned on (fvRsCEpToPathEp, fabricPathDn). */
export function endpointFacts(byClass: ByClass): EndpointFact[] | undefined {
  const endpoints = of(byClass, 'fvCEp');
  if (endpoints.length === 0) return undefined;
  const leavesByEp = new Map<string, Set<number>>();
  const ipsByEp = new Map<string, Set<string>>();
  const addTo = <T>(map: Map<string, Set<T>>, key: string, values: T[]) => {
    const set = map.get(key) ?? new Set<T>();
    values.forEach((v) => set.add(v));
    map.set(key, set);
  };
  for (const ep of endpoints) {
    addTo(ipsByEp, ep.dn, ep.attrs.ip && ep.attrs.ip !== '0.0.0.0' ? [ep.attrs.ip] : []);
    addTo(leavesByEp, ep.dn, leavesOfPath(ep.attrs.fabricPathDn ?? ''));
  }
  for (const rel of of(byClass, 'fvRsCEpToPathEp')) addTo(leavesByEp, parentDn(rel.dn), leavesOfPath(rel.attrs.tDn ?? ''));
  for (const ip of of(byClass, 'fvIp')) {
    const ep = parentDn(ip.dn);
    if (ip.attrs.addr) addTo(ipsByEp, ep, [ip.attrs.addr]);
    addTo(leavesByEp, ep, leavesOfPath(ip.attrs.fabricPathDn ?? ''));
  }
  return endpoints.flatMap((ep) =>
    [...(ipsByEp.get(ep.dn) ?? [])].map((ip) => ({
      ip,
      ...(ep.attrs.mac ? { mac: ep.attrs.mac } : {}),
      leafIds: [...(leavesByEp.get(ep.dn) ?? [])].sort((a, b) => a - b),
    })),
  );
}

/**
 * ARP adjacencies, with the DN's `dom-tenant:vrf`; undefined when none were captured (a topology
 * query without arpAdjEp, or a fabric whose leaves resolved nobody, look the same to the rules).
 */
export function arpAdjacencyFacts(byClass: ByClass): ArpAdjacencyFact[] | undefined {
  const out = of(byClass, 'arpAdjEp').flatMap((mo) => {
    const node = nodeOfDn(mo.dn);
    const rn = /^adj-\[(.*)\]-\[(.*)\]$/.exec(lastRn(mo.dn));
    const ip = mo.attrs.ip ?? rn?.[2];
    const ifId = mo.attrs.ifId ?? rn?.[1];
    if (!node || !ip || !ifId) return [];
    const dom = /\/arp\/inst\/dom-([^/]+)\//.exec(mo.dn)?.[1];
    return [{
      ...node, ip, ifId, ...(mo.attrs.mac ? { mac: mo.attrs.mac } : {}), ...(dom ? { vrf: dom } : {}),
      ...(mo.attrs.physIfId ? { physIfId: mo.attrs.physIfId } : {}),
    }];
  });
  return out.length > 0 ? out : undefined;
}

export function capRuleFacts(byClass: ByClass): Record<string, number> | undefined {
  const rules = of(byClass, 'fvcapRule').filter((mo) => mo.attrs.subj && /^\d+$/.test(mo.attrs.constraint ?? ''));
  return rules.length > 0 ? Object.fromEntries(rules.map((mo) => [mo.attrs.subj as string, Number(mo.attrs.constraint)])) : undefined;
}
