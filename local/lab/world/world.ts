import type { ApicLab } from '../apic/lab.js';
import type { MitReader } from '../apic/mit.js';
import type { BgpPeerConfig, OperationalProvider } from '../apic/operational.js';
import { FaultBook } from '../faults.js';
import type { PeeringStateProvider } from '../kubernetes/bgp-operator.js';
import type { KubernetesLab } from '../kubernetes/lab.js';
import { RequestStats } from '../side-door.js';
import { clusterSnapshot } from './cluster-objects.js';
import { clusterObjectsFromStore } from './cluster-reader.js';
import type { ClusterSnapshot } from './cluster-snapshot.js';
import { connectivitySuite } from './connectivity.js';
import type { ConnectivityRequest, Suite } from './connectivity-suite.js';
import { dumpReader, readFabric, type FabricSnapshot } from './fabric-snapshot.js';
import { AgentConfigTracker, type AgentConfig, type AgentPodView } from './agent-configs.js';
import { apicNeighbors, bgpSessions, type Session, type SessionRules } from './sessions.js';
import { serveWorld, type WorldServer } from './world-http.js';

// The lab world joins the APIC and Kubernetes emulators: it plugs the same session verdicts into
// both (APIC bgpPeerEntry via setOperationalProvider, CiliumBGPNodeConfig status via
// setPeeringStateProvider), keeps track of cilium-config rollouts, and serves connectivity
// verdicts to the lab `cilium` executable over HTTP. Both providers are called on read, so the
// APIC side is current on every query and the cluster side on every operator pass (each write,
// plus the Kubernetes lab's periodic resync); refresh() forces a pass now.

export interface WorldOptions {
  apic: Pick<ApicLab, 'dump' | 'policyVersion' | 'setOperationalProvider' | 'setEndpointIpProvider'>;
  kubernetes: Pick<KubernetesLab, 'store' | 'context' | 'setPeeringStateProvider' | 'settle' | 'l2Announcements'>;
  /** Faults bgp.* and cilium.* (bgp.establish=never, bgp.session=down, cilium.connectivity=fail|hang|slow, cilium.config=stale). */
  faults?: FaultBook;
  port?: number;
  now?: () => Date;
}

export interface World {
  /** http://127.0.0.1:PORT: /world/sessions, /world/connectivity and the /_lab/ side door. */
  url: string;
  faults: FaultBook;
  stats: RequestStats;
  fabric(): FabricSnapshot;
  cluster(): ClusterSnapshot;
  sessions(): Session[];
  /** The configuration each node's Cilium agent started with. */
  agents(): AgentConfig[];
  /** One connectivity-test run's verdicts; counts a cilium.connectivity call for faults. */
  connectivity(request: ConnectivityRequest): Suite;
  /** Makes the emulated Cilium agents report BGP status now and waits until they have. */
  refresh(): Promise<void>;
  close(): Promise<void>;
}

export async function startWorld(opts: WorldOptions): Promise<World> {
  const { apic, kubernetes } = opts;
  const faults = opts.faults ?? new FaultBook();
  const now = opts.now ?? ((): Date => new Date());
  const store = kubernetes.store;
  // Runs on every cluster write: read only the two objects it needs.
  const agentView = (): Pick<ClusterSnapshot, 'config' | 'agents'> =>
    clusterSnapshot({
      clusterName: kubernetes.context, nodes: [], clusterConfigs: [], peerConfigs: [], advertisements: [], pools: [], services: [],
      egressPolicies: [], l2Policies: [], agentPods: [],
      ciliumConfig: store.get('v1', 'ConfigMap', 'cilium-config', 'kube-system'),
      agents: store.get('apps/v1', 'DaemonSet', 'cilium', 'kube-system'),
    });
  const agentPods = (): AgentPodView[] =>
    store.peek('v1', 'Pod', { namespace: 'kube-system', labelSelector: 'k8s-app=cilium' }).flatMap((p) => {
      const meta = p['metadata'] as Record<string, unknown> | undefined;
      const spec = p['spec'] as Record<string, unknown> | undefined;
      const [pod, uid, node] = [meta?.['name'], meta?.['uid'], spec?.['nodeName']];
      return typeof pod === 'string' && typeof uid === 'string' && typeof node === 'string' ? [{ pod, uid, node }] : [];
    });
  const configData = (): Record<string, string> => agentView().config;
  const agentConfigs = new AgentConfigTracker(agentPods(), configData());
  // The cluster snapshot is rebuilt only after a write: the APIC asks for it on every query.
  let clusterCache: ClusterSnapshot | undefined;
  const unsubscribe = store.subscribe(() => {
    clusterCache = undefined;
    agentConfigs.observe(agentPods(), configData(), faults.has('cilium', 'config', 'stale'));
  });

  const cluster = (): ClusterSnapshot => {
    if (!clusterCache) {
      const snapshot = clusterSnapshot(clusterObjectsFromStore(store, kubernetes.context));
      clusterCache = { ...snapshot, pendingConfigKeys: agentConfigs.pendingKeys(snapshot.config) };
    }
    return clusterCache;
  };
  // apic.mit rebuilds the operational tree on every call; the policy dump is one cheap read.
  // Read again only when the policy tree changed: on the scale fabric a dump is 20 000 MOs.
  let fabricCache: { version: number; snapshot: FabricSnapshot } | undefined;
  const fabric = (): FabricSnapshot => {
    const version = apic.policyVersion();
    if (fabricCache?.version === version) return fabricCache.snapshot;
    const snapshot = readFabric(dumpReader(apic.dump()));
    fabricCache = { version, snapshot };
    return snapshot;
  };
  const rules = (): SessionRules => ({ neverEstablish: faults.has('bgp', 'establish', 'never'), sessionsDown: faults.has('bgp', 'session', 'down') });
  const sessionsOn = (f: FabricSnapshot): Session[] => bgpSessions(f, cluster(), rules());

  // The APIC calls this while it rebuilds its operational tree: read the raw tree it hands over.
  const apicProvider: OperationalProvider = (peer: BgpPeerConfig, mit: MitReader) => apicNeighbors(sessionsOn(readFabric(mit)), peer, peer.candidates);

  // One operator pass asks for every node and peer in a row; compute the table once per pass.
  let passCache: Session[] | undefined;
  const passSessions = (): Session[] => {
    if (!passCache) {
      passCache = sessionsOn(fabric());
      setImmediate(() => (passCache = undefined));
    }
    return passCache;
  };
  const kubeProvider: PeeringStateProvider = (node, view) =>
    passSessions().find((s) => s.node === node && s.instance === view.instance && s.peer === view.peer)?.cilium ?? 'active';

  apic.setOperationalProvider(apicProvider);
  kubernetes.setPeeringStateProvider(kubeProvider);
  // ARP on the floating-SVI segment: the node holding a service's L2 lease answers for its IPs,
  // so the fabric learns them on that node's endpoint.
  apic.setEndpointIpProvider((endpoint) => kubernetes.l2Announcements().filter((a) => a.holderIp === endpoint.ip).flatMap((a) => a.ips));

  const stats = new RequestStats();
  const world: Omit<World, 'url' | 'close'> = {
    faults,
    stats,
    fabric,
    cluster,
    sessions: () => sessionsOn(fabric()),
    agents: () => agentConfigs.agents(),
    connectivity: (request) => {
      const f = fabric();
      const c = cluster();
      return connectivitySuite(f, c, bgpSessions(f, c, rules()), { namespace: request.namespace, fault: faults.take('cilium', 'connectivity'), now: now() });
    },
    refresh: async () => {
      kubernetes.setPeeringStateProvider(kubeProvider);
      await kubernetes.settle();
    },
  };
  const server: WorldServer = await serveWorld(world, opts.port ?? 0);
  return {
    ...world,
    url: server.url,
    close: async () => {
      unsubscribe();
      apic.setOperationalProvider(undefined);
      apic.setEndpointIpProvider(undefined);
      kubernetes.setPeeringStateProvider(undefined);
      await server.close();
    },
  };
}
