import type { PrecheckResult } from '../../plan/index.js';
import { changesOf, fail, none, pass, type Rule } from '../../cilium/prechecks/rule-kit.js';
import type { ClusterPrechecks } from '../kind.js';

// ciliumConfig prechecks (cluster only). Whether each key exists and takes the value is the
// schema's (spec/cilium-config-keys.ts); here: what a live cluster cannot survive.

const configRule: Rule = ({ spec, facts }) => {
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

export const ciliumConfigClusterPrechecks: ClusterPrechecks = { release: none, config: configRule, nodes: none, existing: none };
