import type { ChangeSpec } from '../../spec/index.js';
import type { PrecheckResult } from '../../plan/index.js';
import type { ClusterFacts } from '../facts/cluster-facts.js';
import { configRules } from './config-rules.js';
import { conflictRule } from './conflict-rules.js';
import { crdRule } from './crd-rules.js';
import { nodeRules, statusRule } from './node-rules.js';
import { l2PoolSizeRule, poolOverlapRule } from './pool-rules.js';
import type { Rule } from './rule-kit.js';
import { featureVersionRule, peeringPolicyRule } from './version-rules.js';

// The cluster prechecks (DESIGN.md §2 step 4): pure rules over the gathered facts. Missing facts
// give `unknown`, which blocks apply but not a plan.

const rules: readonly Rule[] = [featureVersionRule, peeringPolicyRule, configRules, crdRule, nodeRules, conflictRule, poolOverlapRule, l2PoolSizeRule, statusRule];

export function runClusterPrechecks(spec: ChangeSpec, facts: ClusterFacts | undefined): PrecheckResult[] {
  return rules.flatMap((rule) => rule({ spec, facts }));
}
