import type { PrecheckResult } from '../../plan/index.js';
import { effectiveConfig } from '../../cilium/prechecks/config-rules.js';
import { changesOf, fail, list, none, pass, unknown, type Rule } from '../../cilium/prechecks/rule-kit.js';
import { judgeOption } from '../../cilium/release/agent-options.js';
import { datapathRefusals } from '../../cilium/release/datapath-rules.js';
import type { ClusterPrechecks } from '../kind.js';
import { routingRules } from './routing-prechecks.js';

// ciliumConfig prechecks (cluster only). The schema (spec/cilium-config-keys.ts) says which keys a
// spec may set at all; here, against the release the cluster runs: whether that release reads
// each key and takes its value (shared/cilium/release/agent-options.ts), whether the agents
// would start with the config that results (shared/cilium/release/datapath-rules.ts, the
// agent's own refusal checks), and what a live cluster cannot survive (the IPAM mode).

const ipamRule: Rule = ({ spec, facts }) => {
  const out: PrecheckResult[] = [];
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

// A key the release does not read is ignored without a word; a value it cannot parse stops the agent.
const releaseOptionsRule: Rule = ({ spec, facts }) =>
  changesOf(spec, 'ciliumConfig').map(({ change, index }) => {
    const f = { id: 'cluster.config.release-options', title: "The release's agent reads every key the change sets and takes its value", change: index };
    const release = facts?.ciliumVersion;
    if (!release) return unknown(f, 'the Cilium version, so not which keys and values its agent takes');
    const verdicts = Object.entries(change.settings).filter(([key]) => key !== 'ipam').map(([key, value]) => judgeOption(key, value, release));
    const unknownKeys = verdicts.filter((v) => v.problem === 'unknown-key');
    const bad = verdicts.filter((v) => v.problem === 'absent' || v.problem === 'value');
    if (bad.length > 0) {
      return fail(f, list(bad.map((v) => v.text), 6), `leave these keys out or use values Cilium ${release} takes (the egress gateway, for one, is enable-ipv4-egress-gateway before 1.18 and enable-egress-gateway from 1.18)`);
    }
    if (unknownKeys.length > 0) return unknown(f, `${list(unknownKeys.map((v) => v.text))}`, 'add the key to shared/cilium/release/agent-options.ts with the releases that read it');
    return pass(f, list(verdicts.map((v) => v.text), 6));
  });

// The agent refuses to start (or ignores the settings) on these combinations; judged on the
// config the agents will restart with: today's cilium-config plus the spec's settings.
const datapathRule: Rule = ({ spec, facts }) =>
  changesOf(spec, 'ciliumConfig').map(({ index }) => {
    const f = { id: 'cluster.config.datapath', title: 'The agents start with the resulting datapath settings', change: index };
    const release = facts?.ciliumVersion;
    const cfg = effectiveConfig(spec, facts);
    if (!release) return unknown(f, 'the Cilium version, so not which datapath combinations its agent refuses');
    if (!cfg) return unknown(f, 'cilium-config (the ConfigMap was not collected)');
    const refusals = datapathRefusals(release, cfg.get);
    if (refusals.length > 0) return fail(f, refusals.map((r) => r.evidence).join('; '), refusals.map((r) => r.fix).join('; '));
    return pass(f, `Cilium ${release} accepts ${['kube-proxy-replacement', 'routing-mode', 'bpf-lb-mode', 'bpf-lb-dsr-dispatch', 'bpf-lb-acceleration', 'bpf-lb-algorithm'].map(cfg.source).join(', ')}`);
  });

const configRule: Rule = (ctx) => [...ipamRule(ctx), ...releaseOptionsRule(ctx), ...datapathRule(ctx), ...routingRules(ctx)];

export const ciliumConfigClusterPrechecks: ClusterPrechecks = { release: none, config: configRule, nodes: none, existing: none };
