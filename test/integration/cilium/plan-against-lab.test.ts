import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClusterClient, KubeObject, NotFound, type ClusterClient } from '../../../agent/cluster/index.js';
import { startKubernetesLab, type KubernetesLab } from '../../../local/lab/kubernetes/lab.js';
import { clusterCollectQueries } from '../../../shared/cilium/facts/queries.js';
import { parseClusterFacts, type ClusterFacts } from '../../../shared/cilium/facts/cluster-facts.js';
import { planCluster } from '../../../shared/cilium/plan/plan-cluster.js';
import { runClusterPrechecks } from '../../../shared/cilium/prechecks/run-prechecks.js';
import type { PlanOp } from '../../../shared/plan/index.js';
import type { ChangeSpec } from '../../../shared/spec/index.js';
import { bgpChange, configChange, egressChange, l2Change, poolChange, specWith } from '../../unit/cilium/cluster-fixtures.js';

// The cluster planner against the lab's real server-side apply (managedFields, conflicts, forced
// ownership), through the agent's cluster client: collect with clusterCollectQueries → plan →
// apply → re-collect gives no ops; the inverses, run last-first, restore the dump byte for byte.

let lab: KubernetesLab;
let client: ClusterClient;

beforeAll(async () => {
  lab = await startKubernetesLab({ rolloutDelayMs: 20 });
  client = createClusterClient({ kubeconfigPath: lab.kubeconfigPath, context: 'prod-a' });
});

afterAll(async () => {
  await lab?.close();
});

const dump = async (): Promise<string> => {
  await lab.settle();
  return (await fetch(`${lab.httpUrl}/_lab/dump`)).text();
};

async function collect(spec: ChangeSpec): Promise<ClusterFacts> {
  const objects: unknown[] = [];
  for (const q of clusterCollectQueries(spec)) {
    for (const apiVersion of [q.apiVersion, ...(q.fallbackApiVersions ?? [])]) {
      try {
        if (q.name) {
          const o = await client.tryRead({ apiVersion, kind: q.kind, name: q.name, namespace: q.namespace });
          if (o) objects.push(o);
        } else {
          objects.push({ apiVersion, kind: `${q.kind}List`, metadata: {}, items: await client.list(apiVersion, q.kind, { namespace: q.namespace }) });
        }
        break;
      } catch (err) {
        if (!(err instanceof NotFound)) throw err;
      }
    }
  }
  return parseClusterFacts(objects);
}

async function run(requests: PlanOp['request'][]): Promise<void> {
  for (const r of requests) {
    if (r.kind !== 'kubernetes') continue;
    if (r.method === 'apply') await client.applyServerSide(KubeObject.parse(r.manifest), { force: r.force });
    else if (r.method === 'delete') await client.delete(r.ref);
    else await client.restartWorkload(r.ref.kind === 'DaemonSet' ? 'DaemonSet' : 'Deployment', r.ref.namespace ?? 'kube-system', r.ref.name);
  }
}

const inverses = (ops: PlanOp[]) => [...ops].reverse().flatMap((o) => o.inverse);

describe('cluster planner against the Kubernetes lab', () => {
  const everything = specWith([bgpChange, poolChange, egressChange, l2Change, configChange]);

  it('passes the prechecks, applies, re-plans to nothing and rolls back byte for byte', async () => {
    const before = await dump();
    const facts = await collect(everything);
    expect(facts.ciliumVersion).toMatch(/^1\.18\./);
    // No `cilium status` here, as in a submitted change's gather-facts: the agents' readiness is
    // the lab's ds/cilium and deploy/cilium-operator status.
    const prechecks = runClusterPrechecks(everything, facts);
    expect(prechecks.filter((r) => r.verdict !== 'pass')).toEqual([]);
    expect(prechecks.find((r) => r.id === 'cluster.status.healthy')?.evidence).toMatch(/^(\d+)\/\1 agents ready, operator (\d+)\/\2 \(ds\/cilium and deploy\/cilium-operator status\)$/);
    const ops = planCluster(everything, facts);
    expect(ops.map((o) => o.action)).toEqual(['modify', 'restart', 'create', 'create', 'create', 'create', 'create', 'create']);
    await run(ops.map((o) => o.request));
    expect(planCluster(everything, await collect(everything))).toEqual([]);
    await run(inverses(ops));
    expect(await dump()).toBe(before);
  });

  it('rolls a modify and a delete back to the applied state', async () => {
    const first = specWith([bgpChange, { ...poolChange, allowFirstLastIPs: false }]);
    await run(planCluster(first, await collect(first)).map((o) => o.request));
    const applied = await dump();
    const second = specWith([{ ...bgpChange, state: 'absent' }, { ...poolChange, blocks: ['10.0.11.0/24'] }]);
    const ops = planCluster(second, await collect(second));
    expect(ops.map((o) => o.action)).toEqual(['modify', 'delete', 'delete']);
    await run(ops.map((o) => o.request));
    expect(planCluster(second, await collect(second))).toEqual([]);
    await run(inverses(ops));
    expect(planCluster(first, await collect(first))).toEqual([]);
    const restored = JSON.parse(await dump()) as Record<string, unknown>;
    const original = JSON.parse(applied) as Record<string, unknown>;
    // Re-created objects get a new owner history but the same content.
    expect(restored).toEqual(original);
  });
});
