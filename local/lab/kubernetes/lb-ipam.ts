import { bigToIp, blockRange, inRange, ipToBig, rangeSize, rangesOverlap, type IpRange } from './ip-range.js';
import { arrayAt, isObject, labelsOf, objectAt, stringAt, type JsonObject } from './json.js';
import type { LabStore } from './lab-store.js';
import { matchesLabelSelector } from './label-selector.js';

// The operator's LB-IPAM: pools get PoolConflict and the IPsTotal/IPsAvailable/IPsUsed conditions
// (status Unknown, reason noreason, the count in message); LoadBalancer services a pool selects
// get an ingress IP and cilium.io/IPAMRequestSatisfied (reference/cilium.md §1).
const manager = 'cilium-operator-lb-ipam';
const ciliumLbClasses = new Set(['io.cilium/bgp-control-plane', 'io.cilium/l2-announcer']);

interface PoolState {
  name: string;
  ranges: IpRange[];
  conflict?: string;
  disabled: boolean;
  selector: JsonObject | undefined;
  used: Set<string>;
}

const isLoadBalancer = (s: Readonly<JsonObject>): boolean => stringAt(s['spec'], 'type') === 'LoadBalancer';

function sortKey(o: JsonObject): string {
  return `${stringAt(o['metadata'], 'creationTimestamp') ?? ''}/${stringAt(o['metadata'], 'namespace') ?? ''}/${stringAt(o['metadata'], 'name') ?? ''}`;
}

export class LbIpam {
  constructor(
    private readonly store: LabStore,
    private readonly now: () => Date,
  ) {}

  reconcile(): void {
    const api = this.store.storageVersionOf('CiliumLoadBalancerIPPool');
    if (!api) return;
    const poolObjs = this.store.list(api, 'CiliumLoadBalancerIPPool').sort((a, b) => sortKey(a).localeCompare(sortKey(b)));
    const pools: PoolState[] = [];
    for (const p of poolObjs) {
      const spec = objectAt(p, 'spec') ?? {};
      const allowFirstLast = spec['allowFirstLastIPs'] !== 'No';
      const ranges = arrayAt(spec, 'blocks').filter(isObject).map((b) => blockRange({ cidr: stringAt(b, 'cidr'), start: stringAt(b, 'start'), stop: stringAt(b, 'stop') }, allowFirstLast)).filter((r): r is IpRange => r !== undefined);
      const name = stringAt(p['metadata'], 'name') ?? '';
      const older = pools.find((o) => o.ranges.some((r) => ranges.some((x) => rangesOverlap(r, x))));
      pools.push({
        name, ranges, disabled: spec['disabled'] === true, selector: objectAt(spec, 'serviceSelector'), used: new Set(),
        conflict: older ? `Pool conflicts since one of its blocks overlaps a block of IP Pool '${older.name}'` : undefined,
      });
    }

    const services = this.store.list('v1', 'Service', { where: isLoadBalancer }).sort((a, b) => sortKey(a).localeCompare(sortKey(b)));
    const wants = new Map<JsonObject, PoolState | undefined>();
    for (const svc of services) {
      const cls = stringAt(svc['spec'], 'loadBalancerClass');
      if (cls !== undefined && !ciliumLbClasses.has(cls)) continue;
      const labels = { ...labelsOf(svc), 'io.kubernetes.service.namespace': stringAt(svc['metadata'], 'namespace') ?? '', 'io.kubernetes.service.name': stringAt(svc['metadata'], 'name') ?? '' };
      const eligible = pools.filter((p) => !p.conflict && !p.disabled && matchesLabelSelector(p.selector, labels));
      const current = stringAt(arrayAt(objectAt(objectAt(svc, 'status'), 'loadBalancer'), 'ingress')[0], 'ip');
      const keeper = current ? eligible.find((p) => p.ranges.some((r) => inRange(r, current))) : undefined;
      if (keeper && current) keeper.used.add(current);
      wants.set(svc, keeper ?? eligible[0]);
    }
    for (const [svc, pool] of wants) this.writeService(svc, pool);
    for (const p of pools) this.writePool(api, poolObjs.find((o) => stringAt(o['metadata'], 'name') === p.name) ?? {}, p);
  }

  private writeService(svc: JsonObject, pool: PoolState | undefined): void {
    const meta = objectAt(svc, 'metadata') ?? {};
    const status = objectAt(svc, 'status') ?? {};
    const current = stringAt(arrayAt(objectAt(status, 'loadBalancer'), 'ingress')[0], 'ip');
    let ip = current && pool?.used.has(current) ? current : undefined;
    if (pool && !ip) {
      ip = allocate(pool);
      if (ip) pool.used.add(ip);
    }
    const satisfied = ip !== undefined;
    const next: JsonObject = {
      ...status,
      loadBalancer: ip !== undefined ? { ingress: [{ ip, ipMode: 'VIP' }] } : {},
      conditions: [
        this.condition(status, 'cilium.io/IPAMRequestSatisfied', satisfied ? 'True' : 'False', satisfied ? 'satisfied' : 'no_pool',
          satisfied ? '' : 'There are no enabled CiliumLoadBalancerIPPools that match this service', numberOf(meta['generation'])),
      ],
    };
    this.store.writeStatus(manager, { apiVersion: 'v1', kind: 'Service', name: stringAt(meta, 'name') ?? '', namespace: stringAt(meta, 'namespace') }, next);
  }

  private writePool(api: string, obj: JsonObject, p: PoolState): void {
    const total = p.ranges.reduce((n, r) => n + rangeSize(r), 0n);
    const used = BigInt(p.used.size);
    const status = objectAt(obj, 'status') ?? {};
    const gen = numberOf(objectAt(obj, 'metadata')?.['generation']);
    const count = (type: string, n: bigint): JsonObject => this.condition(status, type, 'Unknown', 'noreason', n.toString(), gen);
    this.store.writeStatus(manager, { apiVersion: api, kind: 'CiliumLoadBalancerIPPool', name: p.name }, {
      conditions: [
        this.condition(status, 'cilium.io/PoolConflict', p.conflict ? 'True' : 'False', p.conflict ? 'cidr_overlap' : 'resolved', p.conflict ?? '', gen),
        count('cilium.io/IPsTotal', total),
        count('cilium.io/IPsAvailable', p.conflict ? 0n : total - used),
        count('cilium.io/IPsUsed', used),
      ],
    });
  }

  private condition(status: JsonObject, type: string, value: string, reason: string, message: string, generation: number): JsonObject {
    const previous = arrayAt(status, 'conditions').find((c) => stringAt(c, 'type') === type);
    const keep = stringAt(previous, 'status') === value && stringAt(previous, 'message') === message;
    return {
      type, status: value, reason, message, observedGeneration: generation,
      lastTransitionTime: (keep ? stringAt(previous, 'lastTransitionTime') : undefined) ?? this.now().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    };
  }
}

function numberOf(v: unknown): number {
  return typeof v === 'number' ? v : 1;
}

/** Lowest free address of the pool, as LB-IPAM hands them out. */
function allocate(pool: PoolState): string | undefined {
  const taken = new Set([...pool.used].map((ip) => ipToBig(ip).value));
  for (const r of pool.ranges) {
    for (let v = r.first; v <= r.last && v - r.first < 1_000_000n; v++) if (!taken.has(v)) return bigToIp(v, r.family);
  }
  return undefined;
}
