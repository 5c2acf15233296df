import { arrayAt, isObject, labelsOf, objectAt, stringAt, type Json, type JsonObject } from './json.js';
import type { LabStore } from './lab-store.js';
import { matchesLabelSelector } from './label-selector.js';

// The Cilium operator's BGPv2 work and the agents' status report: one CiliumBGPNodeConfig per node
// a CiliumBGPClusterConfig selects (named after the node, owned by the cluster config), and each
// node's peers with a peeringState the lab world decides (reference/cilium.md §1).
export const PeeringState = ['unknown', 'idle', 'connect', 'active', 'open_sent', 'open_confirm', 'established'] as const;
export type PeeringState = (typeof PeeringState)[number];

export interface BgpPeerView {
  node: string;
  nodeIp?: string;
  instance: string;
  localASN?: number;
  peer: string;
  peerAddress?: string;
  peerASN?: number;
  peerConfigRef?: string;
}

export type PeeringStateProvider = (node: string, peer: BgpPeerView) => PeeringState;

/** Without a world deciding, a configured peer sits in `active` (trying to connect), as on a real node with no neighbour. */
export const defaultPeeringState: PeeringStateProvider = () => 'active';

const operatorManager = 'cilium-operator';
const agentManager = 'cilium-agent';

function created(o: JsonObject): string {
  return `${stringAt(o['metadata'], 'creationTimestamp') ?? ''}/${stringAt(o['metadata'], 'name') ?? ''}`;
}

export class BgpOperator {
  private establishedSince = new Map<string, string>();

  constructor(
    private readonly store: LabStore,
    private readonly now: () => Date,
    private provider: PeeringStateProvider = defaultPeeringState,
  ) {}

  setProvider(provider: PeeringStateProvider | undefined): void {
    this.provider = provider ?? defaultPeeringState;
  }

  reconcile(): void {
    const api = this.store.storageVersionOf('CiliumBGPClusterConfig');
    if (!api) return;
    const config = objectAt(this.store.get('v1', 'ConfigMap', 'cilium-config', 'kube-system'), 'data') ?? {};
    if (config['enable-bgp-control-plane'] !== 'true') return;

    const nodes = this.store.peek('v1', 'Node');
    const peerConfigs = new Set(this.store.list(api, 'CiliumBGPPeerConfig').map((p) => stringAt(p['metadata'], 'name')));
    const overrides = new Map(this.store.list(api, 'CiliumBGPNodeConfigOverride').map((o) => [stringAt(o['metadata'], 'name') ?? '', o]));
    const desired = new Map<string, JsonObject>();

    for (const cc of this.store.list(api, 'CiliumBGPClusterConfig').sort((a, b) => created(a).localeCompare(created(b)))) {
      const meta = objectAt(cc, 'metadata') ?? {};
      const selected = nodes.filter((n) => matchesLabelSelector(objectAt(cc, 'spec')?.['nodeSelector'], labelsOf(n)));
      const conflicting = selected.filter((n) => desired.has(stringAt(n['metadata'], 'name') ?? ''));
      const instances = arrayAt(objectAt(cc, 'spec'), 'bgpInstances').filter(isObject);
      const missing = [...new Set(instances.flatMap((i) => arrayAt(i, 'peers').map((p) => stringAt(objectAt(isObject(p) ? p : {}, 'peerConfigRef'), 'name'))))]
        .filter((n): n is string => n !== undefined && !peerConfigs.has(n));
      for (const n of selected) {
        const name = stringAt(n['metadata'], 'name') ?? '';
        if (desired.has(name)) continue;
        desired.set(name, {
          apiVersion: api, kind: 'CiliumBGPNodeConfig',
          metadata: {
            name,
            ownerReferences: [{ apiVersion: api, kind: 'CiliumBGPClusterConfig', name: stringAt(meta, 'name') ?? '', uid: stringAt(meta, 'uid') ?? '', controller: true, blockOwnerDeletion: true }],
          },
          spec: { bgpInstances: instances.map((i) => nodeInstance(i, overrides.get(name))) },
        });
      }
      this.store.writeStatus(operatorManager, { apiVersion: api, kind: 'CiliumBGPClusterConfig', name: stringAt(meta, 'name') ?? '' }, {
        ...(objectAt(cc, 'status') ?? {}),
        conditions: [
          this.condition(cc, 'cilium.io/NoMatchingNode', selected.length === 0, 'NoMatchingNode', selected.length === 0 ? 'No node matches spec.nodeSelector' : ''),
          this.condition(cc, 'cilium.io/MissingPeerConfigs', missing.length > 0, 'MissingPeerConfigs', missing.length > 0 ? `Referenced CiliumBGPPeerConfig(s) are missing: [${missing.join(' ')}]` : ''),
          this.condition(cc, 'cilium.io/ConflictingClusterConfig', conflicting.length > 0, 'ConflictingClusterConfig',
            conflicting.length > 0 ? `Selecting the same node(s) with other CiliumBGPClusterConfig: [${conflicting.map((n) => stringAt(n['metadata'], 'name')).join(' ')}]` : ''),
        ],
      });
    }

    for (const nc of desired.values()) this.store.apply(operatorManager, nc);
    for (const nc of this.store.list(api, 'CiliumBGPNodeConfig')) {
      const name = stringAt(nc['metadata'], 'name') ?? '';
      const owned = arrayAt(objectAt(nc, 'metadata'), 'ownerReferences').some((r) => stringAt(r, 'kind') === 'CiliumBGPClusterConfig');
      if (!desired.has(name) && owned) this.store.delete({ apiVersion: api, kind: 'CiliumBGPNodeConfig', name });
    }
    if (config['enable-bgp-control-plane-status-report'] === 'true') this.reportStatus(api, nodes);
  }

  private reportStatus(api: string, nodes: ReadonlyArray<Readonly<JsonObject>>): void {
    const peerTimers = new Map(this.store.list(api, 'CiliumBGPPeerConfig').map((p) => [stringAt(p['metadata'], 'name') ?? '', objectAt(objectAt(p, 'spec'), 'timers') ?? {}]));
    for (const nc of this.store.list(api, 'CiliumBGPNodeConfig')) {
      const node = stringAt(nc['metadata'], 'name') ?? '';
      const nodeObj = nodes.find((n) => stringAt(n['metadata'], 'name') === node);
      const nodeIp = arrayAt(objectAt(nodeObj, 'status'), 'addresses').map((a) => (stringAt(a, 'type') === 'InternalIP' ? stringAt(a, 'address') : undefined)).find(Boolean);
      const instances = arrayAt(objectAt(nc, 'spec'), 'bgpInstances').filter(isObject).map((inst) => {
        const instance = stringAt(inst, 'name') ?? '';
        const localASN = numberOr(inst['localASN']);
        const peers = arrayAt(inst, 'peers').filter(isObject).map((p) => {
          const view: BgpPeerView = {
            node, nodeIp, instance, localASN, peer: stringAt(p, 'name') ?? '', peerAddress: stringAt(p, 'peerAddress'),
            peerASN: numberOr(p['peerASN']), peerConfigRef: stringAt(objectAt(p, 'peerConfigRef'), 'name'),
          };
          return this.peerStatus(view, peerTimers.get(view.peerConfigRef ?? '') ?? {});
        });
        const out: JsonObject = { name: instance, peers };
        if (localASN !== undefined) out['localASN'] = localASN;
        return out;
      });
      this.store.writeStatus(agentManager, { apiVersion: api, kind: 'CiliumBGPNodeConfig', name: node }, { bgpInstances: instances });
    }
  }

  private peerStatus(view: BgpPeerView, timers: JsonObject): JsonObject {
    const state = this.provider(view.node, view);
    const key = `${view.node}/${view.instance}/${view.peer}`;
    const out: JsonObject = { name: view.peer, peeringState: state };
    if (view.peerAddress !== undefined) out['peerAddress'] = view.peerAddress;
    if (view.peerASN !== undefined) out['peerASN'] = view.peerASN;
    if (state !== 'established') {
      this.establishedSince.delete(key);
      return out;
    }
    if (!this.establishedSince.has(key)) this.establishedSince.set(key, this.now().toISOString().replace(/\.\d{3}Z$/, 'Z'));
    out['establishedTime'] = this.establishedSince.get(key) ?? '';
    out['timers'] = { appliedHoldTimeSeconds: numberOr(timers['holdTimeSeconds']) ?? 90, appliedKeepaliveSeconds: numberOr(timers['keepAliveTimeSeconds']) ?? 30 };
    return out;
  }

  private condition(obj: JsonObject, type: string, isTrue: boolean, reason: string, message: string): JsonObject {
    const status = isTrue ? 'True' : 'False';
    const previous = arrayAt(objectAt(obj, 'status'), 'conditions').find((c) => stringAt(c, 'type') === type);
    const since = stringAt(previous, 'status') === status ? stringAt(previous, 'lastTransitionTime') : undefined;
    return {
      type, status, reason, message,
      observedGeneration: numberOr(objectAt(obj, 'metadata')?.['generation']) ?? 1,
      lastTransitionTime: since ?? this.now().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    };
  }
}

function numberOr(v: Json | undefined): number | undefined {
  return typeof v === 'number' ? v : undefined;
}

function nodeInstance(inst: JsonObject, override: JsonObject | undefined): JsonObject {
  const ov = arrayAt(objectAt(override, 'spec'), 'bgpInstances').find((o) => stringAt(o, 'name') === stringAt(inst, 'name'));
  const out: JsonObject = { name: inst['name'] ?? '' };
  for (const k of ['localASN', 'localPort'] as const) if (inst[k] !== undefined) out[k] = inst[k] ?? null;
  if (isObject(ov) && ov['routerID'] !== undefined) out['routerID'] = ov['routerID'] ?? null;
  if (isObject(ov) && ov['localPort'] !== undefined) out['localPort'] = ov['localPort'] ?? null;
  const peers = arrayAt(inst, 'peers').filter(isObject).map((p) => {
    const peer: JsonObject = { name: p['name'] ?? '' };
    for (const k of ['peerAddress', 'peerASN', 'autoDiscovery', 'peerConfigRef'] as const) if (p[k] !== undefined) peer[k] = p[k] ?? null;
    const pov = isObject(ov) ? arrayAt(ov, 'peers').find((x) => stringAt(x, 'name') === stringAt(p, 'name')) : undefined;
    if (isObject(pov) && pov['localAddress'] !== undefined) peer['localAddress'] = pov['localAddress'] ?? null;
    return peer;
  });
  if (peers.length > 0) out['peers'] = peers;
  return out;
}
