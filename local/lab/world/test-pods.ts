import ipaddr from 'ipaddr.js';
import { sha256Hex } from '../../../shared/canonical-json.js';
import type { ClusterNode, ClusterSnapshot } from './cluster-snapshot.js';
import type { TestPeer } from './connectivity-suite.js';

// The pods `cilium connectivity test` deploys (client, client2, echo-same-node, echo-other-node)
// with the names and addresses they would get: a replica-set hash and pod suffix from the
// Kubernetes alphabet, IPs from the nodes' pod CIDRs. Nothing is created in the lab cluster —
// a test run must not change the state a rollback is compared with.

const alphabet = 'bcdfghjklmnpqrstvwxz2456789';

function kubeSuffix(seed: string, length: number): string {
  const hex = sha256Hex(seed);
  let out = '';
  for (let i = 0; out.length < length; i += 2) out += alphabet[parseInt(hex.slice(i, i + 2), 16) % alphabet.length];
  return out;
}

function hostIn(cidr: string | undefined, index: number): string {
  if (!cidr) return `10.0.0.${index}`;
  try {
    const [net] = ipaddr.parseCIDR(cidr);
    const bytes = net.toByteArray();
    bytes[bytes.length - 1] = index;
    return ipaddr.fromByteArray(bytes).toString();
  } catch (err) {
    if (err instanceof Error) return `10.0.0.${index}`;
    throw err;
  }
}

export interface TestPods {
  client: TestPeer;
  client2: TestPeer;
  echoSameNode: TestPeer;
  echoOtherNode: TestPeer;
  /** Nodes the pods run on, for node-level actions. */
  workers: ClusterNode[];
}

export function testPods(cluster: ClusterSnapshot, namespace: string): TestPods {
  const workers = cluster.nodes.filter((n) => !('node-role.kubernetes.io/control-plane' in n.labels));
  const first = workers[0] ?? cluster.nodes[0];
  const second = workers[1] ?? first;
  const pod = (deployment: string, node: ClusterNode | undefined, index: number, port?: number): TestPeer => ({
    name: `${namespace}/${deployment}-${kubeSuffix(`${cluster.clusterName}/${deployment}/rs`, 10)}-${kubeSuffix(`${cluster.clusterName}/${deployment}/pod`, 5)}`,
    address: hostIn(node?.podCidr, index),
    ...(port !== undefined ? { port } : {}),
  });
  return {
    client: pod('client', first, 21),
    client2: pod('client2', first, 22),
    echoSameNode: pod('echo-same-node', first, 23, 8080),
    echoOtherNode: pod('echo-other-node', second, 31, 8080),
    workers,
  };
}

/** The curl command cilium-cli's HTTP actions run, as their failure messages quote it. */
export function curlCommand(url: string): string {
  return `curl --silent --fail --show-error --connect-timeout 2 --max-time 10 -4 -w %{local_ip}:%{local_port} -> %{remote_ip}:%{remote_port} = %{response_code}\\n --output /dev/null ${url}`;
}
