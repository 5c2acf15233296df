import type { ClusterOnly } from '../kind.js';

export const ciliumConfigAci: ClusterOnly = { clusterOnly: 'agent and operator settings live in the cluster only' };
