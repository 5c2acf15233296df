import type { ChangeSpec } from '../../spec/index.js';
import type { PrecheckResult } from '../../plan/index.js';
import type { ClusterFacts } from '../facts/cluster-facts.js';
import { changesOf, fail, pass, unknown, type Finding, type Rule } from './rule-kit.js';

// cilium-config keys each feature needs (reference/cilium.md §2). The config a change will run
// under is the current one plus the spec's own ciliumConfig settings, so a spec that turns a
// feature on and uses it in one go passes.

interface Effective {
  readonly get: (key: string) => string | undefined;
  readonly source: (key: string) => string;
}

function effectiveConfig(spec: ChangeSpec, facts: ClusterFacts | undefined): Effective | undefined {
  if (!facts?.config) return undefined;
  const config = facts.config;
  const fromSpec = new Map<string, { value: string; index: number }>();
  for (const { change, index } of changesOf(spec, 'ciliumConfig')) {
    for (const [k, v] of Object.entries(change.settings)) fromSpec.set(k, { value: v, index });
  }
  return {
    get: (key) => fromSpec.get(key)?.value ?? config[key],
    source: (key) => {
      const s = fromSpec.get(key);
      if (s) return `${key}=${s.value} (set by changes[${s.index}])`;
      return key in config ? `${key}=${config[key]}` : `${key} unset`;
    },
  };
}

const truthy = (v: string | undefined) => v === 'true';
const kprOn = (v: string | undefined) => v === 'true' || v === 'strict';

interface Requirement {
  readonly keys: readonly string[];
  readonly ok: (values: Array<string | undefined>) => boolean;
  readonly want: string;
}

function checkRequirements(f: Finding, cfg: Effective | undefined, reqs: readonly Requirement[], fix: string): PrecheckResult {
  if (!cfg) return unknown(f, 'cilium-config (the ConfigMap was not collected)');
  const missing = reqs.filter((r) => !r.ok(r.keys.map(cfg.get)));
  const evidence = reqs.map((r) => r.keys.map(cfg.source).join(' / ')).join('; ');
  if (missing.length === 0) return pass(f, evidence);
  return fail(f, `${evidence} — needs ${missing.map((r) => r.want).join(', ')}`, fix);
}

const kpr: Requirement = { keys: ['kube-proxy-replacement'], ok: ([v]) => kprOn(v), want: 'kube-proxy-replacement=true' };

export const configRules: Rule = ({ spec, facts }) => {
  const cfg = effectiveConfig(spec, facts);
  const out: PrecheckResult[] = [];
  for (const { index } of changesOf(spec, 'bgpPeering')) {
    out.push(checkRequirements(
      { id: 'cluster.config.bgp-control-plane', title: 'The BGP control plane is enabled', change: index },
      cfg,
      [{ keys: ['enable-bgp-control-plane'], ok: ([v]) => truthy(v), want: 'enable-bgp-control-plane=true' }],
      'enable it (Helm bgpControlPlane.enabled=true, or a ciliumConfig change setting enable-bgp-control-plane: "true" before this one) and restart the agents and operator',
    ));
    const f = { id: 'cluster.config.bgp-status-report', title: 'BGP status reporting is on, so the peering can be verified', change: index };
    if (!cfg) out.push(unknown(f, 'cilium-config'));
    else if (cfg.get('enable-bgp-control-plane-status-report') === 'false') {
      out.push(fail(f, `${cfg.source('enable-bgp-control-plane-status-report')}: CiliumBGPNodeConfig status stays empty and the verify step cannot see the sessions`, 'set enable-bgp-control-plane-status-report: "true" (Helm bgpControlPlane.statusReport.enabled) with a ciliumConfig change'));
    } else {
      out.push(pass(f, cfg.get('enable-bgp-control-plane-status-report') === undefined ? 'enable-bgp-control-plane-status-report unset: the agent default (on) applies' : cfg.source('enable-bgp-control-plane-status-report')));
    }
  }
  for (const { index } of changesOf(spec, 'egressGateway')) {
    out.push(checkRequirements(
      { id: 'cluster.config.egress-gateway', title: 'Egress gateway, BPF masquerading and kube-proxy replacement are on', change: index },
      cfg,
      [
        { keys: ['enable-egress-gateway', 'enable-ipv4-egress-gateway'], ok: (vs) => vs.some(truthy), want: 'enable-egress-gateway=true' },
        { keys: ['enable-bpf-masquerade'], ok: ([v]) => truthy(v), want: 'enable-bpf-masquerade=true' },
        kpr,
      ],
      'turn on egressGateway.enabled, bpf.masquerade and kubeProxyReplacement in the Cilium install (egress gateway requires all three), then restart the agents and operator',
    ));
  }
  for (const { index } of changesOf(spec, 'l2Announcement')) {
    out.push(checkRequirements(
      { id: 'cluster.config.l2-announcements', title: 'L2 announcements and kube-proxy replacement are on', change: index },
      cfg,
      [{ keys: ['enable-l2-announcements'], ok: ([v]) => truthy(v), want: 'enable-l2-announcements=true' }, kpr],
      'turn on l2announcements.enabled and kubeProxyReplacement (Helm), or set enable-l2-announcements: "true" with a ciliumConfig change, then restart the agents and operator',
    ));
  }
  for (const { change, index } of changesOf(spec, 'ciliumConfig')) {
    const f = { id: 'cluster.config.ipam-unchanged', title: 'The IPAM mode stays as it is', change: index };
    const keys = Object.keys(change.settings);
    if (keys.includes('ipam')) {
      out.push(fail(f, `the change sets ipam=${change.settings['ipam']}`, 'remove ipam from the settings: changing the IPAM mode of a live cluster strands every running pod'));
    } else {
      out.push(pass(f, `the change sets only ${keys.join(', ')}; ipam stays ${facts?.config?.['ipam'] ?? '(not collected)'}`));
    }
  }
  return out;
};
