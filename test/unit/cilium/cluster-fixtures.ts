import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ChangeSpec } from '../../../shared/spec/index.js';
import { parseClusterFacts, type ClusterFacts } from '../../../shared/cilium/facts/cluster-facts.js';
import { objectKey } from '../../../shared/cilium/facts/cluster-facts.js';
import type { KubeObject, PlanOp } from '../../../shared/plan/index.js';
import { fieldManager } from '../../../shared/cilium/ownership.js';
import { isRecord, mergeTrees } from '../../../shared/cilium/plan/object-tree.js';
import type { FieldsV1 } from '../../../shared/cilium/plan/managed-fields.js';

// Test helpers for the cluster model: the spec of examples/onboard-prod-a.yaml plus the other
// change types, the captured prod-a facts, and a small server-side-apply simulation good enough to
// produce "facts after apply" (ownership per field, atomic lists, lists of named items by name).

export const fixtureDir = join(import.meta.dirname, '../../fixtures/cilium');

export function readFixture(...parts: string[]): string {
  return readFileSync(join(fixtureDir, ...parts), 'utf8');
}

export function specWith(changes: unknown[], extra: Record<string, unknown> = {}): ChangeSpec {
  return ChangeSpec.parse({
    apiVersion: 'changeflow/v1',
    kind: 'ChangeSpec',
    target: { site: 'dc1', fabric: 'dc1-aci', cluster: 'prod-a' },
    aci: { tenant: 'k8s-prod-a', vrf: 'vrf-1', l3out: 'prod-a-l3out', physDomain: 'k8s-phys', fabricAsn: 65001 },
    changes,
    ...extra,
  });
}

export const bgpChange = {
  type: 'bgpPeering',
  clusterAsn: 64512,
  peeringSubnet: '192.168.2.0/24',
  vlan: 300,
  floatingIp: '192.168.2.254/24',
  anchors: [
    { nodeId: 101, pod: 1, routerId: '1.1.1.101', address: '192.168.2.1/24' },
    { nodeId: 102, pod: 1, routerId: '1.1.1.102', address: '192.168.2.2/24' },
  ],
  nodeSelector: { bgp: 'enabled' },
  bfd: true,
};
export const poolChange = { type: 'loadBalancerPool', name: 'pool-red', blocks: ['10.0.10.0/24'], serviceSelector: { color: 'red' }, externalEpg: 'default_svc' };
export const egressChange = {
  type: 'egressGateway',
  name: 'frontend-egress',
  namespace: 'shop',
  podSelector: { app: 'frontend' },
  destinationCidrs: ['10.10.10.0/24'],
  egressIp: '192.168.3.200',
  gatewayNodeSelector: { 'egress-gateway': 'true' },
  esg: { applicationProfile: 'egress', name: 'frontend' },
};
export const l2Change = { type: 'l2Announcement', name: 'l2-red', serviceSelector: { color: 'red' }, nodeSelector: { l2: 'true' }, interfaces: ['^eth[0-9]+'] };
export const configChange = { type: 'ciliumConfig', settings: { 'bpf-lb-algorithm': 'maglev', 'bpf-lb-mode': 'dsr' } };

export const onboardSpec = () => specWith([bgpChange, poolChange, egressChange]);

export function prodAObjects(): unknown[] {
  const dir = join(fixtureDir, 'facts/prod-a-1.18');
  return readdirSync(dir).filter((f) => f.endsWith('.json')).sort().map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as unknown);
}

export function prodAFacts(): ClusterFacts {
  return parseClusterFacts(prodAObjects());
}

/** fieldsV1 for a manifest applied with SSA: named-item lists by name, other lists atomic. */
export function fieldsOf(value: unknown, top = true): FieldsV1 {
  if (!isRecord(value)) return {};
  const out: FieldsV1 = top ? {} : { '.': {} };
  for (const [k, v] of Object.entries(value)) {
    if (top && (k === 'apiVersion' || k === 'kind')) continue;
    if (top && k === 'metadata' && isRecord(v)) {
      const { name: _n, namespace: _ns, ...rest } = v;
      if (Object.keys(rest).length > 0) out['f:metadata'] = fieldsOf(rest, false);
      continue;
    }
    if (Array.isArray(v) && v.length > 0 && v.every((i) => isRecord(i) && typeof i['name'] === 'string')) {
      const list: FieldsV1 = { '.': {} };
      for (const item of v as Array<Record<string, unknown>>) list[`k:${JSON.stringify({ name: item['name'] })}`] = fieldsOf(item, false);
      out[`f:${k}`] = list;
    } else out[`f:${k}`] = isRecord(v) ? fieldsOf(v, false) : {};
  }
  return out;
}

function withoutFields(value: unknown, fields: FieldsV1): unknown {
  // Removes the leaves `fields` names (what an apply that no longer lists them drops).
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = { ...value };
  for (const [k, child] of Object.entries(fields)) {
    if (!k.startsWith('f:')) continue;
    const name = k.slice(2);
    const leaf = Object.keys(child).filter((c) => c !== '.').length === 0;
    if (leaf) delete out[name];
    else out[name] = withoutFields(out[name], child);
  }
  return out;
}

/** Ownership a forced apply takes away from another manager: its leaves that `taken` also names. */
function fieldsMinus(fields: FieldsV1, taken: FieldsV1): FieldsV1 {
  const out: FieldsV1 = {};
  for (const [k, child] of Object.entries(fields)) {
    const other = taken[k];
    if (k === '.' || other === undefined) out[k] = child;
    else if (Object.keys(child).some((c) => c !== '.')) out[k] = fieldsMinus(child, other);
  }
  return out;
}

/** Runs a plan's requests (or inverses) against facts, as the API server would, and returns new facts. */
export function runRequests(facts: ClusterFacts, requests: PlanOp['request'][]): ClusterFacts {
  const objects = structuredClone(facts.objects);
  for (const r of requests) {
    if (r.kind !== 'kubernetes') continue;
    const key = objectKey({ kind: r.ref.kind, name: r.ref.name, ...(r.ref.namespace ? { namespace: r.ref.namespace } : {}) });
    if (r.method === 'delete') delete objects[key];
    if (r.method !== 'apply') continue;
    const current = objects[key];
    const entries = (current?.metadata['managedFields'] as Array<{ manager: string; fieldsV1?: FieldsV1 }> | undefined) ?? [];
    const mine = entries.find((e) => e.manager === fieldManager)?.fieldsV1 ?? {};
    const newFields = fieldsOf(r.manifest);
    const base = current ? (withoutFields(current, mine) as KubeObject) : undefined;
    // Fields the new manifest names replace what was there; lists are replaced whole.
    const merged = (base ? mergeTrees(r.manifest, base) : structuredClone(r.manifest)) as KubeObject;
    const others = entries.filter((e) => e.manager !== fieldManager).map((e) => (r.force && e.fieldsV1 ? { ...e, fieldsV1: fieldsMinus(e.fieldsV1, newFields) } : e));
    merged.metadata = { ...merged.metadata, managedFields: [...others, { manager: fieldManager, operation: 'Apply', apiVersion: r.manifest.apiVersion, fieldsType: 'FieldsV1', fieldsV1: newFields }] };
    if (!current) merged.metadata = { ...merged.metadata, uid: `uid-${r.ref.name}`, resourceVersion: '1', creationTimestamp: '2025-06-01T00:00:00Z' };
    objects[key] = merged;
  }
  const config = objects[`ConfigMap/${facts.ciliumNamespace}/cilium-config`] as (KubeObject & { data?: Record<string, string> }) | undefined;
  return { ...facts, objects, ...(config ? { config: config.data ?? {} } : {}) };
}

export function applyPlan(facts: ClusterFacts, ops: PlanOp[]): ClusterFacts {
  return runRequests(facts, ops.map((o) => o.request));
}

export function rollBack(facts: ClusterFacts, ops: PlanOp[]): ClusterFacts {
  return runRequests(facts, [...ops].reverse().flatMap((o) => o.inverse));
}
