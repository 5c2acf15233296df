import * as z from '../../zod.js';
import { KubeObject } from '../../plan/index.js';
import { defaultCiliumNamespace } from '../manifests/names.js';
import { CiliumStatusSummary, looksLikeCiliumStatus, parseCiliumStatusJson } from '../parsers/cilium-status.js';
import { versionFromImage } from '../version.js';
import { flattenKubeObjects } from './kube-lists.js';

// What the cluster looks like, classified by apiVersion/kind (never by file name). A section is
// undefined when nothing of its kind was collected, and the prechecks that need it say `unknown`.

export const CrdFact = z.object({
  name: z.string(),
  group: z.string(),
  kind: z.string(),
  versions: z.array(z.object({ name: z.string(), served: z.boolean(), storage: z.boolean() })),
  /** The `io.cilium.k8s.crd.schema.version` label. */
  schemaVersion: z.optional(z.string()),
});
export type CrdFact = z.infer<typeof CrdFact>;

export const NodeFact = z.object({
  name: z.string(),
  labels: z.record(z.string(), z.string()),
  internalIP: z.optional(z.string()),
  /** spec.podCIDRs (or spec.podCIDR): what native routing must cover. */
  podCIDRs: z.optional(z.array(z.string())),
});
export type NodeFact = z.infer<typeof NodeFact>;

export const ClusterFacts = z.object({
  /** From the cilium DaemonSet image tag, e.g. "1.18.2". */
  ciliumVersion: z.optional(z.string()),
  ciliumNamespace: z.string(),
  /** cilium-config data. */
  config: z.optional(z.record(z.string(), z.string())),
  crds: z.optional(z.array(CrdFact)),
  nodes: z.optional(z.array(NodeFact)),
  /** Every other object, full content incl. metadata.managedFields, keyed by objectKey(). */
  objects: z.record(z.string(), KubeObject),
  /** Kinds that were listed whole, so an absent object of that kind is known not to exist. */
  listedKinds: z.array(z.string()),
  status: z.optional(CiliumStatusSummary),
});
export type ClusterFacts = z.infer<typeof ClusterFacts>;

/** Facts of a cluster nothing was collected from: every precheck is unknown, every object new. */
export function emptyClusterFacts(): ClusterFacts {
  return { ciliumNamespace: defaultCiliumNamespace, objects: {}, listedKinds: [] };
}

/** apiVersion-agnostic key: `Kind/name` for cluster-scoped objects, `Kind/namespace/name` otherwise. */
export function objectKey(o: { kind: string; name?: string; namespace?: string; metadata?: { name: string; namespace?: string } }): string {
  const name = o.metadata?.name ?? o.name ?? '';
  const namespace = o.metadata?.namespace ?? o.namespace;
  return namespace ? `${o.kind}/${namespace}/${name}` : `${o.kind}/${name}`;
}

const Crd = z.looseObject({
  metadata: z.looseObject({ name: z.string(), labels: z.optional(z.record(z.string(), z.string())) }),
  spec: z.looseObject({
    group: z.string(),
    names: z.looseObject({ kind: z.string() }),
    versions: z._default(z.array(z.looseObject({ name: z.string(), served: z.boolean(), storage: z.boolean() })), []),
  }),
});

const Node = z.looseObject({
  metadata: z.looseObject({ name: z.string(), labels: z.optional(z.record(z.string(), z.string())) }),
  spec: z.optional(z.looseObject({ podCIDR: z.optional(z.string()), podCIDRs: z.optional(z.array(z.string())) })),
  status: z.optional(z.looseObject({ addresses: z.optional(z.array(z.looseObject({ type: z.string(), address: z.string() }))) })),
});

const Workload = z.looseObject({
  spec: z.looseObject({
    template: z.looseObject({ spec: z.looseObject({ containers: z.array(z.looseObject({ name: z.string(), image: z.optional(z.string()) })) }) }),
  }),
});

function imageVersion(object: KubeObject | undefined, container: string): string | undefined {
  const parsed = Workload.safeParse(object);
  if (!parsed.success) return undefined;
  const containers = parsed.data.spec.template.spec.containers;
  const image = (containers.find((c) => c.name === container) ?? containers[0])?.image;
  return image ? versionFromImage(image) : undefined;
}

export function parseClusterFacts(objects: unknown[], ciliumStatus?: unknown): ClusterFacts {
  const flat = flattenKubeObjects(objects);
  const statusInput = ciliumStatus ?? flat.others.find(looksLikeCiliumStatus);
  let crds: CrdFact[] | undefined = flat.listedKinds.has('CustomResourceDefinition') ? [] : undefined;
  let nodes: NodeFact[] | undefined = flat.listedKinds.has('Node') ? [] : undefined;
  const rest: Record<string, KubeObject> = {};
  const listedKinds = new Set(flat.listedKinds);

  for (const object of flat.objects) {
    if (object.kind === 'CustomResourceDefinition') {
      const crd = Crd.safeParse(object);
      if (!crd.success || crd.data.spec.group !== 'cilium.io') continue;
      crds = [...(crds ?? []), {
        name: crd.data.metadata.name,
        group: crd.data.spec.group,
        kind: crd.data.spec.names.kind,
        versions: crd.data.spec.versions.map((v) => ({ name: v.name, served: v.served, storage: v.storage })),
        ...(crd.data.metadata.labels?.['io.cilium.k8s.crd.schema.version'] ? { schemaVersion: crd.data.metadata.labels['io.cilium.k8s.crd.schema.version'] } : {}),
      }];
    } else if (object.kind === 'Node') {
      const node = Node.safeParse(object);
      if (!node.success) continue;
      const internalIP = node.data.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
      const podCIDRs = node.data.spec?.podCIDRs ?? (node.data.spec?.podCIDR ? [node.data.spec.podCIDR] : undefined);
      // Nodes come in one list per selector of the spec: a node two selectors pick is one node.
      if (nodes?.some((n) => n.name === node.data.metadata.name)) continue;
      nodes = [...(nodes ?? []), { name: node.data.metadata.name, labels: node.data.metadata.labels ?? {}, ...(internalIP ? { internalIP } : {}), ...(podCIDRs ? { podCIDRs } : {}) }];
    } else if (object.kind === 'Service' && (object as { spec?: { type?: unknown } }).spec?.type !== 'LoadBalancer') {
      continue; // only LoadBalancer services matter (pool checks); facts ride in workflow state
    } else if (object.kind === 'Secret') {
      // Only which reference filled it matters to the planner; a value never enters the facts.
      const { data: _d, stringData: _s, ...kept } = object as KubeObject & { data?: unknown; stringData?: unknown };
      rest[objectKey(object)] = kept;
    } else {
      rest[objectKey(object)] = object;
    }
  }

  const daemonSet = Object.values(rest).find((o) => o.kind === 'DaemonSet' && o.metadata.name === 'cilium');
  const ciliumNamespace = daemonSet?.metadata.namespace ?? defaultCiliumNamespace;
  const operator = rest[`Deployment/${ciliumNamespace}/cilium-operator`];
  const configMap = rest[`ConfigMap/${ciliumNamespace}/cilium-config`] as (KubeObject & { data?: Record<string, string> }) | undefined;
  const status = statusInput === undefined ? undefined : parseCiliumStatusJson(statusInput);
  const statusVersion = status?.images.map(versionFromImage).find((v) => v !== undefined);
  const ciliumVersion = imageVersion(daemonSet, 'cilium-agent') ?? imageVersion(operator, 'cilium-operator') ?? statusVersion;

  return ClusterFacts.parse({
    ...(ciliumVersion ? { ciliumVersion } : {}),
    ciliumNamespace,
    ...(configMap ? { config: configMap.data ?? {} } : {}),
    ...(crds ? { crds: crds.sort((a, b) => a.name.localeCompare(b.name)) } : {}),
    ...(nodes ? { nodes: nodes.sort((a, b) => a.name.localeCompare(b.name)) } : {}),
    objects: rest,
    listedKinds: [...listedKinds].sort(),
    ...(status ? { status } : {}),
  });
}
