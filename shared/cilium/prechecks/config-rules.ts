import type { Change, ChangeSpec } from '../../spec/index.js';
import type { PrecheckResult } from '../../plan/index.js';
import type { ClusterFacts } from '../facts/cluster-facts.js';
import { kubeProxyReplacementOn } from '../release/datapath-rules.js';
import { changesOf, fail, pass, unknown, type Finding, type Rule } from './rule-kit.js';

// The kit for the cilium-config rules of each kind (shared/kinds/*/prechecks.ts): the config a
// change will run under is the current one plus the spec's own ciliumConfig settings, so a spec
// that turns a feature on and uses it in one go passes (reference/cilium.md §2).

export interface Effective {
  readonly get: (key: string) => string | undefined;
  readonly source: (key: string) => string;
}

export function effectiveConfig(spec: ChangeSpec, facts: ClusterFacts | undefined): Effective | undefined {
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

export const truthy = (v: string | undefined) => v === 'true';
export const kprOn = (v: string | undefined) => v === 'true' || v === 'strict';

export interface Requirement {
  readonly keys: readonly string[];
  /** `release` is the cluster's Cilium version when the facts carry one. */
  readonly ok: (values: Array<string | undefined>, release: string | undefined, get: (key: string) => string | undefined) => boolean;
  readonly want: string;
}

export function checkRequirements(f: Finding, cfg: Effective | undefined, reqs: readonly Requirement[], fix: string, release?: string): PrecheckResult {
  if (!cfg) return unknown(f, 'cilium-config (the ConfigMap was not collected)');
  const missing = reqs.filter((r) => !r.ok(r.keys.map(cfg.get), release, cfg.get));
  const evidence = reqs.map((r) => r.keys.map(cfg.source).join(' / ')).join('; ');
  if (missing.length === 0) return pass(f, evidence);
  return fail(f, `${evidence} — needs ${missing.map((r) => r.want).join(', ')}`, fix);
}

// strict counts only where the release still accepts it (≤ 1.15, release/datapath-rules.ts).
export const kpr: Requirement = {
  keys: ['kube-proxy-replacement'],
  ok: ([v], release, get) => (release ? kubeProxyReplacementOn(release, get) : kprOn(v)),
  want: 'kube-proxy-replacement=true',
};

/** One result per present change of `type`: does the effective config meet `reqs`? */
export function requirementsRule<T extends Change['type']>(type: T, finding: Omit<Finding, 'change'>, reqs: readonly Requirement[], fix: string): Rule {
  return ({ spec, facts }) => {
    const cfg = effectiveConfig(spec, facts);
    return changesOf(spec, type).map(({ index }) => checkRequirements({ ...finding, change: index }, cfg, reqs, fix, facts?.ciliumVersion));
  };
}
