import * as z from '../../zod.js';
import type { PrecheckResult } from '../../plan/index.js';
import { usableAddresses } from '../../cilium/ip-ranges.js';
import { describeSelector, selectorsCanOverlap } from '../../cilium/label-selector.js';
import { isManagedByChangeflow } from '../../cilium/plan/field-owners.js';
import { effectiveConfig, kpr, requirementsRule, truthy } from '../../cilium/prechecks/config-rules.js';
import { LabelSelector, selectorMatches } from '../../cilium/label-selector.js';
import { clientRateAdvice } from '../../cilium/release/l2-client-rate.js';
import { aciIpsPerMac, poolView, type PoolView } from '../../cilium/prechecks/pool-rules.js';
import { advise, changesOf, fail, list, none, objectsOfKind, pass, unknown, type Rule } from '../../cilium/prechecks/rule-kit.js';
import type { ClusterPrechecks } from '../kind.js';

// l2Announcement prechecks (cluster only): the feature and kube-proxy replacement; an L2
// announcement answers ARP for every IP of the pools it covers from one node's MAC, and ACI
// learns at most 4096 IPs per MAC (reference/aci.md, capacity); the agents' API client rate must
// keep up with one Lease renewal per announced service (an advisory, sized as the L2
// announcements guide does: shared/cilium/release/l2-client-rate.ts).


const configRule = requirementsRule(
  'l2Announcement',
  { id: 'cluster.config.l2-announcements', title: 'L2 announcements and kube-proxy replacement are on' },
  [{ keys: ['enable-l2-announcements'], ok: ([v]) => truthy(v), want: 'enable-l2-announcements=true' }, kpr],
  'turn on l2announcements.enabled and kubeProxyReplacement (Helm), or set enable-l2-announcements: "true" with a ciliumConfig change, then restart the agents and operator',
);

const l2PoolSizeRule: Rule = ({ spec, facts }): PrecheckResult[] =>
  changesOf(spec, 'l2Announcement').map(({ change, index }) => {
    const f = { id: 'cluster.l2.pool-size', title: `The L2 announcement stays within ACI's ${aciIpsPerMac} IPs per MAC`, change: index };
    if (!change.loadBalancerIPs) return pass(f, 'the policy announces externalIPs only; no LB-IPAM pool is announced');
    const existing = objectsOfKind(facts, 'CiliumLoadBalancerIPPool');
    const byName = new Map<string, PoolView>();
    for (const p of existing ?? []) byName.set(p.metadata.name, poolView(p, isManagedByChangeflow(p)));
    for (const { change: pool } of changesOf(spec, 'loadBalancerPool', 'any')) {
      if (pool.state === 'absent') byName.delete(pool.name);
      else {
        byName.set(pool.name, {
          name: pool.name,
          blocks: pool.blocks.map((cidr) => ({ cidr })),
          ...(Object.keys(pool.serviceSelector).length > 0 ? { selector: { matchLabels: pool.serviceSelector } } : {}),
          allowFirstLast: pool.allowFirstLastIPs !== false,
          disabled: false,
          changeflow: true,
        });
      }
    }
    const matched = [...byName.values()].filter((p) => !p.disabled && selectorsCanOverlap(change.serviceSelector, p.selector));
    const total = matched.reduce((sum, p) => sum + p.blocks.reduce((s, b) => s + usableAddresses(b, p.allowFirstLast), 0n), 0n);
    const detail = `services matching ${describeSelector(change.serviceSelector)} can take IPs from ${list(matched.map((p) => p.name))}: ${total} address(es)`;
    if (total > BigInt(aciIpsPerMac)) {
      return fail(f, `${detail}, more than the ${aciIpsPerMac} IPs ACI learns per MAC; one node answers ARP for all of them`, `narrow serviceSelector to pools totalling at most ${aciIpsPerMac} addresses, or advertise those pools over BGP instead of L2`);
    }
    if (!existing) return unknown(f, `the existing CiliumLoadBalancerIPPools (not listed); the spec's own pools give ${total} address(es)`);
    return pass(f, `${detail} (≤ ${aciIpsPerMac})`);
  });

const PolicySelector = z.looseObject({ spec: z.optional(z.looseObject({ serviceSelector: z.optional(LabelSelector) })) });

// Services announced after the change: LoadBalancer services selected by this policy or by an
// L2 policy already in the cluster (a Lease each). Advisory only: throttled renewals make leases
// flap, they do not stop the change.
const clientRateRule: Rule = ({ spec, facts }) =>
  changesOf(spec, 'l2Announcement').map(({ change, index }) => {
    const f = { id: 'cluster.l2.client-rate', title: 'The agents may call the API fast enough to renew one Lease per announced service', change: index };
    const cfg = effectiveConfig(spec, facts);
    const services = objectsOfKind(facts, 'Service');
    if (!cfg || !services) return pass(f, 'not sized: the LoadBalancer services or cilium-config were not collected (advisory only)');
    const others = (objectsOfKind(facts, 'CiliumL2AnnouncementPolicy') ?? [])
      .filter((p) => p.metadata.name !== change.name)
      .map((p) => PolicySelector.safeParse(p))
      .map((p) => (p.success ? p.data.spec?.serviceSelector : undefined));
    const selectors: Array<LabelSelector | undefined> = [{ matchLabels: change.serviceSelector }, ...others];
    const announced = services.filter((svc) => selectors.some((sel) => selectorMatches(sel ?? {}, (svc.metadata['labels'] as Record<string, string> | undefined) ?? {})));
    const a = clientRateAdvice(announced.length, cfg.get);
    const sizing = `${a.services} announced LoadBalancer service(s) / ${a.renewDeadlineSeconds}s renew deadline = ${a.neededQps.toFixed(1)} QPS; k8s-client-qps=${a.qps}${cfg.get('k8s-client-qps') === undefined ? ' (default)' : ''}, k8s-client-burst=${a.burst}${cfg.get('k8s-client-burst') === undefined ? ' (default)' : ''}`;
    if (!a.short) return pass(f, `${sizing} (the L2 announcements guide's sizing)`);
    return advise(
      f,
      `${sizing}: below what the L2 announcements guide sizes for, so lease renewals get throttled and announcements can move between nodes`,
      `set k8s-client-qps: "${a.suggestedQps}" and k8s-client-burst: "${a.suggestedBurst}" (Helm k8sClientRateLimit.qps/burst), or lengthen l2-announcements-renew-deadline`,
    );
  });

const existingRule: Rule = (ctx) => [...l2PoolSizeRule(ctx), ...clientRateRule(ctx)];

export const l2AnnouncementClusterPrechecks: ClusterPrechecks = { release: none, config: configRule, nodes: none, existing: existingRule };
