// The Cilium model: manifests, cluster facts, prechecks, planner, verification and CLI output
// parsers. Pure: callers pass facts in and get data out.
export { fieldManager, managedByLabel, advertiseLabel, isInstallerManager } from './ownership.js';
export { UnsupportedCiliumVersion } from './errors.js';
export { apiVersionFor, isAtLeast, parseCiliumVersion, versionFromImage, type CiliumVersion } from './version.js';
export { LabelSelector, selectorMatches, selectorsCanOverlap, matchEverySelector } from './label-selector.js';
export { desiredClusterObjects, changeObjects, objectsForChange, type ChangeObject, type ManifestOptions } from './manifests/desired.js';
export { bgpObjectName, poolAdvertisementName, anchorPeerName, bgpInstanceName, ciliumConfigName, defaultCiliumNamespace } from './manifests/names.js';
export { clusterCollectQueries, ClusterQuery } from './facts/queries.js';
export { parseClusterFacts, emptyClusterFacts, ClusterFacts, CrdFact, NodeFact, objectKey } from './facts/cluster-facts.js';
export { runClusterPrechecks } from './prechecks/run-prechecks.js';
export { planCluster, assumedCiliumVersion } from './plan/plan-cluster.js';
export { renderClusterDiff } from './plan/render-diff.js';
export { conflictingFields, isManagedByChangeflow, type FieldConflict } from './plan/field-owners.js';
export { ConnectivityReport, FailedTest, FailedAction, ConnectivityVerdict } from './parsers/connectivity-report.js';
export { parseConnectivityJunit, summariseConnectivityJunit, ConnectivityJunit, JunitCase } from './parsers/connectivity-junit.js';
export { parseConnectivityConsole } from './parsers/connectivity-console.js';
export { parseCiliumStatusJson, CiliumStatusSummary } from './parsers/cilium-status.js';
export { parseBgpPeersJson } from './parsers/bgp-peers-json.js';
export { parseBgpPeersTable } from './parsers/bgp-peers-table.js';
export { BgpPeerRow, BgpPeerFamily } from './parsers/bgp-peer.js';
export { readConnectivityResult, looksLikeJunit } from './parsers/connectivity-result.js';
