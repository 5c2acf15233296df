import { describe, expect, it } from 'vitest';
import { AgentConfigTracker } from '../../../local/lab/world/agent-configs.js';

// Each agent runs with the cilium-config of the moment its pod was created: a changed key is
// pending until every node's pod has been replaced; under cilium.config=stale a new pod keeps
// the configuration of the one it replaced.

const pods = (gen: number) => ['w1', 'w2'].map((node) => ({ pod: `cilium-${node}`, node, uid: `${node}-${gen}` }));

describe('AgentConfigTracker', () => {
  it('keeps a key pending until every node has a new agent, node by node', () => {
    const t = new AgentConfigTracker(pods(1), { 'bpf-lb-mode': 'snat' });
    const changed = { 'bpf-lb-mode': 'dsr' };
    t.observe(pods(1), changed, false);
    expect(t.pendingKeys(changed)).toEqual(['bpf-lb-mode']);
    t.observe([pods(2)[0]!, pods(1)[1]!], changed, false);
    expect(t.agents().map((a) => [a.node, a.config['bpf-lb-mode']])).toEqual([['w1', 'dsr'], ['w2', 'snat']]);
    expect(t.pendingKeys(changed)).toEqual(['bpf-lb-mode']);
    t.observe(pods(2), changed, false);
    expect(t.pendingKeys(changed)).toEqual([]);
  });

  it('under the stale fault a restarted agent keeps the old value; a key removed from the map is pending too', () => {
    const t = new AgentConfigTracker(pods(1), { debug: 'true' });
    t.observe(pods(2), {}, true);
    expect(t.agents().map((a) => a.config)).toEqual([{ debug: 'true' }, { debug: 'true' }]);
    expect(t.pendingKeys({})).toEqual(['debug']);
  });
});
