import { describe, expect, it } from 'vitest';
import type { Rollout } from '../../../local/lab/world/cluster-snapshot.js';
import { RolloutTracker } from '../../../local/lab/world/rollout-tracker.js';

// cilium-config changes count only once ds/cilium has rolled out after them.

const ds = (generation: number, done: boolean): Rollout => ({ desired: 5, ready: 5, available: 5, updated: done ? 5 : 0, generation, observedGeneration: generation, image: 'x' });

describe('RolloutTracker', () => {
  it('reports changed keys as pending until a new generation of ds/cilium has rolled out', () => {
    const tracker = new RolloutTracker({ config: { 'bpf-lb-mode': 'snat' }, agents: ds(1, true) });
    const changed = { 'bpf-lb-mode': 'dsr', 'bpf-lb-algorithm': 'maglev' };
    tracker.observe({ config: changed, agents: ds(1, true) });
    expect(tracker.pendingKeys(changed)).toEqual(['bpf-lb-algorithm', 'bpf-lb-mode']);
    tracker.observe({ config: changed, agents: ds(2, false) });
    expect(tracker.pendingKeys(changed)).toEqual(['bpf-lb-algorithm', 'bpf-lb-mode']);
    tracker.observe({ config: changed, agents: ds(2, true) });
    expect(tracker.pendingKeys(changed)).toEqual([]);
  });

  it('counts a key removed from the ConfigMap as pending too', () => {
    const tracker = new RolloutTracker({ config: { debug: 'true' }, agents: ds(1, true) });
    expect(tracker.pendingKeys({})).toEqual(['debug']);
  });
});
