import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClusterClient, type ClusterClient, type KubeObject } from '../../../agent/cluster/index.js';
import type { CommandContext } from '../../../agent/command-context.js';
import { clusterApply } from '../../../agent/commands/cluster-apply.js';
import { PROTOCOL } from '../../../shared/agent-protocol/index.js';
import type { KubeRef, PlanOp } from '../../../shared/plan/index.js';
import { startKubernetesLab, type KubernetesLab } from '../../../local/lab/kubernetes/lab.js';

// cluster.apply checks every object before it writes any (agent/commands/cluster-preflight.ts):
// the read-backs and a dry run of each apply go out at once, an object the API server refuses
// fails the apply with nothing written, and the writes then go in plan order without a dry run
// each. Ops that name one object twice keep the op-by-op order. Against the Kubernetes lab, which
// validates objects against the real CRD schemas.

let lab: KubernetesLab;
let client: ClusterClient;

/** Every call the agent makes, in order: 'read X', 'dry-run X', 'apply X', 'delete X'. */
const calls: string[] = [];

function recording(inner: ClusterClient): ClusterClient {
  return {
    ...inner,
    async applyServerSide(obj, o = {}) {
      calls.push(`${o.dryRun ? 'dry-run' : 'apply'} ${obj.kind}/${obj.metadata.name}`);
      return inner.applyServerSide(obj, o);
    },
    async applyWithDryRun(obj, o = {}) {
      calls.push(`dry-run ${obj.kind}/${obj.metadata.name}`);
      await inner.applyServerSide(obj, { ...o, dryRun: true });
      calls.push(`apply ${obj.kind}/${obj.metadata.name}`);
      return inner.applyServerSide(obj, o);
    },
    async tryRead(ref) {
      calls.push(`read ${ref.kind}/${ref.name}`);
      return inner.tryRead(ref);
    },
    async delete(ref, o) {
      calls.push(`delete ${ref.kind}/${ref.name}`);
      return inner.delete(ref, o);
    },
  };
}

const ctx = (): CommandContext => ({
  signal: new AbortController().signal,
  task: { protocol: PROTOCOL, changeId: 'preflight', site: 'dc1', step: 'apply-cluster', deadlineSeconds: 30, heartbeatSeconds: 5, commands: [] },
  deadline: new Date(Date.now() + 30_000),
  log: { log: () => undefined },
  checkpoint: () => undefined,
});

const refOf = (o: KubeObject): KubeRef => ({ apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name });
const pool = (name: string, cidr: unknown): KubeObject => ({ apiVersion: 'cilium.io/v2', kind: 'CiliumLoadBalancerIPPool', metadata: { name }, spec: { blocks: [{ cidr }], serviceSelector: { matchLabels: { pool: name } } } });

function createOp(manifest: KubeObject): PlanOp {
  const ref = refOf(manifest);
  return {
    id: `cluster/create/${ref.kind}/${ref.name}`,
    target: 'kubernetes',
    action: 'create',
    summary: `create ${ref.kind} ${ref.name}`,
    request: { kind: 'kubernetes', method: 'apply', ref, manifest, force: false },
    inverse: [{ kind: 'kubernetes', method: 'delete', ref }],
    readback: [{ target: 'kubernetes', ref, fields: { spec: manifest['spec'] }, absent: false }],
    inverseReadback: [{ target: 'kubernetes', ref, absent: true }],
    diff: [],
  };
}

function deleteOp(manifest: KubeObject): PlanOp {
  const ref = refOf(manifest);
  return { ...createOp(manifest), id: `cluster/delete/${ref.kind}/${ref.name}`, action: 'delete', request: { kind: 'kubernetes', method: 'delete', ref }, readback: [{ target: 'kubernetes', ref, absent: true }] };
}

beforeAll(async () => {
  lab = await startKubernetesLab({});
  client = recording(createClusterClient({ kubeconfigPath: lab.kubeconfigPath }));
});

afterAll(async () => {
  await lab?.close();
});

describe('cluster.apply checks every object before the first write', () => {
  it('refuses the whole apply, writing nothing, when the API server would refuse its second object', async () => {
    calls.length = 0;
    const objects = [pool('pf-a', '10.9.0.0/28'), pool('pf-bad', 42), pool('pf-c', '10.9.0.32/28')];
    const result = await clusterApply(client, { binaryPath: '/nonexistent' }, { ops: objects.map(createOp) }, ctx());
    expect(result.ok).toBe(false);
    expect(result.ops.map((o) => o.outcome)).toEqual(['skipped', 'failed', 'skipped']);
    expect(result.ops.map((o) => o.requests)).toEqual([0, 1, 0]);
    expect(result.ops[1]?.error).toMatch(/^InvalidObject: .*pf-bad.*nothing of this apply was written/);
    expect(calls.filter((c) => c.startsWith('apply '))).toEqual([]);
    for (const o of objects) expect(await client.tryRead(refOf(o)), o.metadata.name).toBeUndefined();
  });

  it('sends the applies in plan order after every read and dry run, each read back from its answer; a re-run sends nothing', async () => {
    calls.length = 0;
    const objects = [pool('pf-d', '10.9.1.0/28'), pool('pf-e', '10.9.1.16/28'), pool('pf-f', '10.9.1.32/28')];
    const ops = objects.map(createOp);
    const result = await clusterApply(client, { binaryPath: '/nonexistent' }, { ops }, ctx());
    expect(result.ops.map((o) => [o.outcome, o.readback])).toEqual([['applied', 'matched'], ['applied', 'matched'], ['applied', 'matched']]);
    const writes = calls.filter((c) => c.startsWith('apply '));
    expect(writes).toEqual(['apply CiliumLoadBalancerIPPool/pf-d', 'apply CiliumLoadBalancerIPPool/pf-e', 'apply CiliumLoadBalancerIPPool/pf-f']);
    const firstWrite = calls.indexOf(writes[0] ?? '');
    // Three reads and three dry runs, all before the first write; nothing read or dry-run after it.
    expect(calls.slice(0, firstWrite).sort()).toEqual([...objects.map((o) => `dry-run CiliumLoadBalancerIPPool/${o.metadata.name}`), ...objects.map((o) => `read CiliumLoadBalancerIPPool/${o.metadata.name}`)].sort());
    expect(calls.slice(firstWrite)).toEqual(writes);

    calls.length = 0;
    const again = await clusterApply(client, { binaryPath: '/nonexistent' }, { ops }, ctx());
    expect(again.ops.map((o) => o.outcome)).toEqual(['unchanged', 'unchanged', 'unchanged']);
    expect(calls.filter((c) => !c.startsWith('read '))).toEqual([]);
  });

  it('keeps the op-by-op order (each apply dry-run just before it is sent) when two ops name one object', async () => {
    calls.length = 0;
    const replaced = pool('pf-g', '10.9.2.0/28');
    const result = await clusterApply(client, { binaryPath: '/nonexistent' }, { ops: [createOp(replaced), deleteOp(replaced)] }, ctx());
    expect(result.ops.map((o) => o.outcome)).toEqual(['applied', 'applied']);
    expect(calls).toEqual(['read CiliumLoadBalancerIPPool/pf-g', 'dry-run CiliumLoadBalancerIPPool/pf-g', 'apply CiliumLoadBalancerIPPool/pf-g', 'read CiliumLoadBalancerIPPool/pf-g', 'delete CiliumLoadBalancerIPPool/pf-g', 'read CiliumLoadBalancerIPPool/pf-g']);
  });
});
