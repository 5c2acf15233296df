import type { ChangeSpec } from '../../spec/index.js';
import type { PrecheckResult } from '../../plan/index.js';
import { precheckList } from '../../kinds/precheck-registry.js';
import type { ClusterPrechecks } from '../../kinds/kind.js';
import type { ClusterFacts } from '../facts/cluster-facts.js';
import { conflictRule } from './conflict-rules.js';
import { crdRule } from './crd-rules.js';
import { statusRule } from './node-rules.js';
import type { Rule } from './rule-kit.js';
import { featureVersionRule } from './version-rules.js';

// The cluster prechecks (docs/architecture.md §2 step 4): pure rules over the gathered facts. Missing facts
// give `unknown`, which blocks apply but not a plan. Each kind's rules run at their stage, in
// registry order, between the rules every kind shares.

const stage = (name: keyof ClusterPrechecks): Rule => (ctx) => precheckList.flatMap((kind) => kind.cluster[name](ctx));

const rules: readonly Rule[] = [featureVersionRule, stage('release'), stage('config'), crdRule, stage('nodes'), conflictRule, stage('existing'), statusRule];

export function runClusterPrechecks(spec: ChangeSpec, facts: ClusterFacts | undefined): PrecheckResult[] {
  return rules.flatMap((rule) => rule({ spec, facts }));
}
