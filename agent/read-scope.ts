import type { ApicQuery } from '../shared/agent-protocol/index.js';
import { isWithin } from '../shared/aci/dn.js';
import { physDomainDn } from '../shared/aci/model/dns.js';
import type { ChangeSpec } from '../shared/spec/index.js';
import { safeApiPath } from './apic/path-safety.js';
import type { FabricScope } from './config.js';
import { TaskOutsideScope } from './task-errors.js';

// Reads are built by the agent from the spec (aciCollectQueries), never taken from the task, and
// even those must stay on this list: the classes facts are made of and the DNs of the change's
// tenant and its fabric-wide policies. A query for aaaUser or pkiKeyRing never leaves the agent.
// A subtree query on a root (`uni`, `topology`) is a class query in disguise: it is allowed only
// with a target-subtree-class list of readable classes and nothing that adds other MOs to them
// (children only with an rsp-subtree-class list of readable classes). A count (`rsp-subtree-include=
// count`) is allowed too: its answer is one number, no MO.

export const readableClasses: ReadonlySet<string> = new Set([
  'firmwareCtrlrRunning', 'firmwareRunning', 'fabricNode', 'l3extInstP', 'fvRsScope', 'fvESg', 'fvEPSelector',
  'l3extRsEctx', 'l3extRsNodeL3OutAtt', 'fvRsCtx', 'fvRsBd', 'fvSubnet', 'l3extSubnet', 'bgpPeerEntry', 'eqptcapacityPolUsage5min',
  'fvCEp', 'fvRsCEpToPathEp', 'fvIp', 'physDomP', 'l3extDomP', 'infraRsVlanNs', 'fvnsVlanInstP', 'fvnsEncapBlk', 'bgpInstPol',
  'fvcapRule', 'l3extOut', 'fvTenant', 'fvCtx', 'fvBD', 'fvAp', 'bgpPeerP', 'bgpAsP', 'l3extVirtualLIfP', 'arpAdjEp',
]);

const fabricPolicies = ['uni/fabric/bgpInstP-default', 'uni/fabric/compcat-default'];
const roots = new Set(['uni', 'topology']);

function isReadableRootQuery(dn: string, query: Readonly<Record<string, string>>): boolean {
  if (!roots.has(dn) || query['query-target'] !== 'subtree') return false;
  const include = query['rsp-subtree-include'];
  if (include !== undefined && include !== 'count') return false;
  const listed = (key: string): string[] => (query[key] ?? '').split(',').filter((c) => c !== '');
  const readable = (classes: string[]): boolean => classes.length > 0 && classes.every((c) => readableClasses.has(c));
  // The children of the MOs it returns (learned endpoints' paths and IPs) only of readable classes.
  const subtree = query['rsp-subtree'] ?? 'no';
  if (subtree !== 'no' && (subtree !== 'children' || !readable(listed('rsp-subtree-class')))) return false;
  return readable(listed('target-subtree-class'));
}

export function checkReadQueries(fabric: string, scope: FabricScope, spec: ChangeSpec, queries: readonly ApicQuery[]): void {
  if (!scope.tenants.includes(spec.aci.tenant)) {
    throw new TaskOutsideScope(`fabric ${fabric}: the spec's tenant ${spec.aci.tenant} is not one this agent may touch (${scope.tenants.join(', ')}); nothing was read`);
  }
  const readableDns = [`uni/tn-${spec.aci.tenant}`, physDomainDn(spec.aci.physDomain), ...fabricPolicies, ...scope.dnPrefixes];
  for (const q of queries) {
    safeApiPath(q.path);
    const cls = /^\/api\/(?:node\/)?class\/(.+)\.json$/.exec(q.path)?.[1];
    const dn = /^\/api\/(?:node\/)?mo\/(.+)\.json$/.exec(q.path)?.[1];
    const ok = cls !== undefined
      ? readableClasses.has(cls)
      : dn !== undefined && (readableDns.some((d) => isWithin(dn, d)) || isReadableRootQuery(dn, q.query ?? {}));
    if (!ok) throw new TaskOutsideScope(`fabric ${fabric}: query ${q.name} (${q.path}) is not on the agent's read allowlist; nothing was read`);
  }
}
