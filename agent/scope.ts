import type { AgentCommand } from '../shared/agent-protocol/index.js';
import { isWithin } from '../shared/aci/dn.js';
import type { DeviceRequest, MoJson, PlanOp, Readback } from '../shared/plan/index.js';
import { safeDn } from './apic/path-safety.js';
import { safeRef } from './cluster/kube-names.js';
import type { ClusterKind, ClusterScope, FabricScope } from './config.js';
import { TaskOutsideScope } from './task-errors.js';

// The scope allowlist of the agent config, enforced for every task, signed or not: like a
// firewall behind the signature, it holds even if the plan step or its key were abused. A fabric
// may be written only inside its listed tenants (and DN prefixes); a cluster only with the kinds
// changeflow uses, each for what changeflow does with it, in the listed namespaces.

export interface Scopes {
  fabric(name: string): FabricScope;
  cluster(name: string): ClusterScope & { ciliumNamespace: string };
}

/** What each kind may be used for: group, and for the built-in kinds the only names and methods. */
const kindRules: Readonly<Record<ClusterKind, { group: string; names?: readonly string[]; namePattern?: RegExp; methods: ReadonlyArray<'apply' | 'delete' | 'restart' | 'restart-nodes'> }>> = {
  CiliumBGPClusterConfig: { group: 'cilium.io', methods: ['apply', 'delete'] },
  CiliumBGPPeerConfig: { group: 'cilium.io', methods: ['apply', 'delete'] },
  CiliumBGPAdvertisement: { group: 'cilium.io', methods: ['apply', 'delete'] },
  CiliumLoadBalancerIPPool: { group: 'cilium.io', methods: ['apply', 'delete'] },
  CiliumEgressGatewayPolicy: { group: 'cilium.io', methods: ['apply', 'delete'] },
  CiliumL2AnnouncementPolicy: { group: 'cilium.io', methods: ['apply', 'delete'] },
  ConfigMap: { group: '', names: ['cilium-config'], methods: ['apply'] },
  // Only the BGP password Secrets changeflow names for a PeerConfig's authSecretRef.
  Secret: { group: '', namePattern: /-bgp-password$/, methods: ['apply', 'delete'] },
  // restart-nodes deletes the DaemonSet's own pods (by its pod selector), one node at a time.
  DaemonSet: { group: 'apps', names: ['cilium'], methods: ['restart', 'restart-nodes'] },
  Deployment: { group: 'apps', names: ['cilium-operator'], methods: ['restart'] },
};

const groupOf = (apiVersion: string): string => (apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '');

function outside(message: string): never {
  throw new TaskOutsideScope(`${message} — nothing was run; widen the scope in the agent config only if this is intended`);
}

function checkDn(fabric: string, scope: FabricScope, dn: string): void {
  safeDn(dn);
  const tenants = scope.tenants.map((t) => `uni/tn-${t}`);
  if ([...tenants, ...scope.dnPrefixes].some((prefix) => isWithin(dn, prefix))) return;
  outside(`fabric ${fabric}: ${dn} is outside the tenants ${scope.tenants.join(', ')}${scope.dnPrefixes.length ? ` and prefixes ${scope.dnPrefixes.join(', ')}` : ''} this agent may write`);
}

/** Every `dn` attribute in a posted subtree must be in scope too: the APIC honours them. */
function checkBodyDns(fabric: string, scope: FabricScope, requestDn: string, body: MoJson | undefined): void {
  const walk = (mo: MoJson, root: boolean) => {
    for (const { attributes, children } of Object.values(mo)) {
      const dn = attributes['dn'];
      if (dn !== undefined) {
        if (root && dn !== requestDn) outside(`fabric ${fabric}: a POST to ${requestDn} carries an object with dn ${dn}`);
        checkDn(fabric, scope, dn);
      }
      for (const child of children ?? []) walk(child, false);
    }
  };
  if (body) walk(body, true);
}

function checkKube(cluster: string, scope: ClusterScope & { ciliumNamespace: string }, ref: { apiVersion: string; kind: string; name: string; namespace?: string }, method: 'apply' | 'delete' | 'restart' | 'restart-nodes' | 'read'): void {
  safeRef(ref);
  const label = `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
  const kind = scope.kinds.find((k) => k === ref.kind);
  if (!kind) outside(`cluster ${cluster}: kind ${ref.kind} is not one this agent may write (allowed: ${scope.kinds.join(', ')})`);
  const rule = kindRules[kind];
  if (groupOf(ref.apiVersion) !== rule.group) outside(`cluster ${cluster}: ${label} is in API group "${groupOf(ref.apiVersion)}", changeflow writes ${kind} only in "${rule.group}"`);
  if (rule.names && !rule.names.includes(ref.name)) outside(`cluster ${cluster}: ${label} — changeflow writes ${kind} only as ${rule.names.join(', ')}`);
  if (rule.namePattern && !rule.namePattern.test(ref.name)) outside(`cluster ${cluster}: ${label} — changeflow writes ${kind} only with a name matching ${String(rule.namePattern)}`);
  if (method !== 'read' && !rule.methods.includes(method)) outside(`cluster ${cluster}: ${method} of ${label} — changeflow only ${rule.methods.join('s and ')}s a ${kind}`);
  const namespaces = scope.namespaces ?? [scope.ciliumNamespace];
  if (ref.namespace !== undefined && !namespaces.includes(ref.namespace)) outside(`cluster ${cluster}: ${label} is in namespace ${ref.namespace}, this agent writes only in ${namespaces.join(', ')}`);
  if (ref.namespace === undefined && rule.group !== 'cilium.io') outside(`cluster ${cluster}: ${label} names no namespace`);
}

function checkRequest(fabric: string, cluster: string, scopes: Scopes, request: DeviceRequest): void {
  if (request.kind === 'apic') {
    const scope = scopes.fabric(fabric);
    checkDn(fabric, scope, request.dn);
    checkBodyDns(fabric, scope, request.dn, request.body);
    return;
  }
  const scope = scopes.cluster(cluster);
  checkKube(cluster, scope, request.ref, request.method);
  if (request.method === 'restart-nodes' && request.podSelector !== 'k8s-app=cilium') {
    outside(`cluster ${cluster}: a node-by-node restart deletes only the Cilium agents' pods (k8s-app=cilium), not ${request.podSelector}`);
  }
  if (request.method === 'apply') {
    const m = request.manifest;
    if (m.apiVersion !== request.ref.apiVersion || m.kind !== request.ref.kind || m.metadata.name !== request.ref.name || m.metadata.namespace !== request.ref.namespace) {
      outside(`cluster ${cluster}: the manifest is ${m.kind} ${m.metadata.namespace ?? ''}/${m.metadata.name}, not the ${request.ref.kind} ${request.ref.name} the op names`);
    }
  }
}

function checkReadback(fabric: string, cluster: string, scopes: Scopes, readback: Readback): void {
  if (readback.target === 'apic') checkDn(fabric, scopes.fabric(fabric), readback.dn);
  else checkKube(cluster, scopes.cluster(cluster), readback.ref, 'read');
}

function checkOps(fabric: string, cluster: string, scopes: Scopes, ops: readonly PlanOp[], expected?: 'apic' | 'kubernetes'): void {
  for (const op of ops) {
    if (expected && op.target !== expected) outside(`op ${op.id} targets ${op.target} in a step that writes only ${expected}`);
    for (const request of [op.request, ...op.inverse]) {
      if (request.kind !== op.target) outside(`op ${op.id} targets ${op.target} but carries a ${request.kind} request`);
      checkRequest(fabric, cluster, scopes, request);
    }
    for (const readback of [...op.readback, ...op.inverseReadback]) checkReadback(fabric, cluster, scopes, readback);
  }
}

/** Throws TaskOutsideScope (or UnsafeRequest) when a command would write outside the allowlist. */
export function checkCommandScope(command: AgentCommand, scopes: Scopes): void {
  switch (command.type) {
    case 'aci.apply':
      return checkOps(command.fabric, '', scopes, command.ops, 'apic');
    case 'cluster.apply':
      return checkOps('', command.cluster, scopes, command.ops, 'kubernetes');
    case 'rollback':
      return checkOps(command.fabric, command.cluster, scopes, command.ops);
    case 'aci.snapshot': {
      const scope = scopes.fabric(command.fabric);
      if (command.policy !== scope.snapshotPolicy) outside(`fabric ${command.fabric}: snapshot policy ${command.policy} is not ${scope.snapshotPolicy}, the one this agent may trigger`);
      return;
    }
    case 'aci.collect':
    case 'verify': {
      // Reads are built by the agent from the spec (read-scope.ts), and only for a tenant in scope.
      const scope = scopes.fabric(command.fabric);
      if (!scope.tenants.includes(command.spec.aci.tenant)) outside(`fabric ${command.fabric}: the spec's tenant ${command.spec.aci.tenant} is not one this agent may touch (${scope.tenants.join(', ')})`);
      return;
    }
    case 'cluster.collect':
      // Queries built by the agent from the spec and its configured Cilium namespace.
      return;
  }
}
