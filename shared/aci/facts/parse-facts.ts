import type { AciMo } from '../model/aci-mo.js';
import { tenantDn } from '../model/dns.js';
import { AciFacts } from './aci-facts.js';
import {
  arpAdjacencyFacts, bgpPeerEntryFacts, capRuleFacts, controllerFacts, endpointFacts, fabricAsnFact, leafFacts, policyCamFacts,
} from './fabric-facts.js';
import { flattenImdata } from './imdata.js';
import { ipSelectorFacts } from './selector-facts.js';
import { configMos, countFacts, physDomainFacts, routerIdFacts, subnetFacts } from './tenant-facts.js';

export interface ParseAciFactsOptions {
  /** Keep only this tenant's subtree (plus domains and fabric BGP) in `mos`; counts still cover all. */
  readonly tenant?: string;
}

/**
 * Classifies APIC MOs by class, never by file name or query: any mix of imdata items, bare
 * imdata arrays or envelopes from class, DN or subtree queries (reference/aci.md §2).
 */
export function parseAciFacts(mos: unknown[], opts: ParseAciFactsOptions = {}): AciFacts {
  const all = flattenImdata(mos);
  const byClass = new Map<string, AciMo[]>();
  for (const mo of all) {
    const list = byClass.get(mo.className);
    if (list) list.push(mo);
    else byClass.set(mo.className, [mo]);
  }
  const tenants = (byClass.get('fvTenant') ?? []).filter((mo) => /^uni\/tn-[^/]+$/.test(mo.dn)).map((mo) => mo.dn.slice(7));
  const knownTenant = opts.tenant !== undefined ? tenants.includes(opts.tenant) : tenants.length > 0;
  const leaves = leafFacts(byClass);
  const entries = bgpPeerEntryFacts(byClass);
  const facts: AciFacts = {
    controllers: controllerFacts(byClass),
    leaves,
    fabricAsn: fabricAsnFact(byClass),
    tenants: tenants.sort(),
    mos: configMos(all, opts.tenant),
    counts: countFacts(byClass, knownTenant, leaves !== undefined),
    bgpPeerEntries: leaves !== undefined || entries.length > 0 ? entries : undefined,
    policyCam: policyCamFacts(byClass),
    endpoints: endpointFacts(byClass),
    arpAdjacencies: arpAdjacencyFacts(byClass),
    routerIds: routerIdFacts(byClass, knownTenant),
    subnets: subnetFacts(byClass, knownTenant),
    physDomains: physDomainFacts(byClass),
    l3Domains: physDomainFacts(byClass, 'l3extDomP'),
    ipSelectors: ipSelectorFacts(byClass),
    capRules: capRuleFacts(byClass),
  };
  // Undefined sections are dropped so that the facts serialise (and hash) the same way every time.
  return AciFacts.parse(JSON.parse(JSON.stringify(facts)));
}

/** The facts' view of one tenant: whether its subtree was captured. */
export function tenantCaptured(facts: AciFacts, tenant: string): boolean {
  return facts.tenants.includes(tenant) || facts.mos[tenantDn(tenant)] !== undefined;
}
