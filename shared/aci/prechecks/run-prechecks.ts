import type { PrecheckResult } from '../../plan/index.js';
import type { ChangeSpec } from '../../spec/index.js';
import { precheckList } from '../../kinds/precheck-registry.js';
import { emptyAciFacts, type AciFacts } from '../facts/aci-facts.js';
import { AciPrecheckOptions, ruleContext } from './context.js';

/**
 * The ACI prechecks that apply to the spec's present fabric-touching changes (removals need
 * none), each kind's in registry order (shared/kinds/KIND/prechecks.ts). Missing facts give
 * `unknown`, which blocks apply but not plan (docs/architecture.md §3.4).
 */
export function runAciPrechecks(spec: ChangeSpec, facts: AciFacts | undefined, options: AciPrecheckOptions = {}): PrecheckResult[] {
  const ctx = ruleContext(spec, facts ?? emptyAciFacts(), AciPrecheckOptions.parse(options));
  const results = precheckList.flatMap((kind) => (typeof kind.aci === 'function' ? kind.aci(ctx) : []));
  return onceEach(results);
}

/**
 * A fabric-wide rule several kinds need (no change index: the L3Out's VRF, policy CAM) is kept
 * once, where the last kind that needs it put it. The rules are pure, so every copy is the same.
 */
function onceEach(results: PrecheckResult[]): PrecheckResult[] {
  const lastAt = new Map<string, number>();
  results.forEach((r, i) => {
    if (r.change === undefined) lastAt.set(r.id, i);
  });
  return results.filter((r, i) => r.change !== undefined || lastAt.get(r.id) === i);
}
