import { arrayAt, isObject, labelsOf, objectAt, stringAt, type Json, type JsonObject } from './json.js';
import type { ResourceDef } from './resources.js';

// `kubectl get` asks for a meta.k8s.io/v1 Table (Accept: application/json;as=Table;…) and prints
// its columns as they come; these mirror the columns a real cluster prints for each kind.
interface Column {
  name: string;
  type: 'string' | 'integer' | 'date';
  priority?: number;
  cell: (obj: JsonObject, now: Date) => Json;
}

const name: Column = { name: 'Name', type: 'string', cell: (o) => stringAt(o['metadata'], 'name') ?? '' };
const age: Column = { name: 'Age', type: 'string', cell: (o, now) => humanAge(stringAt(o['metadata'], 'creationTimestamp'), now) };
const num = (title: string, field: string): Column => ({ name: title, type: 'integer', cell: (o) => numberAt(objectAt(o, 'status'), field) });

function numberAt(obj: JsonObject | undefined, key: string): number {
  const v = obj?.[key];
  return typeof v === 'number' ? v : 0;
}

function condition(obj: JsonObject, type: string): JsonObject | undefined {
  return arrayAt(objectAt(obj, 'status'), 'conditions').find((c): c is JsonObject => isObject(c) && c['type'] === type);
}

const columnsByKind: Record<string, Column[]> = {
  Node: [
    name,
    { name: 'Status', type: 'string', cell: (o) => (condition(o, 'Ready')?.['status'] === 'True' ? 'Ready' : 'NotReady') },
    {
      name: 'Roles',
      type: 'string',
      cell: (o) => Object.keys(labelsOf(o)).filter((k) => k.startsWith('node-role.kubernetes.io/')).map((k) => k.slice('node-role.kubernetes.io/'.length)).join(',') || '<none>',
    },
    age,
    { name: 'Version', type: 'string', cell: (o) => stringAt(objectAt(objectAt(o, 'status'), 'nodeInfo'), 'kubeletVersion') ?? '' },
  ],
  Namespace: [name, { name: 'Status', type: 'string', cell: (o) => stringAt(o['status'], 'phase') ?? 'Active' }, age],
  ConfigMap: [name, { name: 'Data', type: 'integer', cell: (o) => Object.keys(objectAt(o, 'data') ?? {}).length }, age],
  Service: [
    name,
    { name: 'Type', type: 'string', cell: (o) => stringAt(o['spec'], 'type') ?? 'ClusterIP' },
    { name: 'Cluster-IP', type: 'string', cell: (o) => stringAt(o['spec'], 'clusterIP') ?? '<none>' },
    {
      name: 'External-IP',
      type: 'string',
      cell: (o) => {
        const ips = arrayAt(objectAt(objectAt(o, 'status'), 'loadBalancer'), 'ingress').map((i) => stringAt(i, 'ip')).filter(Boolean);
        return ips.length > 0 ? ips.join(',') : stringAt(o['spec'], 'type') === 'LoadBalancer' ? '<pending>' : '<none>';
      },
    },
    {
      name: 'Port(s)',
      type: 'string',
      cell: (o) =>
        arrayAt(objectAt(o, 'spec'), 'ports')
          .map((p) => `${String(isObject(p) ? p['port'] : '')}${isObject(p) && p['nodePort'] ? ':' + String(p['nodePort']) : ''}/${stringAt(p, 'protocol') ?? 'TCP'}`)
          .join(',') || '<none>',
    },
    age,
  ],
  Pod: [
    name,
    { name: 'Ready', type: 'string', cell: (o) => { const cs = arrayAt(objectAt(o, 'status'), 'containerStatuses'); return `${cs.filter((c) => isObject(c) && c['ready'] === true).length}/${cs.length}`; } },
    { name: 'Status', type: 'string', cell: (o) => stringAt(o['status'], 'phase') ?? 'Pending' },
    { name: 'Restarts', type: 'integer', cell: () => 0 },
    age,
  ],
  DaemonSet: [
    name, num('Desired', 'desiredNumberScheduled'), num('Current', 'currentNumberScheduled'), num('Ready', 'numberReady'),
    num('Up-to-date', 'updatedNumberScheduled'), num('Available', 'numberAvailable'),
    {
      name: 'Node Selector',
      type: 'string',
      cell: (o) => Object.entries(objectAt(objectAt(objectAt(objectAt(o, 'spec'), 'template'), 'spec'), 'nodeSelector') ?? {}).map(([k, v]) => `${k}=${String(v)}`).join(',') || '<none>',
    },
    age,
  ],
  Deployment: [
    name,
    { name: 'Ready', type: 'string', cell: (o) => `${numberAt(objectAt(o, 'status'), 'readyReplicas')}/${numberAt(objectAt(o, 'spec'), 'replicas')}` },
    num('Up-to-date', 'updatedReplicas'), num('Available', 'availableReplicas'), age,
  ],
  CustomResourceDefinition: [name, { name: 'Created At', type: 'date', cell: (o) => stringAt(o['metadata'], 'creationTimestamp') ?? '' }],
  CiliumLoadBalancerIPPool: [
    name,
    { name: 'Disabled', type: 'string', cell: (o) => String(objectAt(o, 'spec')?.['disabled'] ?? false) },
    { name: 'Conflicting', type: 'string', cell: (o) => stringAt(condition(o, 'cilium.io/PoolConflict'), 'status') ?? '' },
    { name: 'IPs Available', type: 'string', cell: (o) => stringAt(condition(o, 'cilium.io/IPsAvailable'), 'message') ?? '' },
    age,
  ],
};

export function toTable(def: ResourceDef, objects: ReadonlyArray<JsonObject>, resourceVersion: string, now: Date): JsonObject {
  const columns = columnsByKind[def.kind] ?? [name, age];
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion },
    columnDefinitions: columns.map((c) => ({
      name: c.name,
      type: c.type,
      format: c === name ? 'name' : '',
      description: c === name ? 'Name must be unique within a namespace.' : '',
      priority: c.priority ?? 0,
    })),
    rows: objects.map((o) => ({
      cells: columns.map((c) => c.cell(o, now)),
      object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: objectAt(o, 'metadata') ?? {} },
    })),
  };
}

/** kubectl's short ages: 45s, 12m, 5h, 3d. */
export function humanAge(timestamp: string | undefined, now: Date): string {
  if (!timestamp) return '<unknown>';
  const s = Math.max(0, Math.floor((now.getTime() - Date.parse(timestamp)) / 1000));
  if (s < 120) return `${s}s`;
  if (s < 3600 * 3) return `${Math.floor(s / 60)}m`;
  if (s < 86400 * 2) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86400)}d`;
}
