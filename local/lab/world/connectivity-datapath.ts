import type { ClusterSnapshot } from './cluster-snapshot.js';
import type { ActionVerdict, TestPeer, TestVerdict } from './connectivity-suite.js';
import { curlCommand, type TestPods } from './test-pods.js';

// The cluster-internal tests of the default suite, with their real names. They pass on a healthy
// lab cluster: what the lab can break lives in connectivity-fabric.ts. The exceptions are the
// fault cilium.connectivity=fail (one pod-to-pod action fails) and cilium-config changes not yet
// rolled out to the agents (check-log-errors finds the agents complaining).

const world: TestPeer = { name: 'one.one.one.one.-http', address: 'one.one.one.one.', port: 80 };

function curl(name: string, src: TestPeer, dst: TestPeer): ActionVerdict {
  return { name, src, dst };
}

function service(namespace: string, name: string): TestPeer {
  return { name: `${namespace}/${name}`, address: `${name}.${namespace}`, port: 8080 };
}

export function headTests(cluster: ClusterSnapshot, pods: TestPods, namespace: string, failFault: boolean): TestVerdict[] {
  const { client, client2, echoSameNode, echoOtherNode } = pods;
  const host = pods.workers[1] ?? pods.workers[0];
  const podToPod = [
    curl('curl-ipv4-0', client, echoOtherNode),
    curl('curl-ipv4-1', client, echoSameNode),
    curl('curl-ipv4-2', client2, echoOtherNode),
    curl('curl-ipv4-3', client2, echoSameNode),
  ];
  if (failFault) {
    const victim = podToPod[1];
    if (victim) {
      victim.failure =
        `command "${curlCommand(`http://${echoSameNode.address}:8080`)}" failed: command failed (pod=${client.name}, container=client): ` +
        'command terminated with exit code 28 (lab: fault cilium.connectivity=fail)';
    }
  }
  return [
    {
      name: 'no-policies',
      scenarios: [
        { name: 'pod-to-pod', actions: podToPod },
        { name: 'pod-to-service', actions: [curl('curl-ipv4-0', client, service(namespace, 'echo-other-node')), curl('curl-ipv4-1', client, service(namespace, 'echo-same-node'))] },
        { name: 'pod-to-host', actions: host?.ip ? [curl('ping-ipv4-0', client, { name: host.ip, address: host.ip, port: 0 })] : [] },
        { name: 'pod-to-world', actions: [curl('http-to-one.one.one.one.-ipv4-0', client, world)] },
      ],
    },
    { name: 'no-policies-from-outside', skip: 'skipped by condition', scenarios: [] },
    {
      name: 'allow-all-except-world',
      scenarios: [
        { name: 'pod-to-pod', actions: [curl('curl-ipv4-0', client, echoOtherNode), curl('curl-ipv4-1', client, echoSameNode)] },
        { name: 'pod-to-service', actions: [curl('curl-ipv4-0', client, service(namespace, 'echo-other-node'))] },
      ],
    },
    { name: 'client-ingress', scenarios: [{ name: 'client-to-client', actions: [curl('ping-ipv4-0', client2, { ...client, port: 0 })] }] },
    { name: 'client-egress', scenarios: [{ name: 'pod-to-pod', actions: [curl('curl-ipv4-0', client, echoOtherNode), curl('curl-ipv4-1', client, echoSameNode)] }] },
    { name: 'to-entities-world', scenarios: [{ name: 'pod-to-world', actions: [curl('http-to-one.one.one.one.-ipv4-0', client, world)] }] },
    { name: 'to-cidr-external', scenarios: [{ name: 'pod-to-cidr', actions: [curl('external-1111-0', client, { name: 'external-1111', address: '1.1.1.1', port: 443 })] }] },
  ];
}

export function tailTests(cluster: ClusterSnapshot, now: Date): TestVerdict[] {
  const stamp = now.toISOString().replace('Z', '000000Z');
  const drift = cluster.pendingConfigKeys;
  return [
    {
      name: 'no-unexpected-packet-drops',
      scenarios: [{ name: 'no-unexpected-packet-drops', actions: cluster.nodes.map((n) => ({ name: `${cluster.clusterName}/${n.name}` })) }],
    },
    {
      name: 'check-log-errors',
      scenarios: [{
        name: 'no-errors-in-logs',
        actions: cluster.agentPods.map((p) => {
          const action: ActionVerdict = { name: `kubernetes/kube-system/${p.name} (cilium-agent)` };
          if (drift.length > 0) {
            action.failure =
              `Found 1 logs in kubernetes/kube-system/${p.name} (cilium-agent) matching list of errors that must be investigated:\n` +
              `time=${stamp} level=error msg="Agent configuration differs from ConfigMap cilium-config; restart the agent to apply it" ` +
              `module=agent.infra.config-drift keys=${drift.join(',')} (1 occurrences) ` +
              '(lab: cilium-config changed after ds/cilium last restarted; run kubectl -n kube-system rollout restart ds/cilium)';
          }
          return action;
        }),
      }],
    },
  ];
}
