import * as z from '../../shared/zod.js';

// The shapes the adapter relies on in what the API server returns. Objects stay loose: the
// planner and prechecks read the fields they need with their own schemas.
export const KubeObject = z.looseObject({
  apiVersion: z.string(),
  kind: z.string(),
  metadata: z.looseObject({
    name: z.string(),
    namespace: z.optional(z.string()),
    resourceVersion: z.optional(z.string()),
    generation: z.optional(z.number()),
    labels: z.optional(z.record(z.string(), z.string())),
  }),
});
export type KubeObject = z.infer<typeof KubeObject>;

export const KubeList = z.looseObject({ items: z.array(z.looseObject({})) });

export const ObjectRef = z.object({
  apiVersion: z.string().check(z.minLength(1)),
  kind: z.string().check(z.minLength(1)),
  name: z.string().check(z.minLength(1)),
  namespace: z.optional(z.string()),
});
export type ObjectRef = z.infer<typeof ObjectRef>;

export const KubeStatus = z.looseObject({
  kind: z.literal('Status'),
  status: z.optional(z.string()),
  message: z.optional(z.string()),
  reason: z.optional(z.string()),
  code: z.optional(z.number()),
  details: z.optional(z.looseObject({
      causes: z.optional(z.array(z.looseObject({ type: z.optional(z.string()), reason: z.optional(z.string()), message: z.optional(z.string()), field: z.optional(z.string()) }))),
    })),
});
export type KubeStatus = z.infer<typeof KubeStatus>;

export function refOf(obj: KubeObject): ObjectRef {
  return { apiVersion: obj.apiVersion, kind: obj.kind, name: obj.metadata.name, namespace: obj.metadata.namespace };
}

export function describeRef(ref: ObjectRef): string {
  return `${ref.kind} ${ref.namespace ? ref.namespace + '/' : ''}${ref.name} (${ref.apiVersion})`;
}

// Fields the server owns: an apply configuration must not carry them (managedFields must be nil,
// resourceVersion would become a precondition), so "before" copies read back can be re-applied.
export function toApplyConfiguration(obj: KubeObject): KubeObject {
  const { status: _status, ...rest } = obj as KubeObject & { status?: unknown };
  const {
    managedFields: _mf, resourceVersion: _rv, uid: _uid, creationTimestamp: _ct, generation: _gen, selfLink: _sl,
    deletionTimestamp: _dt, deletionGracePeriodSeconds: _dg, ...metadata
  } = rest.metadata as KubeObject['metadata'] & Record<string, unknown>;
  return { ...rest, metadata } as KubeObject;
}
