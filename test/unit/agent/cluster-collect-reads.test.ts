import { describe, expect, it } from 'vitest';
import type { ClusterClient } from '../../../agent/cluster/index.js';
import { NotFound } from '../../../agent/cluster/index.js';
import type { CommandContext } from '../../../agent/command-context.js';
import { clusterCollect } from '../../../agent/commands/cluster-collect.js';
import { PROTOCOL, type AgentTask } from '../../../shared/agent-protocol/index.js';
import { clusterCollectQueries } from '../../../shared/cilium/facts/queries.js';
import { onboardSpec } from '../aci/support/dc1.js';

// cluster.collect sends its reads at once (one API round trip for all of them, not one per
// query), keeps the answers in query order, and still walks a kind's apiVersions one after the
// other: the fallback is only asked once the first version is not served.

const spec = onboardSpec();
const task: AgentTask = { protocol: PROTOCOL, changeId: 'reads', site: 'dc1', step: 'gather-facts', deadlineSeconds: 10, heartbeatSeconds: 2, commands: [] };
const ctx: CommandContext = { signal: new AbortController().signal, task, deadline: new Date(Date.now() + 10_000), log: { log: () => undefined }, checkpoint: () => undefined };

describe('cluster.collect reads', () => {
  it('has every read in flight at once, answers in query order, and falls back to v2alpha1 only after v2 is not served', async () => {
    const queries = clusterCollectQueries(spec);
    let inFlight = 0;
    const peaks: number[] = [];
    const asked: string[] = [];
    const pending: Array<() => void> = [];
    const held = async <T>(what: string, answer: () => T): Promise<T> => {
      asked.push(what);
      inFlight += 1;
      peaks.push(inFlight);
      // Answered only when the test lets go: every read of the round is in flight by then.
      await new Promise<void>((resolve) => pending.push(resolve));
      inFlight -= 1;
      return answer();
    };
    // The lab's v2 serves no BGP advertisement: that kind falls back; the rest answer at v2 (or their only version).
    const client = {
      tryRead: (ref: { apiVersion: string; kind: string; name: string }) => held(`${ref.apiVersion} ${ref.kind}/${ref.name}`, () => ({ apiVersion: ref.apiVersion, kind: ref.kind, metadata: { name: ref.name } })),
      list: (apiVersion: string, kind: string) =>
        held(`${apiVersion} ${kind}`, () => {
          if (kind === 'CiliumBGPAdvertisement' && apiVersion === 'cilium.io/v2') throw new NotFound(`${kind} is not served at ${apiVersion}`);
          return [{ apiVersion, kind, metadata: { name: `${kind.toLowerCase()}-1` } }];
        }),
    } as unknown as ClusterClient;
    const release = async (): Promise<number> => {
      while (pending.length === 0) await new Promise((r) => setImmediate(r));
      await new Promise((r) => setImmediate(r));
      const n = pending.length;
      for (const resolve of pending.splice(0)) resolve();
      return n;
    };

    const collecting = clusterCollect(client, { binaryPath: '/nonexistent' }, { spec, ciliumStatus: false }, ctx);
    // The first round: one read per query, all of them out before any answers.
    expect(await release()).toBe(queries.length);
    expect(Math.max(...peaks)).toBe(queries.length);
    // The second: only the kind that v2 does not serve, now at its fallback version.
    expect(await release()).toBe(1);
    expect(asked.slice(queries.length)).toEqual(['cilium.io/v2alpha1 CiliumBGPAdvertisement']);
    const result = await collecting;

    expect(result.objects.map((o) => (o as { kind: string }).kind)).toEqual(queries.map((q) => (q.name ? q.kind : `${q.kind}List`)));
    const advertisements = result.objects.find((o) => (o as { kind: string }).kind === 'CiliumBGPAdvertisementList');
    expect(advertisements).toMatchObject({ apiVersion: 'cilium.io/v2alpha1', items: [{ metadata: { name: 'ciliumbgpadvertisement-1' } }] });
    expect(result).not.toHaveProperty('ciliumStatus');
  });

  it('fails with the first query in order that the API server refused, whichever refusal came first', async () => {
    let refuseNodes: () => void = () => undefined;
    const nodesAsked = new Promise<void>((resolve) => (refuseNodes = resolve));
    const client = {
      tryRead: async () => undefined,
      list: async (_apiVersion: string, kind: string) => {
        if (kind === 'Service') {
          // The later query is refused first; the nodes only after it.
          setImmediate(refuseNodes);
          throw new Error('services is forbidden: User "changeflow-agent" cannot list resource "services"');
        }
        if (kind === 'Node') {
          await nodesAsked;
          throw new Error('nodes is forbidden: User "changeflow-agent" cannot list resource "nodes"');
        }
        return [];
      },
    } as unknown as ClusterClient;
    await expect(clusterCollect(client, { binaryPath: '/nonexistent' }, { spec, ciliumStatus: false }, ctx)).rejects.toThrow(/nodes is forbidden/);
  });
});
