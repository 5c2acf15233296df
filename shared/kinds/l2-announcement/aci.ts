import type { ClusterOnly } from '../kind.js';

export const l2AnnouncementAci: ClusterOnly = {
  clusterOnly: 'the node answers ARP for the service IPs on the floating-SVI segment; the fabric learns them as endpoints',
};
