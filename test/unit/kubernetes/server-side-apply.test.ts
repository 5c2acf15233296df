import { describe, expect, it } from 'vitest';
import { formatPath } from '../../../local/lab/kubernetes/field-path.js';
import { fieldsOf, fromFieldsV1, toFieldsV1 } from '../../../local/lab/kubernetes/field-set.js';
import type { JsonObject } from '../../../local/lab/kubernetes/json.js';
import { applyOwnership, conflictMessage, updateOwnership, type Owner } from '../../../local/lab/kubernetes/managed-fields.js';

const time = '2025-01-01T00:00:00Z';
const apply = (live: JsonObject | undefined, config: JsonObject, owners: Owner[], manager = 'changeflow', force = false) =>
  applyOwnership({ live, config, owners, manager, apiVersion: 'cilium.io/v2', force, time });

const instance = (localASN: number, peers: JsonObject[] = [{ name: 'a101', peerAddress: '192.168.2.1', peerASN: 65001 }]): JsonObject => ({
  spec: { bgpInstances: [{ name: 'i1', localASN, peers }] },
});

describe('field sets', () => {
  it('encodes associative list items by key and free-form maps with "." like FieldsV1', () => {
    const set = fieldsOf({ metadata: { labels: { app: 'x' } }, spec: { bgpInstances: [{ name: 'i1', localASN: 1 }], blocks: [{ cidr: '10.0.0.0/24' }] } });
    expect(toFieldsV1(set)).toEqual({
      'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
      'f:spec': { 'f:bgpInstances': { 'k:{"name":"i1"}': { '.': {}, 'f:name': {}, 'f:localASN': {} } }, 'f:blocks': {} },
    });
  });

  it('round-trips through FieldsV1', () => {
    const set = fieldsOf(instance(64512));
    expect(fromFieldsV1(toFieldsV1(set))).toEqual(set);
  });
});

describe('server-side apply ownership', () => {
  it('creates the object and gives the applier exactly the fields it sent', () => {
    const r = apply(undefined, instance(64512), []);
    if (!r.ok) throw new Error('conflict');
    expect(r.merged).toEqual(instance(64512));
    expect(r.owners).toHaveLength(1);
    expect(r.owners[0]).toMatchObject({ manager: 'changeflow', operation: 'Apply' });
  });

  it('reports a conflict when another manager owns a field the apply changes', () => {
    const first = apply(undefined, instance(64512), [], 'kubectl');
    if (!first.ok) throw new Error('conflict');
    const r = apply(first.merged, instance(64513), first.owners, 'other-team');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.conflicts.map((c) => [c.owner.manager, formatPath(c.path)])).toEqual([['kubectl', '.spec.bgpInstances[name="i1"].localASN']]);
    expect(conflictMessage(r.conflicts, formatPath)).toBe('Apply failed with 1 conflict: conflict with "kubectl": .spec.bgpInstances[name="i1"].localASN');
  });

  it('co-owns a field set to the value it already has instead of conflicting', () => {
    const first = apply(undefined, instance(64512), [], 'kubectl');
    if (!first.ok) throw new Error('conflict');
    const r = apply(first.merged, instance(64512), first.owners, 'other-team');
    expect(r.ok).toBe(true);
  });

  it('moves ownership to the applier when forced', () => {
    const first = apply(undefined, instance(64512), [], 'kubectl');
    if (!first.ok) throw new Error('conflict');
    const r = apply(first.merged, instance(64513), first.owners, 'other-team', true);
    if (!r.ok) throw new Error('conflict');
    const kubectl = r.owners.find((o) => o.manager === 'kubectl');
    expect([...(kubectl?.fields ?? [])].some((k) => k.includes('localASN'))).toBe(false);
    expect(r.merged).toEqual(instance(64513));
  });

  it('removes fields the same manager applied before and omits now, unless someone else owns them', () => {
    const first = apply(undefined, instance(64512, [{ name: 'a101', peerAddress: '192.168.2.1' }, { name: 'a102', peerAddress: '192.168.2.2' }]), []);
    if (!first.ok) throw new Error('conflict');
    const r = apply(first.merged, instance(64512, [{ name: 'a101', peerAddress: '192.168.2.1' }]), first.owners);
    if (!r.ok) throw new Error('conflict');
    expect(r.merged).toEqual(instance(64512, [{ name: 'a101', peerAddress: '192.168.2.1' }]));
  });

  it('merges associative lists by key across managers and replaces atomic lists', () => {
    const a = apply(undefined, { spec: { bgpInstances: [{ name: 'i1', localASN: 1 }], blocks: [{ cidr: '10.0.0.0/24' }] } }, [], 'a');
    if (!a.ok) throw new Error('conflict');
    const b = apply(a.merged, { spec: { bgpInstances: [{ name: 'i2', localASN: 2 }] } }, a.owners, 'b');
    if (!b.ok) throw new Error('conflict');
    expect(b.merged).toEqual({ spec: { bgpInstances: [{ name: 'i1', localASN: 1 }, { name: 'i2', localASN: 2 }], blocks: [{ cidr: '10.0.0.0/24' }] } });
    const c = apply(b.merged, { spec: { blocks: [{ cidr: '10.0.1.0/24' }] } }, b.owners, 'a', true);
    if (!c.ok) throw new Error('conflict');
    expect((c.merged['spec'] as JsonObject)['blocks']).toEqual([{ cidr: '10.0.1.0/24' }]);
    // a no longer applies i1, and nobody else owns it: it goes
    expect((c.merged['spec'] as JsonObject)['bgpInstances']).toEqual([{ name: 'i2', localASN: 2 }]);
  });

  it('prints Update managers with their apiVersion and groups several conflicts by manager', () => {
    const owners = updateOwnership({ before: undefined, after: { data: { a: '1', b: '2' } }, owners: [], manager: 'helm', apiVersion: 'v1', time });
    const r = apply({ data: { a: '1', b: '2' } }, { data: { a: 'x', b: 'y' } }, owners);
    if (r.ok) throw new Error('expected conflicts');
    expect(conflictMessage(r.conflicts, formatPath)).toBe('Apply failed with 2 conflicts: conflicts with "helm" using v1:\n- .data.a\n- .data.b');
  });
});

describe('update ownership', () => {
  it('gives the writer the fields it changed and takes them from their previous owner', () => {
    const helm = updateOwnership({ before: undefined, after: { data: { a: '1', b: '2' } }, owners: [], manager: 'helm', apiVersion: 'v1', time });
    const after = updateOwnership({ before: { data: { a: '1', b: '2' } }, after: { data: { a: '1', b: '3' } }, owners: helm, manager: 'ops', apiVersion: 'v1', time });
    expect(toFieldsV1(after.find((o) => o.manager === 'ops')?.fields ?? new Set())).toEqual({ 'f:data': { 'f:b': {} } });
    expect(toFieldsV1(after.find((o) => o.manager === 'helm')?.fields ?? new Set())).toEqual({ 'f:data': { '.': {}, 'f:a': {} } });
  });

  it('leaves other scopes alone: a /status write keeps the spec managers', () => {
    const spec = updateOwnership({ before: undefined, after: { spec: { x: 1 } }, owners: [], manager: 'kubectl', apiVersion: 'v1', time });
    const status = updateOwnership({ before: {}, after: { status: { y: 1 } }, owners: spec, manager: 'agent', apiVersion: 'v1', subresource: 'status', time });
    expect(status.map((o) => o.manager)).toEqual(['kubectl', 'agent']);
  });
});
