import { parseInterfaceAddress } from '../../spec/addresses.js';
import { isAtLeast } from '../version.js';

// Which cilium-config keys the agent of each release reads, and the values it takes. The agent
// ignores a key it does not read (no warning: viper just has an unused entry), and refuses to
// start on a value it cannot parse, so a ciliumConfig change is checked against the release it
// will run on, not against the newest one. Each span cites where that release reads the key;
// test/unit/cilium/crd-schema.test.ts compares this table with the option table read from the
// releases' source (reference/cilium-crds/cilium-config-keys.tsv).

export type OptionRule =
  | { readonly type: 'absent' | 'bool' | 'duration' | 'cidr4' | 'dnslabel' | 'number' | 'uint' }
  | { readonly type: 'enum'; readonly values: readonly string[] };

interface OptionSpan {
  /** First release the span applies to; the next span (if any) ends it. */
  readonly since: string;
  readonly rule: OptionRule;
  readonly source: string;
}

const bool: OptionRule = { type: 'bool' };
const duration: OptionRule = { type: 'duration' };
const enumOf = (...values: string[]): OptionRule => ({ type: 'enum', values });
const config = 'pkg/option/config.go';
const lbConfig = 'pkg/loadbalancer/config.go';

/** Keys changeflow knows the release history of, oldest span first. */
export const agentOptions: Readonly<Record<string, readonly OptionSpan[]>> = {
  'bpf-lb-algorithm': [{ since: '1.14', rule: enumOf('random', 'maglev'), source: config }, { since: '1.18', rule: enumOf('random', 'maglev'), source: lbConfig }],
  'bpf-lb-mode': [{ since: '1.14', rule: enumOf('snat', 'dsr', 'hybrid'), source: config }, { since: '1.18', rule: enumOf('snat', 'dsr', 'hybrid'), source: lbConfig }],
  'bpf-lb-dsr-dispatch': [{ since: '1.14', rule: enumOf('opt', 'ipip', 'geneve'), source: config }, { since: '1.18', rule: enumOf('opt', 'ipip', 'geneve'), source: lbConfig }],
  // XDPMode* constants: best-effort arrived in 1.15.
  'bpf-lb-acceleration': [
    { since: '1.14', rule: enumOf('disabled', 'native', 'testing-only'), source: `${config} (XDPMode*)` },
    { since: '1.15', rule: enumOf('disabled', 'native', 'best-effort', 'testing-only'), source: `${config} (XDPMode*)` },
  ],
  'bpf-lb-maglev-table-size': [
    { since: '1.14', rule: enumOf('251', '509', '1021', '2039', '4093', '8191', '16381', '32749', '65521', '131071'), source: 'daemon/cmd/kube_proxy_replacement.go (supportedPrimes)' },
    { since: '1.17', rule: enumOf('251', '509', '1021', '2039', '4093', '8191', '16381', '32749', '65521', '131071'), source: 'pkg/maglev/maglev.go' },
  ],
  'enable-bgp-control-plane': [{ since: '1.14', rule: bool, source: config }],
  'enable-bgp-control-plane-status-report': [
    { since: '1.14', rule: { type: 'absent' }, source: `${config} (EnableBGPControlPlaneStatusReport)` },
    { since: '1.17', rule: bool, source: `${config} (EnableBGPControlPlaneStatusReport)` },
  ],
  'bgp-secrets-namespace': [
    { since: '1.14', rule: { type: 'absent' }, source: `${config} (BGPSecretsNamespace)` },
    { since: '1.15', rule: { type: 'dnslabel' }, source: `${config} (BGPSecretsNamespace)` },
  ],
  // Before 1.18 only enable-ipv4-egress-gateway; 1.18 reads both; 1.19 removed the IPv4 key.
  'enable-egress-gateway': [
    { since: '1.14', rule: { type: 'absent' }, source: `${config} (EnableEgressGateway; before 1.18 only enable-ipv4-egress-gateway)` },
    { since: '1.18', rule: bool, source: `${config} (EnableEgressGateway)` },
  ],
  'enable-ipv4-egress-gateway': [
    { since: '1.14', rule: bool, source: `${config} (EnableIPv4EgressGateway; deprecated in 1.18, removed in 1.19)` },
    { since: '1.19', rule: { type: 'absent' }, source: `${config} (EnableIPv4EgressGateway; removed in 1.19)` },
  ],
  'egress-gateway-reconciliation-trigger-interval': [{ since: '1.14', rule: duration, source: 'pkg/egressgateway/manager.go' }],
  'enable-bpf-masquerade': [{ since: '1.14', rule: bool, source: config }],
  'enable-ipv4-masquerade': [{ since: '1.14', rule: bool, source: config }],
  'enable-l2-announcements': [{ since: '1.14', rule: bool, source: config }],
  'l2-announcements-lease-duration': [{ since: '1.14', rule: duration, source: config }],
  'l2-announcements-renew-deadline': [{ since: '1.14', rule: duration, source: config }],
  'l2-announcements-retry-period': [{ since: '1.14', rule: duration, source: config }],
  'routing-mode': [{ since: '1.14', rule: enumOf('native', 'tunnel'), source: `${config} (RoutingModeNative/Tunnel)` }],
  'auto-direct-node-routes': [{ since: '1.14', rule: bool, source: config }],
  'enable-endpoint-routes': [{ since: '1.14', rule: bool, source: config }],
  'ipv4-native-routing-cidr': [{ since: '1.14', rule: { type: 'cidr4' }, source: config }],
  // strict/partial/disabled were deprecated in 1.14 and refused from 1.16 (initKubeProxyReplacementOptions).
  'kube-proxy-replacement': [
    { since: '1.14', rule: enumOf('true', 'false', 'strict', 'partial', 'disabled'), source: `${config} (KubeProxyReplacement*)` },
    { since: '1.16', rule: enumOf('true', 'false'), source: 'daemon/cmd/kube_proxy_replacement.go (true|false only)' },
  ],
  'identity-allocation-mode': [
    { since: '1.14', rule: enumOf('crd', 'kvstore'), source: config },
    { since: '1.17', rule: enumOf('crd', 'kvstore', 'doublewrite-readkvstore', 'doublewrite-readcrd'), source: config },
  ],
  'k8s-client-qps': [{ since: '1.14', rule: { type: 'number' }, source: config }],
  'k8s-client-burst': [{ since: '1.14', rule: { type: 'uint' }, source: config }],
};

/** The rule the agent of `release` applies to `key`, or undefined when changeflow does not know the key. */
export function agentOption(key: string, release: string): { readonly rule: OptionRule; readonly source: string } | undefined {
  const spans = agentOptions[key];
  if (!spans) return undefined;
  let found: OptionSpan | undefined;
  for (const span of spans) if (isAtLeast(release, span.since)) found = span;
  return found ?? { rule: { type: 'absent' }, source: spans[0]?.source ?? config };
}

// Go's strconv.ParseBool (viper's GetBool) and time.ParseDuration.
const goBools = ['1', 't', 'T', 'TRUE', 'true', 'True', '0', 'f', 'F', 'FALSE', 'false', 'False'];
const goDuration = /^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$/;

function valueProblem(rule: OptionRule, value: string): string | undefined {
  switch (rule.type) {
    case 'absent':
      return undefined;
    case 'bool':
      return goBools.includes(value) ? undefined : 'a boolean (true or false)';
    case 'duration':
      return goDuration.test(value) ? undefined : 'a duration such as 15s';
    case 'cidr4':
      // Go's net.ParseCIDR, as the agent parses it: a dotted quad, host bits allowed.
      return parseInterfaceAddress(value)?.family === 'ipv4' ? undefined : 'an IPv4 CIDR such as 10.244.0.0/16';
    case 'dnslabel':
      return /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(value) ? undefined : 'a namespace name (DNS label)';
    case 'number':
      return /^[0-9]+(\.[0-9]+)?$/.test(value) ? undefined : 'a number';
    case 'uint':
      return /^[0-9]+$/.test(value) ? undefined : 'a whole number';
    case 'enum':
      return rule.values.includes(value) ? undefined : `one of ${rule.values.join(', ')}`;
  }
}

export interface OptionVerdict {
  readonly ok: boolean;
  /** `absent`: the release does not read the key; `value`: it does not take the value. */
  readonly problem?: 'absent' | 'value' | 'unknown-key';
  readonly text: string;
}

/** Does the agent of `release` read `key` and take `value`? The text names the release and where it reads the key. */
export function judgeOption(key: string, value: string, release: string): OptionVerdict {
  const option = agentOption(key, release);
  if (!option) return { ok: false, problem: 'unknown-key', text: `changeflow does not know which Cilium releases read ${key}` };
  if (option.rule.type === 'absent') return { ok: false, problem: 'absent', text: `Cilium ${release} does not read ${key} (${option.source}): the setting would be ignored` };
  const want = valueProblem(option.rule, value);
  if (want) return { ok: false, problem: 'value', text: `Cilium ${release} takes ${want} for ${key}, not "${value}" (${option.source}); ${option.rule.type === 'enum' ? 'the agent refuses to start with "Invalid value"' : 'the agent cannot parse it'}` };
  return { ok: true, text: `${key}=${value} is read by Cilium ${release} (${option.source})` };
}
