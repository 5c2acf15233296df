import type { ClusterSnapshot } from './cluster-snapshot.js';
import { bgpControlPlane, egressGateway, l2Announcement, northSouth } from './connectivity-fabric.js';
import { headTests, tailTests } from './connectivity-datapath.js';
import type { Suite } from './connectivity-suite.js';
import type { FabricSnapshot } from './fabric-snapshot.js';
import type { Session } from './sessions.js';
import { testPods } from './test-pods.js';

// The whole lab suite in cilium-cli's order: datapath tests first, then the ones that need the
// fabric, then the log and drop checks that always close a real run.

export interface SuiteOptions {
  namespace: string;
  /** Mode of the fault cilium.connectivity that fired for this run, if any. */
  fault?: string;
  now: Date;
}

export function ciliumVersionOf(cluster: ClusterSnapshot): string {
  return /:v?([\w.-]+)$/.exec(cluster.agents?.image ?? '')?.[1] ?? 'unknown';
}

/** cilium.connectivity=slow: a test's time, long enough for a poller to see the suite move. */
const slowTestMs = 600;

export function connectivitySuite(fabric: FabricSnapshot, cluster: ClusterSnapshot, sessions: ReadonlyArray<Session>, opts: SuiteOptions): Suite {
  const pods = testPods(cluster, opts.namespace);
  return {
    clusterName: cluster.clusterName,
    ciliumVersion: ciliumVersionOf(cluster),
    namespace: opts.namespace,
    hang: opts.fault === 'hang',
    paceMs: opts.fault === 'slow' ? slowTestMs : 0,
    tests: [
      ...headTests(cluster, pods, opts.namespace, opts.fault === 'fail'),
      northSouth(fabric, cluster, sessions),
      bgpControlPlane(cluster, sessions),
      egressGateway(fabric, cluster, pods),
      l2Announcement(cluster),
      ...tailTests(cluster, opts.now),
    ],
  };
}
