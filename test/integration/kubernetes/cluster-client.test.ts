import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ApplyConflict, ClusterUnavailable, createClusterClient, InvalidObject, NotFound, WaitTimedOut, type ClusterClient,
} from '../../../agent/cluster/index.js';
import { startKubernetesLab, type KubernetesLab } from '../../../local/lab/kubernetes/lab.js';

// The adapter's contract over the wire: each failure arrives as its named error.
let lab: KubernetesLab;
let client: ClusterClient;

const egress = (spec: Record<string, unknown>) => ({ apiVersion: 'cilium.io/v2', kind: 'CiliumEgressGatewayPolicy', metadata: { name: 'frontend-egress' }, spec });
const validEgress = egress({
  selectors: [{ podSelector: { matchLabels: { app: 'frontend', 'io.kubernetes.pod.namespace': 'shop' } } }],
  destinationCIDRs: ['10.10.10.0/24'],
  egressGateway: { nodeSelector: { matchLabels: { 'egress-gateway': 'true' } }, egressIP: '192.168.3.200' },
});

beforeAll(async () => {
  lab = await startKubernetesLab({ rolloutDelayMs: 30 });
  client = createClusterClient({ kubeconfigPath: lab.kubeconfigPath });
});

afterAll(async () => {
  await lab?.close();
});

describe('cluster client', () => {
  it('reads the scenario nodes and filters them by label selector', async () => {
    const workers = await client.list('v1', 'Node', { labelSelector: 'bgp=enabled' });
    expect(workers.map((n) => n.metadata.name)).toEqual(['prod-a-w1', 'prod-a-w2', 'prod-a-w3', 'prod-a-w4']);
    const gateways = await client.list('v1', 'Node', { labelSelector: 'egress-gateway=true' });
    expect(gateways.map((n) => n.metadata.name)).toEqual(['prod-a-w4']);
  });

  it('applies with the changeflow field manager and keeps the response as plain JSON', async () => {
    const out = await client.applyWithDryRun(validEgress);
    expect(typeof (out.metadata as { creationTimestamp?: unknown }).creationTimestamp).toBe('string');
    const managers = (out.metadata as unknown as { managedFields: Array<{ manager: string; operation: string }> }).managedFields;
    expect(managers).toEqual([expect.objectContaining({ manager: 'changeflow', operation: 'Apply' })]);
  });

  it('stores nothing on a dry run', async () => {
    await client.applyServerSide({ ...validEgress, metadata: { name: 'dry-only' } }, { dryRun: true });
    expect(await client.tryRead({ apiVersion: 'cilium.io/v2', kind: 'CiliumEgressGatewayPolicy', name: 'dry-only' })).toBeUndefined();
  });

  it('raises InvalidObject with the failing fields for a policy the CRD schema rejects', async () => {
    const err = await client.applyWithDryRun(egress({ selectors: [] })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidObject);
    expect((err as InvalidObject).causes.map((c) => c.field)).toEqual(['spec.destinationCIDRs', 'spec.egressGateway']);
  });

  it('raises InvalidObject for a kind the cluster does not serve at that version', async () => {
    const err = await client.applyServerSide({ apiVersion: 'cilium.io/v2', kind: 'CiliumL2AnnouncementPolicy', metadata: { name: 'l2' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidObject);
  });

  it('raises ApplyConflict naming the other manager and field', async () => {
    const other = createClusterClient({ kubeconfigPath: lab.kubeconfigPath, fieldManager: 'someone-else' });
    const err = await other.applyServerSide({ ...validEgress, spec: { ...validEgress.spec, destinationCIDRs: ['10.20.0.0/16'] } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApplyConflict);
    expect((err as ApplyConflict).conflicts).toEqual([{ manager: '"changeflow"', field: '.spec.destinationCIDRs' }]);
  });

  it('raises NotFound on read and reports absent on a repeated delete', async () => {
    const ref = { apiVersion: 'cilium.io/v2', kind: 'CiliumEgressGatewayPolicy', name: 'frontend-egress' };
    expect(await client.delete(ref)).toBe('deleted');
    expect(await client.delete(ref)).toBe('absent');
    await expect(client.read(ref)).rejects.toBeInstanceOf(NotFound);
  });

  it('restarts the operator deployment and waits for its rollout', async () => {
    const restarted = await client.restartWorkload('Deployment', 'kube-system', 'cilium-operator');
    expect(restarted.metadata.generation).toBe(2);
    const done = await client.waitForRollout('Deployment', 'kube-system', 'cilium-operator', { timeoutMs: 5_000, intervalMs: 20 });
    expect((done as unknown as { status: { updatedReplicas: number } }).status.updatedReplicas).toBe(2);
  });

  it('gives up a wait with WaitTimedOut carrying the last object seen', async () => {
    const err = await client
      .waitForCondition({ apiVersion: 'v1', kind: 'Node', name: 'prod-a-w1' }, () => false, { timeoutMs: 100, intervalMs: 20 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WaitTimedOut);
    expect((err as WaitTimedOut).last).toMatchObject({ metadata: { name: 'prod-a-w1' } });
  });

  it('raises ClusterUnavailable while the API server answers 503', async () => {
    lab.faults.add('kubernetes.any=down');
    try {
      await expect(client.list('v1', 'Node')).rejects.toBeInstanceOf(ClusterUnavailable);
    } finally {
      lab.faults.clear();
    }
  });

  it('raises ClusterUnavailable when nothing listens', async () => {
    const gone = await startKubernetesLab();
    const stale = createClusterClient({ kubeconfigPath: gone.kubeconfigPath });
    await gone.close();
    await expect(stale.read({ apiVersion: 'v1', kind: 'Node', name: 'prod-a-w1' })).rejects.toBeInstanceOf(ClusterUnavailable);
  });
});
