import { describe, expect, it } from 'vitest';
import type { ClusterClient } from '../../../agent/cluster/index.js';
import { kubeReadbackHolds } from '../../../agent/commands/kube-readback.js';
import type { Readback } from '../../../shared/plan/index.js';

// After a server-side apply the read-back judges the object the apply answered with (the API
// server returns it as stored) instead of reading it again; anything else is still read.

const pool = { apiVersion: 'cilium.io/v2', kind: 'CiliumLoadBalancerIPPool', metadata: { name: 'prod-a' }, spec: { blocks: [{ cidr: '10.0.0.0/28' }] } };
const check = (fields: Record<string, unknown>, extra: Partial<Readback> = {}): Readback =>
  ({ target: 'kubernetes', ref: { apiVersion: 'cilium.io/v2', kind: 'CiliumLoadBalancerIPPool', name: 'prod-a' }, fields, ...extra }) as Readback;

function readsCounted(stored: unknown): { client: ClusterClient; reads: string[] } {
  const reads: string[] = [];
  const client = { tryRead: async (ref: { name: string }) => { reads.push(ref.name); return stored; } } as unknown as ClusterClient;
  return { client, reads };
}

describe('kubeReadbackHolds', () => {
  it('judges an applied object from the apply answer, without another read', async () => {
    const { client, reads } = readsCounted(undefined);
    expect(await kubeReadbackHolds(client, [check({ 'spec.blocks': [{ cidr: '10.0.0.0/28' }] })], [pool])).toMatchObject({ holds: true });
    expect(await kubeReadbackHolds(client, [check({ 'spec.blocks': [{ cidr: '10.0.0.16/28' }] })], [pool])).toMatchObject({ holds: false });
    expect(reads).toEqual([]);
  });

  it('reads what the writes did not answer with, and always reads an object that must be gone', async () => {
    const { client, reads } = readsCounted(pool);
    expect(await kubeReadbackHolds(client, [check({ 'spec.blocks': [{ cidr: '10.0.0.0/28' }] })], [])).toMatchObject({ holds: true });
    expect(await kubeReadbackHolds(client, [check({}, { absent: true })], [pool])).toMatchObject({ holds: false, detail: expect.stringContaining('still exists') });
    expect(reads).toEqual(['prod-a', 'prod-a']);
  });
});
