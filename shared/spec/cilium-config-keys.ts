// The cilium-config keys a ChangeSpec may set, with their allowed values and what must restart
// for them to take effect (reference/cilium.md §2). Anything else is refused: in particular
// `ipam`, because changing the IPAM mode of a live cluster strands every running pod.

export type Restart = 'agent' | 'operator';

export interface ConfigKeyRule {
  /** Allowed values, or a pattern with an example for free-form values. */
  readonly values: readonly string[] | { readonly pattern: RegExp; readonly example: string };
  readonly restarts: readonly Restart[];
  readonly note?: string;
}

const bool = ['true', 'false'] as const;
const duration = { pattern: /^\d+(ms|s|m|h)$/, example: '15s' };

export const ciliumConfigKeys: Readonly<Record<string, ConfigKeyRule>> = {
  'bpf-lb-algorithm': { values: ['random', 'maglev'], restarts: ['agent'] },
  'bpf-lb-mode': { values: ['snat', 'dsr', 'hybrid'], restarts: ['agent'] },
  'bpf-lb-acceleration': { values: ['disabled', 'native', 'best-effort'], restarts: ['agent'] },
  'bpf-lb-dsr-dispatch': { values: ['opt', 'ipip', 'geneve'], restarts: ['agent'] },
  // Maglev needs a prime table size; these are the sizes Cilium documents.
  'bpf-lb-maglev-table-size': {
    values: ['251', '509', '1021', '2039', '4093', '8191', '16381', '32749', '65521', '131071'],
    restarts: ['agent'],
  },
  // The seed design's datapath (issue 15 §4): native routing with direct node routes and
  // endpoint routes on the floating-SVI segment, kube-proxy replacement. Prechecks judge the
  // combination (shared/kinds/cilium-config/routing-prechecks.ts, shared/cilium/release).
  'routing-mode': { values: ['native', 'tunnel'], restarts: ['agent'], note: 'tunnel ↔ native is disruptive while the agents restart' },
  'auto-direct-node-routes': { values: bool, restarts: ['agent'] },
  'enable-endpoint-routes': { values: bool, restarts: ['agent'] },
  'ipv4-native-routing-cidr': { values: { pattern: /^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/, example: '10.244.0.0/16' }, restarts: ['agent'] },
  'kube-proxy-replacement': { values: bool, restarts: ['agent'] },
  'enable-bgp-control-plane': { values: bool, restarts: ['agent', 'operator'] },
  'enable-bgp-control-plane-status-report': { values: bool, restarts: ['agent'] },
  'bgp-secrets-namespace': { values: { pattern: /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, example: 'kube-system' }, restarts: ['agent'] },
  'enable-egress-gateway': { values: bool, restarts: ['agent', 'operator'] },
  'egress-gateway-reconciliation-trigger-interval': { values: duration, restarts: ['agent'] },
  'enable-bpf-masquerade': { values: bool, restarts: ['agent'] },
  'enable-l2-announcements': { values: bool, restarts: ['agent', 'operator'] },
  'l2-announcements-lease-duration': { values: duration, restarts: ['agent'] },
  'l2-announcements-renew-deadline': { values: duration, restarts: ['agent'] },
  'l2-announcements-retry-period': { values: duration, restarts: ['agent'] },
};

export const refusedConfigKeys: Readonly<Record<string, string>> = {
  ipam: 'changing the IPAM mode of a live cluster is refused: every running pod would keep an address from the old allocator',
  'cluster-pool-ipv4-cidr': 'pod CIDRs cannot be changed on a live cluster',
};

/** Returns a sentence saying why `key: value` is not allowed, or undefined when it is. */
export function configSettingProblem(key: string, value: string): string | undefined {
  const refused = refusedConfigKeys[key];
  if (refused) return `"${key}" may not be set: ${refused}`;
  const rule = ciliumConfigKeys[key];
  if (!rule) {
    return `"${key}" is not a cilium-config key changeflow may set; allowed: ${Object.keys(ciliumConfigKeys).join(', ')}`;
  }
  if (Array.isArray(rule.values)) {
    const values = rule.values as readonly string[];
    return values.includes(value) ? undefined : `"${key}" must be one of ${values.join(', ')}; got "${value}"`;
  }
  const { pattern, example } = rule.values as { pattern: RegExp; example: string };
  return pattern.test(value) ? undefined : `"${key}" has the wrong form "${value}"; expected e.g. ${example}`;
}
