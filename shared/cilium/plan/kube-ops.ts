import type { DiffLine, KubeObject, KubeRef, KubeRequest, Readback } from '../../plan/index.js';
import { passwordRefAnnotation } from '../ownership.js';
import { isRecord } from './object-tree.js';

// Small builders for the Kubernetes side of PlanOps.

export function refOf(object: KubeObject): KubeRef {
  return {
    apiVersion: object.apiVersion,
    kind: object.kind,
    name: object.metadata.name,
    ...(object.metadata.namespace ? { namespace: object.metadata.namespace } : {}),
  };
}

export function refText(ref: KubeRef): string {
  return [ref.apiVersion, ref.kind, ref.namespace, ref.name].filter(Boolean).join('/');
}

/** Name and place without the apiVersion, for summaries: `ConfigMap kube-system/cilium-config`. */
export function shortRef(ref: KubeRef): string {
  return `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
}

/** The agent secret reference a Secret manifest's password comes from, if it names one. */
export function passwordRefOf(manifest: KubeObject): string | undefined {
  if (manifest.apiVersion !== 'v1' || manifest.kind !== 'Secret') return undefined;
  const annotations = (manifest.metadata as { annotations?: unknown }).annotations;
  const ref = isRecord(annotations) ? annotations[passwordRefAnnotation] : undefined;
  return typeof ref === 'string' ? ref : undefined;
}

/** Server-side apply; a Secret whose annotation names a reference gets its password from the agent. */
export const apply = (manifest: KubeObject, force: boolean): KubeRequest => {
  const secretRef = passwordRefOf(manifest);
  return { kind: 'kubernetes', method: 'apply', ref: refOf(manifest), manifest, force, ...(secretRef ? { secretData: [{ key: 'password', secretRef }] } : {}) };
};
export const remove = (ref: KubeRef): KubeRequest => ({ kind: 'kubernetes', method: 'delete', ref });
export const restart = (ref: KubeRef): KubeRequest => ({ kind: 'kubernetes', method: 'restart', ref });
export const restartNodes = (ref: KubeRef, podSelector: string): KubeRequest => ({ kind: 'kubernetes', method: 'restart-nodes', ref, podSelector });

/** What a manifest sets, minus what identifies it (apiVersion, kind, name, namespace). */
export function managedBody(object: KubeObject): Record<string, unknown> {
  const { apiVersion: _a, kind: _k, metadata, ...rest } = object;
  const { name: _n, namespace: _ns, ...meta } = metadata;
  return Object.keys(meta).length > 0 ? { metadata: meta, ...rest } : rest;
}

/**
 * Readback fields: a dotted path (segments never contain dots) → expected value. Objects match as
 * subsets, lists item by item; `null` means the key must be absent.
 */
export function readbackFields(body: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    if (key === 'metadata' && isRecord(value)) {
      for (const [mk, mv] of Object.entries(value)) out[`metadata.${mk}`] = mv;
    } else out[key] = value;
  }
  return out;
}

export function present(ref: KubeRef, body: Record<string, unknown>): Readback {
  return { target: 'kubernetes', ref, fields: readbackFields(body), absent: false };
}

export function absent(ref: KubeRef): Readback {
  return { target: 'kubernetes', ref, absent: true };
}

export function line(sign: DiffLine['sign'], ref: KubeRef, attribute?: string, from?: string, to?: string): DiffLine {
  return {
    sign,
    ref: refText(ref),
    ...(attribute !== undefined ? { attribute } : {}),
    ...(from !== undefined ? { from } : {}),
    ...(to !== undefined ? { to } : {}),
  };
}

const serverSetMetadata = ['uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'managedFields', 'selfLink', 'ownerReferences', 'finalizers'];

/**
 * The object as it can be re-created: no status, no server-set metadata. Owner references are
 * dropped because their UIDs would dangle; finalizers are dropped because controllers re-add theirs.
 */
export function restorable(current: KubeObject): KubeObject {
  const { status: _s, metadata, ...rest } = current as KubeObject & { status?: unknown };
  const meta: Record<string, unknown> = { ...metadata };
  for (const key of serverSetMetadata) delete meta[key];
  return { ...rest, metadata: meta as KubeObject['metadata'] };
}
