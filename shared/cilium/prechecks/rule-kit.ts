import type { Change, ChangeSpec } from '../../spec/index.js';
import type { PrecheckResult } from '../../plan/index.js';
import type { ClusterFacts, NodeFact } from '../facts/cluster-facts.js';

// Shared plumbing for the cluster rules: each rule is a pure function of the spec and the facts
// (possibly missing) that returns PrecheckResults with evidence and a fix.

export interface RuleContext {
  readonly spec: ChangeSpec;
  readonly facts: ClusterFacts | undefined;
}

export type Rule = (ctx: RuleContext) => PrecheckResult[];

export interface Finding {
  readonly id: string;
  readonly title: string;
  readonly change?: number;
}

export function pass(f: Finding, evidence: string): PrecheckResult {
  return { id: f.id, scope: 'cluster', title: f.title, verdict: 'pass', evidence, ...(f.change !== undefined ? { change: f.change } : {}) };
}

export function fail(f: Finding, evidence: string, fix: string): PrecheckResult {
  return { id: f.id, scope: 'cluster', title: f.title, verdict: 'fail', evidence, fix, ...(f.change !== undefined ? { change: f.change } : {}) };
}

/** A pass that still advises something (no verdict blocks on it); the evidence starts with "advisory:". */
export function advise(f: Finding, evidence: string, fix: string): PrecheckResult {
  return { id: f.id, scope: 'cluster', title: f.title, verdict: 'pass', evidence: `advisory: ${evidence}`, fix, ...(f.change !== undefined ? { change: f.change } : {}) };
}

export function unknown(f: Finding, missing: string, fix = "the cluster's state was not read: for `changeflow plan`, add its `kubectl get … -o json` and `cilium status -o json` files to --facts; for a submitted change, check the agent can reach the cluster — then plan again"): PrecheckResult {
  return { id: f.id, scope: 'cluster', title: f.title, verdict: 'unknown', evidence: `not known: ${missing}`, fix, ...(f.change !== undefined ? { change: f.change } : {}) };
}

/** `present` changes of one type with their spec index. */
export function changesOf<T extends Change['type']>(spec: ChangeSpec, type: T, state: 'present' | 'absent' | 'any' = 'present'): Array<{ change: Extract<Change, { type: T }>; index: number }> {
  return spec.changes.flatMap((change, index) =>
    change.type === type && (state === 'any' || change.state === state) ? [{ change: change as Extract<Change, { type: T }>, index }] : [],
  );
}

export function list(items: readonly string[], max = 8): string {
  if (items.length === 0) return '(none)';
  return items.length > max ? `${items.slice(0, max).join(', ')} and ${items.length - max} more` : items.join(', ');
}

/** Objects of a kind in the facts, or undefined when that kind was not listed and none was seen. */
export function objectsOfKind(facts: ClusterFacts | undefined, kind: string): ClusterFacts['objects'][string][] | undefined {
  if (!facts) return undefined;
  const found = Object.values(facts.objects).filter((o) => o.kind === kind);
  return found.length > 0 || facts.listedKinds.includes(kind) ? found : undefined;
}

/** The rule of a stage a kind has nothing for. */
export const none: Rule = () => [];

/** One result per present change of `type`, judged against the nodes (unknown when not collected). */
export function nodesRule<T extends Change['type']>(type: T, finding: Omit<Finding, 'change'>, judge: (f: Finding, change: Extract<Change, { type: T }>, nodes: NodeFact[]) => PrecheckResult): Rule {
  return ({ spec, facts }) =>
    changesOf(spec, type).map(({ change, index }) => {
      const f = { ...finding, change: index };
      return facts?.nodes ? judge(f, change, facts.nodes) : unknown(f, 'the nodes and their labels');
    });
}
