import type { PrecheckResult } from '../plan/precheck.js';
import { targetRef } from '../store/targets.js';
import type { Store } from '../store/index.js';
import { activeFreezes, describeFreeze, type Freeze } from './freeze.js';

// The freeze calendar as the workflow sees it: the precheck and the re-check just before apply
// both ask whether the change's fabric or cluster is frozen now.

export async function freezeInForce(store: Pick<Store, 'freezes'>, change: { fabric: string; cluster: string }, now: Date): Promise<Freeze | undefined> {
  const targets = [targetRef('fabric', change.fabric).key, targetRef('cluster', change.cluster).key];
  return activeFreezes(await store.freezes.list(), targets, now)[0];
}

/** The precheck rule an apply change fails while frozen; its evidence names the reason and the end. */
export function freezePrecheck(freeze: Freeze): PrecheckResult {
  return {
    id: 'change.freeze',
    scope: 'spec',
    title: 'no freeze covers the fabric or the cluster',
    verdict: 'fail',
    evidence: describeFreeze(freeze),
    fix: `apply after ${freeze.to}, or ask ${freeze.by} to lift it (\`changeflow freeze remove ${freeze.id}\`)`,
  };
}
