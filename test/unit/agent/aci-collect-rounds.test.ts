import { describe, expect, it } from 'vitest';
import type { ApicClient } from '../../../agent/apic/client.js';
import type { CommandContext } from '../../../agent/command-context.js';
import { aciCollect } from '../../../agent/commands/aci-collect.js';
import { PROTOCOL, type AgentTask } from '../../../shared/agent-protocol/index.js';
import { onboardSpec } from '../aci/support/dc1.js';

// aci.collect sends each round's queries at once (one APIC round trip per round, not one per
// query) and the follow-up round only after the first has answered: it is built from those answers.

const spec = onboardSpec();
const task: AgentTask = { protocol: PROTOCOL, changeId: 'rounds', site: 'dc1', step: 'gather-facts', deadlineSeconds: 10, heartbeatSeconds: 2, commands: [] };
const ctx: CommandContext = { signal: new AbortController().signal, task, deadline: new Date(Date.now() + 10_000), log: { log: () => undefined }, checkpoint: () => undefined };

describe('aci.collect rounds', () => {
  it('sends the first round at once, then the follow-up round, and keeps the answers in query order', async () => {
    let inFlight = 0;
    const peaks: number[] = [];
    const sent: string[] = [];
    const pending: Array<() => void> = [];
    const client = {
      getAll: async (path: string) => {
        sent.push(path);
        inFlight += 1;
        peaks.push(inFlight);
        // Answered only when the test lets go: every query of a round is in flight by then.
        await new Promise<void>((resolve) => pending.push(resolve));
        inFlight -= 1;
        return [];
      },
    } as unknown as ApicClient;
    const release = async (): Promise<void> => {
      while (pending.length === 0) await new Promise((r) => setImmediate(r));
      await new Promise((r) => setImmediate(r));
      for (const resolve of pending.splice(0)) resolve();
    };
    const collecting = aciCollect(client, { fabric: 'dc1-aci', spec }, { tenants: [spec.aci.tenant], dnPrefixes: [], snapshotPolicy: 'changeflow' }, ctx);
    await release();
    expect(sent).toHaveLength(3);
    expect(Math.max(...peaks)).toBe(3);
    await release();
    const result = await collecting;
    expect(result.responses.map((r) => r.name)).toEqual([
      'tenant', 'fabric-policy', 'count:extEpgsFabric+esgsPerVrf+ipSelectorsFabric',
      // No answer held a count: every capacity count is asked exactly in the follow-up.
      'topology', 'count:extEpgsFabric', 'count:esgsPerVrf', 'count:ipSelectorsFabric',
    ]);
    expect(sent.slice(3)).toEqual(['/api/mo/topology.json', '/api/mo/uni.json', '/api/mo/uni.json', '/api/mo/uni.json']);
  });
});
