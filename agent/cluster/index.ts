// The cluster adapter's public surface (see README.md).
export { createClusterClient, type ClusterClient, type ClusterClientOptions, type WaitOptions, type WorkloadKind } from './cluster-client.js';
export { ApplyConflict, CiliumNotRunnable, ClusterRequestFailed, ClusterUnavailable, InvalidObject, NodeGateFailed, NotFound, WaitTimedOut, type FieldConflict } from './errors.js';
export { restartNodeByNode, type AgentGate, type RestartedPod } from './node-restart.js';
export { KubeObject, ObjectRef, describeRef, refOf, toApplyConfiguration } from './kube-object.js';
export { rolloutProgress, type RolloutProgress } from './rollout.js';
export { runCilium, type CiliumRun, type CiliumRunOptions } from './cilium-runner.js';
export { ciliumBgpPeersJson, ciliumConnectivityTest, ciliumStatusJson, type CiliumTarget, type ConnectivityTestRun } from './cilium-commands.js';
