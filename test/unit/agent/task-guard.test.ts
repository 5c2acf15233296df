import { createPrivateKey, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ClusterScope, FabricScope } from '../../../agent/config.js';
import { checkCommandScope, type Scopes } from '../../../agent/scope.js';
import { authorizeTask } from '../../../agent/task-authorization.js';
import { AgentTask, payloadOfTask, PROTOCOL, type AgentCommand, type AgentStep } from '../../../shared/agent-protocol/index.js';
import { canonicalHash } from '../../../shared/canonical-json.js';
import type { PlanOp } from '../../../shared/plan/index.js';
import { generatePlanKeyPair, signingBytes, trustedKey } from '../../../shared/signing/index.js';
import { parseChangeSpecText } from '../../../shared/spec/index.js';

// docs/architecture.md §3.6 as a table of attacks: each forged task, and what in the agent refuses it. The
// guard is the agent's own (authorizeTask, then the scope allowlist), the keys are real P-256 /
// Ed25519 pairs and signatures are made exactly as the plan step makes them.

const key = generatePlanKeyPair('p256');
const otherKey = generatePlanKeyPair('p256');
const edKey = generatePlanKeyPair('ed25519');
const now = new Date('2026-12-03T09:00:00Z');
const authority = { site: 'dc1', keys: [trustedKey(key.keyId, key.publicKeyPem), trustedKey(edKey.keyId, edKey.publicKeyPem)], now: () => now };
const scopes: Scopes = {
  fabric: () => FabricScope.parse({ tenants: ['k8s-prod-a'] }),
  cluster: () => ({ ...ClusterScope.parse({}), ciliumNamespace: 'kube-system' }),
};
const spec = (() => {
  const parsed = parseChangeSpecText(readFileSync('examples/onboard-prod-a.yaml', 'utf8'));
  if (!parsed.ok) throw new Error('example spec does not parse');
  return parsed.spec;
})();

const apDn = 'uni/tn-k8s-prod-a/ap-egress';
const aciOp: PlanOp = {
  id: 'aci.create.ap', target: 'apic', action: 'create', summary: 'application profile egress',
  request: { kind: 'apic', method: 'POST', dn: apDn, body: { fvAp: { attributes: { dn: apDn, name: 'egress' } } } },
  inverse: [{ kind: 'apic', method: 'DELETE', dn: apDn }],
  readback: [{ target: 'apic', dn: apDn, attributes: { name: 'egress' }, absent: false }],
  inverseReadback: [{ target: 'apic', dn: apDn, absent: true }],
  diff: [{ sign: '+', ref: apDn }],
};
const poolRef = { apiVersion: 'cilium.io/v2', kind: 'CiliumLoadBalancerIPPool', name: 'pool-red' };
const kubeOp: PlanOp = {
  id: 'kube.create.pool', target: 'kubernetes', action: 'create', summary: 'pool pool-red',
  request: { kind: 'kubernetes', method: 'apply', ref: poolRef, manifest: { ...poolRef, metadata: { name: 'pool-red' }, spec: { blocks: [{ cidr: '10.0.10.0/24' }] } }, force: false },
  inverse: [{ kind: 'kubernetes', method: 'delete', ref: poolRef }],
  readback: [], inverseReadback: [], diff: [],
};

const planHash = canonicalHash([aciOp, kubeOp]);

function task(step: AgentStep, command: AgentCommand, over: Partial<AgentTask> = {}): AgentTask {
  return AgentTask.parse({ protocol: PROTOCOL, changeId: 'chg-1', site: 'dc1', step, deadlineSeconds: 60, heartbeatSeconds: 5, commands: [command], ...over });
}

/** Signs a task the way the plan step does (over the payload rebuilt from the task). */
function signed(t: AgentTask, opts: { with?: typeof key; notAfter?: string; hash?: string } = {}): AgentTask {
  const k = opts.with ?? key;
  const plan = { planHash: opts.hash ?? planHash, notAfter: opts.notAfter ?? '2026-12-03T10:00:00.000Z', target: { fabric: 'dc1-aci', cluster: 'prod-a' } };
  const command = t.commands[0] as AgentCommand;
  const payload = payloadOfTask({ ...t, plan }, t.step as 'apply-aci', command);
  const value = sign(k.alg === 'ES256' ? 'sha256' : null, signingBytes(payload), createPrivateKey(k.privateKeyPem)).toString('base64');
  return { ...t, plan, signature: { alg: k.alg, keyId: k.keyId, value } };
}

function guard(t: AgentTask): string {
  try {
    authorizeTask(t, authority);
    for (const c of t.commands) checkCommandScope(c, scopes);
    return 'accepted';
  } catch (err) {
    return (err as Error).name;
  }
}

const apply = (ops: PlanOp[]): AgentCommand => ({ type: 'aci.apply', fabric: 'dc1-aci', ops });
const clusterApply = (ops: PlanOp[]): AgentCommand => ({ type: 'cluster.apply', cluster: 'prod-a', ops });
const real = signed(task('apply-aci', apply([aciOp])));
const realCluster = signed(task('apply-cluster', clusterApply([kubeOp])));
const realRollback = signed(task('rollback', { type: 'rollback', fabric: 'dc1-aci', cluster: 'prod-a', ops: [aciOp, kubeOp], undo: ['kubernetes', 'apic'] }));
const withAciOps = (t: AgentTask, ops: PlanOp[]): AgentTask => ({ ...t, commands: [apply(ops)] });
const moveTo = (dn: string): PlanOp => ({ ...aciOp, request: { kind: 'apic', method: 'DELETE', dn } });
const kubeAs = (ref: typeof poolRef & { namespace?: string }, method: 'apply' | 'delete' | 'restart' = 'delete'): PlanOp => ({
  ...kubeOp,
  request: method === 'apply' ? { kind: 'kubernetes', method, ref, manifest: { ...ref, metadata: { name: ref.name, namespace: ref.namespace } }, force: false } : { kind: 'kubernetes', method, ref },
  inverse: [],
});

describe('the agent accepts the plan it was given, signed', () => {
  it.each([
    ['an apply-aci task signed by the plan key (P-256)', real],
    ['an apply-cluster task', realCluster],
    ['a rollback carrying the whole plan', realRollback],
    ['a snapshot of the configured policy', signed(task('snapshot', { type: 'aci.snapshot', fabric: 'dc1-aci', policy: 'changeflow', waitSeconds: 60 }))],
    ['a task signed with a trusted Ed25519 key', signed(task('apply-aci', apply([aciOp])), { with: edKey })],
    ['an apply with nothing to do, unsigned (it changes nothing)', task('apply-aci', apply([]))],
    ['gather-facts (reads built by the agent from the spec)', task('gather-facts', { type: 'aci.collect', fabric: 'dc1-aci', spec })],
  ])('%s', (_what, t) => {
    expect(guard(t)).toBe('accepted');
  });
});

describe('attack table: every forged task is refused before anything runs', () => {
  it.each<[string, AgentTask, string]>([
    ['unsigned apply-aci', task('apply-aci', apply([aciOp])), 'TaskNotSigned'],
    ['unsigned snapshot', task('snapshot', { type: 'aci.snapshot', fabric: 'dc1-aci', policy: 'changeflow', waitSeconds: 60 }), 'TaskNotSigned'],
    ['unsigned rollback', task('rollback', { type: 'rollback', fabric: 'dc1-aci', cluster: 'prod-a', ops: [aciOp, kubeOp], undo: ['apic'] }), 'TaskNotSigned'],
    ['signature dropped, plan binding kept', { ...real, signature: undefined }, 'TaskNotSigned'],
    ['ops changed to another DN in the same tenant', withAciOps(real, [moveTo('uni/tn-k8s-prod-a/out-prod-a-l3out')]), 'TaskSignatureInvalid'],
    ['ops changed to another tenant (DELETE uni/tn-common)', withAciOps(real, [moveTo('uni/tn-common')]), 'TaskSignatureInvalid'],
    ['one attribute of the body changed', withAciOps(real, [{ ...aciOp, request: { ...aciOp.request, body: { fvAp: { attributes: { dn: apDn, name: 'egress', descr: 'x' } } } } as PlanOp['request'] }]), 'TaskSignatureInvalid'],
    ['an inverse changed (rollback would delete more)', withAciOps(real, [{ ...aciOp, inverse: [{ kind: 'apic', method: 'DELETE', dn: 'uni/tn-k8s-prod-a' }] }]), 'TaskSignatureInvalid'],
    ['a read-back dropped', withAciOps(real, [{ ...aciOp, readback: [] }]), 'TaskSignatureInvalid'],
    ['an extra op appended', withAciOps(real, [aciOp, aciOp]), 'TaskSignatureInvalid'],
    ['the kind of a cluster op changed', { ...realCluster, commands: [clusterApply([kubeAs({ ...poolRef, kind: 'CiliumEgressGatewayPolicy' })])] }, 'TaskSignatureInvalid'],
    ['replayed for another change (change id rewritten)', { ...real, changeId: 'chg-2' }, 'TaskSignatureInvalid'],
    ['replayed as another step (apply-aci signature on a rollback)', { ...realRollback, signature: real.signature }, 'TaskSignatureInvalid'],
    ['plan hash rewritten', { ...real, plan: { ...real.plan!, planHash: 'f'.repeat(64) } }, 'TaskSignatureInvalid'],
    ['expiry pushed out', { ...real, plan: { ...real.plan!, notAfter: '2027-01-01T00:00:00.000Z' } }, 'TaskSignatureInvalid'],
    ['expired signature', signed(task('apply-aci', apply([aciOp])), { notAfter: '2026-12-03T08:59:59.000Z' }), 'TaskSignatureInvalid'],
    ['signed by a key the agent does not trust', signed(task('apply-aci', apply([aciOp])), { with: otherKey }), 'TaskSignatureInvalid'],
    ['trusted key id, foreign signature bytes', { ...real, signature: { ...real.signature!, value: signed(task('apply-aci', apply([aciOp])), { with: otherKey }).signature!.value } }, 'TaskSignatureInvalid'],
    ['alg claimed EdDSA for a P-256 key', { ...real, signature: { ...real.signature!, alg: 'EdDSA' } }, 'TaskSignatureInvalid'],
    ['garbage signature value', { ...real, signature: { ...real.signature!, value: 'AAAAAAAAAAAAAAAAAAAAAAAA' } }, 'TaskSignatureInvalid'],
    ['another site', { ...real, site: 'dc2' }, 'TaskOutsidePlan'],
    ['target fabric rewritten in the binding', { ...real, plan: { ...real.plan!, target: { fabric: 'dc2-aci', cluster: 'prod-a' } } }, 'TaskOutsidePlan'],
    ['a write smuggled into gather-facts', task('gather-facts', apply([aciOp])), 'TaskOutsidePlan'],
    ['a cluster write in an apply-aci step', { ...real, commands: [clusterApply([kubeOp])] }, 'TaskOutsidePlan'],
    ['two commands in one apply task', { ...real, commands: [apply([aciOp]), apply([aciOp])] }, 'TaskOutsidePlan'],
    ['rollback ops that are not the plan', { ...realRollback, commands: [{ type: 'rollback', fabric: 'dc1-aci', cluster: 'prod-a', ops: [moveTo('uni/tn-common')], undo: ['apic'] }] }, 'TaskOutsidePlan'],
  ])('%s → %s', (_what, t, expected) => {
    expect(guard(t)).toBe(expected);
  });
});

describe('the scope allowlist holds even for a correctly signed task (defence in depth)', () => {
  const signedAci = (op: PlanOp) => signed(task('apply-aci', apply([op])));
  const signedKube = (op: PlanOp) => signed(task('apply-cluster', clusterApply([op])));
  it.each<[string, AgentTask, string]>([
    ['DELETE uni/tn-common', signedAci(moveTo('uni/tn-common')), 'TaskOutsideScope'],
    ['DELETE uni (the whole policy tree)', signedAci(moveTo('uni')), 'TaskOutsideScope'],
    ['a tenant whose name starts like an allowed one (uni/tn-k8s-prod-ab)', signedAci(moveTo('uni/tn-k8s-prod-ab')), 'TaskOutsideScope'],
    ['a posted body whose dn leaves the tenant', signedAci({ ...aciOp, request: { kind: 'apic', method: 'POST', dn: apDn, body: { fvAp: { attributes: { dn: apDn }, children: [{ fvTenant: { attributes: { dn: 'uni/tn-common' } } }] } } } }), 'TaskOutsideScope'],
    ['a posted root whose dn is not the URL DN', signedAci({ ...aciOp, request: { kind: 'apic', method: 'POST', dn: apDn, body: { fvTenant: { attributes: { dn: 'uni/tn-k8s-prod-a/ap-other' } } } } }), 'TaskOutsideScope'],
    ['a `..` that would escape /api/mo/', signedAci(moveTo('uni/tn-k8s-prod-a/../../api/aaaLogout')), 'UnsafeRequest'],
    ['a query smuggled into a DN', signedAci(moveTo('uni/tn-k8s-prod-a?rsp-subtree=full')), 'UnsafeRequest'],
    ['a snapshot policy other than the configured one', signed(task('snapshot', { type: 'aci.snapshot', fabric: 'dc1-aci', policy: 'defaultOneTime', waitSeconds: 60 })), 'TaskOutsideScope'],
    ['a Secret in kube-system', signedKube(kubeAs({ apiVersion: 'v1', kind: 'Secret', name: 'cilium-ca', namespace: 'kube-system' })), 'TaskOutsideScope'],
    ['a ClusterRoleBinding', signedKube(kubeAs({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', name: 'pwn' }, 'apply')), 'TaskOutsideScope'],
    ['delete Namespace kube-system', signedKube(kubeAs({ apiVersion: 'v1', kind: 'Namespace', name: 'kube-system' })), 'TaskOutsideScope'],
    ['a ConfigMap other than cilium-config', signedKube(kubeAs({ apiVersion: 'v1', kind: 'ConfigMap', name: 'coredns', namespace: 'kube-system' }, 'apply')), 'TaskOutsideScope'],
    ['cilium-config in another namespace', signedKube(kubeAs({ apiVersion: 'v1', kind: 'ConfigMap', name: 'cilium-config', namespace: 'shop' }, 'apply')), 'TaskOutsideScope'],
    ['deleting the cilium DaemonSet (only restarts are allowed)', signedKube(kubeAs({ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'cilium', namespace: 'kube-system' })), 'TaskOutsideScope'],
    ['a Cilium kind under a foreign API group', signedKube(kubeAs({ apiVersion: 'evil.io/v1', kind: 'CiliumLoadBalancerIPPool', name: 'p' })), 'TaskOutsideScope'],
    ['a manifest that is not the object the op names', signedKube({ ...kubeOp, request: { kind: 'kubernetes', method: 'apply', ref: poolRef, manifest: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x', namespace: 'kube-system' } }, force: false } }), 'TaskOutsideScope'],
    ['a name that escapes its URL segment', signedKube(kubeAs({ ...poolRef, name: '../../api/v1/namespaces/kube-system/secrets/x' })), 'UnsafeRequest'],
    ['a spec whose tenant the agent may not touch (reads too)', task('gather-facts', { type: 'aci.collect', fabric: 'dc1-aci', spec: { ...spec, aci: { ...spec.aci, tenant: 'common' } } }), 'TaskOutsideScope'],
  ])('%s → %s', (_what, t, expected) => {
    expect(guard(t)).toBe(expected);
  });
});
