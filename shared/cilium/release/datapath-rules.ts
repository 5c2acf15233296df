import { isAtLeast } from '../version.js';
import { agentOption } from './agent-options.js';

// The combinations of datapath options the agent of a release refuses to start with, or silently
// ignores, judged on the config the agents will run with (the current cilium-config plus a
// change's settings). Both the ciliumConfig kind (what it sets) and the kinds that need a
// feature use these. Sources, per release line:
//  - ≤ 1.17: daemon/cmd/kube_proxy_replacement.go, initKubeProxyReplacementOptions
//    (cilium/cilium@c2fcf1db v1.14.16 … @6fc7f972 v1.17.14);
//  - ≥ 1.18: pkg/kpr/initializer/kube_proxy_replacement.go, InitKubeProxyReplacementOptions
//    (cilium/cilium@c1601689 v1.18.3 and later), which keeps the same checks but drops the
//    datapath-mode=lb-only condition of IPIP dispatch and applies the DSR ones to hybrid mode too;
//  - docs: https://docs.cilium.io/en/stable/network/kubernetes/kubeproxy-free/ (DSR, Maglev, XDP
//    acceleration are kube-proxy-replacement features).

export type ConfigLookup = (key: string) => string | undefined;

export interface DatapathRefusal {
  /** Short rule name, e.g. `dsr-vxlan`. */
  readonly rule: string;
  readonly evidence: string;
  readonly fix: string;
}

/** The agent's own defaults where the key is unset (pkg/option/config.go, pkg/defaults). */
const defaults: Readonly<Record<string, string>> = {
  'routing-mode': 'tunnel',
  'tunnel-protocol': 'vxlan',
  'underlay-protocol': 'ipv4',
  'bpf-lb-mode': 'snat',
  'bpf-lb-algorithm': 'random',
  'bpf-lb-dsr-dispatch': 'opt',
  'bpf-lb-acceleration': 'disabled',
  'bpf-lb-maglev-table-size': '16381',
  'datapath-mode': 'veth',
  'kube-proxy-replacement': 'false',
};

export const maglevPrimes = ['251', '509', '1021', '2039', '4093', '8191', '16381', '32749', '65521', '131071'] as const;

function value(get: ConfigLookup, key: string): string {
  return get(key) ?? defaults[key] ?? '';
}

/** Tunnelling on? routing-mode (1.14+), or the legacy `tunnel` key (vxlan|geneve|disabled) ≤ 1.14. */
export function tunnelling(get: ConfigLookup): { on: boolean; protocol: string } {
  const legacy = get('tunnel');
  const mode = get('routing-mode') ?? (legacy === 'disabled' ? 'native' : defaults['routing-mode']);
  const protocol = get('tunnel-protocol') ?? (legacy && legacy !== 'disabled' ? legacy : defaults['tunnel-protocol'] ?? 'vxlan');
  return { on: mode === 'tunnel', protocol };
}

/**
 * Does the agent run its kube-proxy replacement (BPF NodePort)? `true` on every release; `strict`
 * (and `partial` with enable-node-port) only up to 1.15, where they were still accepted.
 */
export function kubeProxyReplacementOn(release: string, get: ConfigLookup): boolean {
  const kpr = value(get, 'kube-proxy-replacement');
  if (kpr === 'true') return true;
  if (isAtLeast(release, '1.16')) return false;
  return kpr === 'strict' || (kpr === 'partial' && get('enable-node-port') === 'true');
}

const show = (get: ConfigLookup, key: string) => `${key}=${value(get, key)}${get(key) === undefined ? ' (default)' : ''}`;

/** Every refusal that applies; empty when the agent starts and uses what it was given. */
export function datapathRefusals(release: string, get: ConfigLookup): DatapathRefusal[] {
  const out: DatapathRefusal[] = [];
  const kprText = value(get, 'kube-proxy-replacement');
  const kprRule = agentOption('kube-proxy-replacement', release)?.rule;
  // Kube-proxy replacement values: strict/partial/disabled only ≤ 1.15; true/false from 1.16.
  if (get('kube-proxy-replacement') !== undefined && kprRule?.type === 'enum' && !kprRule.values.includes(kprText)) {
    out.push({
      rule: 'kpr-value',
      evidence: `kube-proxy-replacement=${kprText}: Cilium ${release} accepts only ${kprRule.values.join('|')} and refuses to start ("Invalid value for --kube-proxy-replacement")`,
      fix: kprText === 'strict' ? 'use kube-proxy-replacement: "true" (strict was removed in 1.16)' : 'use kube-proxy-replacement: "false" (partial/disabled were removed in 1.16)',
    });
  }
  const kpr = kubeProxyReplacementOn(release, get);
  const mode = value(get, 'bpf-lb-mode');
  const dispatch = value(get, 'bpf-lb-dsr-dispatch');
  const xdp = value(get, 'bpf-lb-acceleration') !== 'disabled';
  // ≤ 1.17 checks NodePortMode == dsr for IPIP; LoadBalancerUsesDSR() (dsr or hybrid) for the rest.
  const usesDsr = mode === 'dsr' || mode === 'hybrid';
  const tunnel = tunnelling(get);

  // DSR, Maglev and XDP are features of the BPF NodePort datapath, which only kube-proxy
  // replacement turns on; without it the agent starts and ignores them.
  const kprFeatures = [
    ...(usesDsr ? [show(get, 'bpf-lb-mode')] : []),
    ...(value(get, 'bpf-lb-algorithm') === 'maglev' ? [show(get, 'bpf-lb-algorithm')] : []),
    ...(xdp ? [show(get, 'bpf-lb-acceleration')] : []),
  ];
  if (!kpr && kprFeatures.length > 0) {
    out.push({
      rule: 'needs-kpr',
      evidence: `${kprFeatures.join(', ')} with ${show(get, 'kube-proxy-replacement')}: on Cilium ${release} these are kube-proxy-replacement features and are ignored without it`,
      fix: 'set kube-proxy-replacement: "true" in the same ciliumConfig change (only on a cluster that runs without kube-proxy), or leave these settings out',
    });
    return out;
  }
  if (!kpr) return out;

  if (tunnel.on && tunnel.protocol === 'vxlan' && usesDsr) {
    out.push({
      rule: 'dsr-vxlan',
      evidence: `${show(get, 'bpf-lb-mode')} with routing-mode=tunnel and tunnel-protocol=vxlan: Cilium ${release} refuses to start ("Node Port ${mode} mode cannot be used with vxlan tunneling")`,
      fix: 'use bpf-lb-mode: snat, or native routing (routing-mode: native), or tunnel-protocol: geneve with bpf-lb-dsr-dispatch: geneve',
    });
  } else if (tunnel.on && usesDsr && dispatch !== 'geneve') {
    out.push({
      rule: 'dsr-tunnel-dispatch',
      evidence: `${show(get, 'bpf-lb-mode')} in tunnel mode with ${show(get, 'bpf-lb-dsr-dispatch')}: Cilium ${release} refuses to start ("Tunnel routing with Node Port ${mode} mode requires geneve dispatch")`,
      fix: 'set bpf-lb-dsr-dispatch: geneve (with tunnel-protocol: geneve), or use native routing',
    });
  }
  if (usesDsr && dispatch === 'geneve' && tunnel.protocol !== 'geneve') {
    out.push({
      rule: 'geneve-dispatch-tunnel',
      evidence: `bpf-lb-dsr-dispatch=geneve with ${show(get, 'tunnel-protocol')}: Cilium ${release} refuses to start ("Node Port ${mode} mode with geneve dispatch requires geneve tunnel protocol")`,
      fix: 'set tunnel-protocol: geneve, or use bpf-lb-dsr-dispatch: opt (native routing) instead',
    });
  }
  const ipipChecked = isAtLeast(release, '1.18') ? usesDsr : mode === 'dsr';
  if (!isAtLeast(release, '1.18') && mode === 'hybrid' && dispatch === 'ipip') {
    out.push({
      rule: 'hybrid-ipip',
      evidence: `bpf-lb-mode=hybrid with bpf-lb-dsr-dispatch=ipip: Cilium ${release} accepts only opt or geneve dispatch in hybrid mode and refuses to start ("Invalid value for --bpf-lb-dsr-dispatch")`,
      fix: 'use bpf-lb-dsr-dispatch: opt (or geneve), or bpf-lb-mode: dsr',
    });
  }
  if (ipipChecked && dispatch === 'ipip') {
    if (!xdp) {
      out.push({
        rule: 'ipip-needs-xdp',
        evidence: `bpf-lb-dsr-dispatch=ipip with ${show(get, 'bpf-lb-acceleration')}: Cilium ${release} refuses to start ("DSR dispatch mode ipip currently only available under XDP acceleration")`,
        fix: 'set bpf-lb-acceleration: native (XDP) or use bpf-lb-dsr-dispatch: opt',
      });
    }
    if (!isAtLeast(release, '1.18') && value(get, 'datapath-mode') !== 'lb-only') {
      out.push({
        rule: 'ipip-needs-lb-only',
        evidence: `bpf-lb-dsr-dispatch=ipip with ${show(get, 'datapath-mode')}: Cilium ${release} supports IPIP dispatch only as a standalone load balancer ("DSR dispatch mode ipip only supported for --datapath-mode=lb-only")`,
        fix: 'use bpf-lb-dsr-dispatch: opt (or geneve) on a cluster datapath; IPIP dispatch before 1.18 is for datapath-mode: lb-only',
      });
    }
  }
  // The IPv6 tunnel underlay (underlay-protocol, 1.17+) cannot carry XDP-accelerated traffic.
  if (xdp && tunnel.on && isAtLeast(release, '1.17') && value(get, 'underlay-protocol') === 'ipv6') {
    out.push({
      rule: 'xdp-ipv6-underlay',
      evidence: `${show(get, 'bpf-lb-acceleration')} in tunnel mode with underlay-protocol=ipv6: Cilium ${release} refuses to start ("XDP acceleration cannot be used with an IPv6 underlay")`,
      fix: 'set bpf-lb-acceleration: disabled, or use underlay-protocol: ipv4, or native routing',
    });
  }
  // "Invalid value for --bpf-lb-maglev-table-size: N, supported values are: [...]"
  const table = get('bpf-lb-maglev-table-size');
  if (table !== undefined && !(maglevPrimes as readonly string[]).includes(table)) {
    out.push({
      rule: 'maglev-table-size',
      evidence: `bpf-lb-maglev-table-size=${table}: Cilium ${release} accepts only the primes ${maglevPrimes.join(', ')} and refuses to start`,
      fix: `pick one of ${maglevPrimes.join(', ')} (about 100 × the largest backend count)`,
    });
  }
  return out;
}
