import * as z from 'zod';

// The shapes the adapter relies on in what the API server returns. Objects stay loose: the
// planner and prechecks read the fields they need with their own schemas.
export const KubeObject = z.looseObject({
  apiVersion: z.string(),
  kind: z.string(),
  metadata: z.looseObject({
    name: z.string(),
    namespace: z.string().optional(),
    resourceVersion: z.string().optional(),
    generation: z.number().optional(),
    labels: z.record(z.string(), z.string()).optional(),
  }),
});
export type KubeObject = z.infer<typeof KubeObject>;

export const KubeList = z.looseObject({ items: z.array(z.looseObject({})) });

export const ObjectRef = z.object({
  apiVersion: z.string().min(1),
  kind: z.string().min(1),
  name: z.string().min(1),
  namespace: z.string().optional(),
});
export type ObjectRef = z.infer<typeof ObjectRef>;

export const KubeStatus = z.looseObject({
  kind: z.literal('Status'),
  status: z.string().optional(),
  message: z.string().optional(),
  reason: z.string().optional(),
  code: z.number().optional(),
  details: z
    .looseObject({
      causes: z.array(z.looseObject({ type: z.string().optional(), reason: z.string().optional(), message: z.string().optional(), field: z.string().optional() })).optional(),
    })
    .optional(),
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
