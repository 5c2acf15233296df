import type { ChangeSpec } from '../../spec/index.js';
import type { DiffLine, KubeObject, PlanOp } from '../../plan/index.js';
import { objectKey, type ClusterFacts } from '../facts/cluster-facts.js';
import { changeObjects, type ChangeObject } from '../manifests/desired.js';
import { agentPodSelector, nodeByNodeKeys, restartRef, restartsFor } from '../../kinds/cilium-config/cluster.js';
import { changeflowFields } from './field-owners.js';
import { apply, absent, line, managedBody, present, refOf, remove, restart, restartNodes, restorable, shortRef } from './kube-ops.js';
import { ownedLeafPaths, pathText, projectOwned, valueAt } from './managed-fields.js';
import { isRecord, isSubset, leaves, mergeTrees, projectLike, pruneEmpty, sameJson, showValue } from './object-tree.js';

// Desired objects vs the cluster → ordered ops, each with the inverse that puts the object back
// as it was. Only fields changeflow manages are compared, so planning against facts taken right
// after a successful apply gives no ops at all.
//
// Limits of the inverses: a modify restores the previous *values* by applying them under the
// changeflow field manager; fields another manager owned before (Helm's cilium-config keys) come
// back with their old values but stay owned by changeflow until that manager writes them again
// (Helm's update operations never conflict, so its next upgrade takes them back). A re-created
// object (inverse of a delete) is owned by changeflow alone and gets a new UID.

// Creation order: config and restarts first (features on before objects that need them), then
// objects before the ones that reference or select them. Deletes run in the reverse order.
const rank: Record<string, number> = {
  ConfigMap: 0,
  // Before the PeerConfig that names it in authSecretRef.
  Secret: 3,
  restart: 1,
  CiliumLoadBalancerIPPool: 2,
  CiliumBGPAdvertisement: 3,
  CiliumBGPPeerConfig: 4,
  CiliumBGPClusterConfig: 5,
  CiliumEgressGatewayPolicy: 6,
  CiliumL2AnnouncementPolicy: 7,
};

interface Ranked {
  readonly op: PlanOp;
  readonly phase: 0 | 1;
  readonly rank: number;
}

function opId(action: PlanOp['action'], object: { kind: string; metadata: { name: string; namespace?: string } }): string {
  return `cluster/${action}/${objectKey(object)}`;
}

function bodyLines(sign: DiffLine['sign'], object: KubeObject): DiffLine[] {
  const ref = refOf(object);
  return [line(sign, ref), ...leaves(managedBody(object)).map(([path, value]) => line(sign, ref, path, sign === '-' ? showValue(value) : undefined, sign === '+' ? showValue(value) : undefined))];
}

function createOp(item: ChangeObject): PlanOp {
  const ref = refOf(item.object);
  return {
    id: opId('create', item.object),
    target: 'kubernetes',
    action: 'create',
    summary: `create ${shortRef(ref)}`,
    request: apply(item.object, item.force),
    inverse: [remove(ref)],
    readback: [present(ref, managedBody(item.object))],
    inverseReadback: [absent(ref)],
    diff: bodyLines('+', item.object),
    change: item.change,
  };
}

function modifyOp(item: ChangeObject, current: KubeObject): PlanOp | undefined {
  const desired = item.object;
  const ref = refOf(desired);
  const body = managedBody(desired);
  const owned = changeflowFields(current);
  const ownedPaths = owned ? ownedLeafPaths(owned) : [];
  // cilium-config is a delta: keys an earlier change set stay as they are instead of being
  // dropped (an SSA that omits a key its manager owns deletes the key).
  const keepsOwned = desired.kind === 'ConfigMap';
  const dropped = keepsOwned ? [] : ownedPaths.filter((p) => valueAt(desired, p) === undefined && valueAt(current, p) !== undefined);
  if (isSubset(body, current) && dropped.length === 0) return undefined;

  const ownedBefore = owned ? projectOwned(current, owned) : {};
  const previousBody = pruneEmpty(mergeTrees(ownedBefore, projectLike(current, body))) as Record<string, unknown>;
  const { metadata: previousMeta, ...previousRest } = previousBody as { metadata?: Record<string, unknown> };
  const previous: KubeObject = { ...previousRest, apiVersion: current.apiVersion, kind: current.kind, metadata: { ...previousMeta, ...refMeta(current) } };
  const manifest = keepsOwned ? (mergeTrees(desired, pruneEmpty(ownedBefore)) as KubeObject) : desired;

  const before = new Map(leaves(projectLike(current, body)));
  const diff: DiffLine[] = [line('~', ref)];
  for (const [path, value] of leaves(body)) {
    if (!sameJson(before.get(path), value)) diff.push(line('~', ref, path, showValue(before.get(path)), showValue(value)));
  }
  for (const path of dropped) diff.push(line('-', ref, pathText(path).replace(/^\./, ''), showValue(valueAt(current, path))));

  return {
    id: opId('modify', desired),
    target: 'kubernetes',
    action: 'modify',
    summary: `modify ${shortRef(ref)}${item.force ? ' (forced: the installer owns these keys)' : ''}`,
    request: apply(manifest, item.force),
    inverse: [apply(previous, item.force)],
    readback: [present(ref, managedBody(manifest))],
    inverseReadback: [present(refOf(previous), withRemovedKeys(managedBody(previous), body))],
    diff,
    change: item.change,
  };
}

/** For cilium-config: keys the change adds that did not exist before must be gone after the inverse. */
function withRemovedKeys(previous: Record<string, unknown>, desired: Record<string, unknown>): Record<string, unknown> {
  const data = desired['data'];
  if (!isRecord(data)) return previous;
  const before = isRecord(previous['data']) ? previous['data'] : {};
  const out: Record<string, unknown> = { ...before };
  for (const key of Object.keys(data)) if (!(key in before)) out[key] = null;
  return { ...previous, data: out };
}

function refMeta(object: KubeObject): { name: string; namespace?: string } {
  return { name: object.metadata.name, ...(object.metadata.namespace ? { namespace: object.metadata.namespace } : {}) };
}

function deleteOp(item: ChangeObject, current: KubeObject): PlanOp {
  const ref = refOf(current);
  const back = restorable(current);
  return {
    id: opId('delete', current),
    target: 'kubernetes',
    action: 'delete',
    summary: `delete ${shortRef(ref)}`,
    request: remove(ref),
    inverse: [apply(back, false)],
    readback: [absent(ref)],
    inverseReadback: [present(ref, managedBody(back))],
    diff: [line('-', ref)],
    change: item.change,
  };
}

function restartOps(spec: ChangeSpec, configOp: PlanOp, current: KubeObject | undefined, ciliumNamespace: string): PlanOp[] {
  const change = configOp.change === undefined ? undefined : spec.changes[configOp.change];
  if (change?.type !== 'ciliumConfig' || change.restart !== 'rolling') return [];
  const data = (current as Record<string, unknown> | undefined)?.['data'];
  const currentData = isRecord(data) ? data : {};
  const changedKeys = Object.entries(change.settings).filter(([k, v]) => currentData[k] !== v).map(([k]) => k);
  const ops: PlanOp[] = [];
  const nodeByNode = changedKeys.some((k) => nodeByNodeKeys.has(k));
  for (const which of restartsFor(changedKeys)) {
    const ref = restartRef(which, ciliumNamespace);
    const byNode = which === 'agent' && nodeByNode;
    const request = byNode ? restartNodes(ref, agentPodSelector) : restart(ref);
    // Rollback restores the ConfigMap first and only then restarts: the restarts hang off the
    // ConfigMap op's inverse, so this op's own inverse is empty.
    configOp.inverse.push(request);
    ops.push({
      id: `cluster/restart/${ref.kind}/${ref.namespace}/${ref.name}`,
      target: 'kubernetes',
      action: 'restart',
      summary: byNode
        ? `restart ${shortRef(ref)} one node at a time, each gated on its agent's health, so the agents read ${changedKeys.join(', ')}`
        : `restart ${shortRef(ref)} so ${which === 'agent' ? 'the agents' : 'the operator'} read ${changedKeys.join(', ')}`,
      request,
      inverse: [],
      readback: [],
      inverseReadback: [],
      diff: [line('~', ref, 'rollout', undefined, byNode ? 'node-by-node restart' : 'rolling restart')],
      change: configOp.change,
    });
  }
  return ops;
}

/**
 * The release assumed when the facts carry no Cilium version (a plan from partial captures): the
 * lab default. The cluster.version.* prechecks are then `unknown`, which blocks apply.
 */
export const assumedCiliumVersion = '1.18.0';

export function planCluster(spec: ChangeSpec, facts: ClusterFacts): PlanOp[] {
  const version = facts.ciliumVersion ?? assumedCiliumVersion;
  const ranked: Ranked[] = [];
  for (const item of changeObjects(spec, version, { ciliumNamespace: facts.ciliumNamespace })) {
    const current = facts.objects[objectKey(item.object)];
    const r = rank[item.object.kind] ?? 9;
    if (item.state === 'absent') {
      if (current) ranked.push({ op: deleteOp(item, current), phase: 1, rank: -r });
      continue;
    }
    const op = current ? modifyOp(item, current) : createOp(item);
    if (!op) continue;
    ranked.push({ op, phase: 0, rank: r });
    if (item.object.kind === 'ConfigMap') {
      for (const r2 of restartOps(spec, op, current, facts.ciliumNamespace)) ranked.push({ op: r2, phase: 0, rank: rank['restart'] ?? 1 });
    }
  }
  // Stable sort keeps spec order inside a rank (agents before the operator).
  const ops = ranked.sort((a, b) => a.phase - b.phase || a.rank - b.rank).map((r) => r.op);
  return facts.ciliumVersion ? ops : ops.map((op) => ({ ...op, summary: `${op.summary} (assuming Cilium ${assumedCiliumVersion}: no version in the facts)` }));
}
