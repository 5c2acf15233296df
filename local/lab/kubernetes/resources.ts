import * as z from '../../../shared/zod.js';

// What the emulator serves: one definition per resource, used by discovery, routing, storage,
// tables and the CRD objects. `versions` are the served versions; objects are stored once, at
// `storageVersion`, and every served version is a view of the same object (conversion only
// rewrites apiVersion, which is what Cilium's v2/v2alpha1 pairs amount to for the fields we use).
export const ResourceDef = z.object({
  group: z.string(), // '' for the core group
  versions: z.array(z.string()).check(z.minLength(1)),
  storageVersion: z.string(),
  kind: z.string(),
  plural: z.string(),
  singular: z.string(),
  namespaced: z.boolean(),
  shortNames: z._default(z.array(z.string()), []),
  categories: z._default(z.array(z.string()), []),
  statusSubresource: z.boolean(),
  /** Whether metadata.generation is kept (workloads and custom resources; not ConfigMaps). */
  generation: z.boolean(),
  /** Deprecated served versions (kubectl prints a warning for them on a real server). */
  deprecatedVersions: z._default(z.array(z.string()), []),
});
export type ResourceDef = z.infer<typeof ResourceDef>;

const allVerbs = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export function apiVersionOf(group: string, version: string): string {
  return group === '' ? version : `${group}/${version}`;
}

export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

export function storageApiVersion(def: ResourceDef): string {
  return apiVersionOf(def.group, def.storageVersion);
}

/** The set of served resources and the lookups routing and the in-process store need. */
export class ResourceRegistry {
  constructor(readonly defs: ReadonlyArray<ResourceDef>) {}

  byPlural(group: string, version: string, plural: string): ResourceDef | undefined {
    return this.defs.find((d) => d.group === group && d.plural === plural && d.versions.includes(version));
  }

  byKind(apiVersion: string, kind: string): ResourceDef | undefined {
    const { group, version } = splitApiVersion(apiVersion);
    return this.defs.find((d) => d.group === group && d.kind === kind && d.versions.includes(version));
  }

  /** Groups in a stable order: the core group first (it is served under /api), then by name. */
  groups(): Array<{ name: string; versions: string[]; preferred: string }> {
    const byName = new Map<string, Set<string>>();
    const preferred = new Map<string, string>();
    for (const d of this.defs) {
      if (d.group === '') continue;
      const set = byName.get(d.group) ?? new Set<string>();
      for (const v of d.versions) set.add(v);
      byName.set(d.group, set);
      if (!preferred.has(d.group) || d.storageVersion === 'v2' || d.storageVersion === 'v1') preferred.set(d.group, d.storageVersion);
    }
    return [...byName.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, versions]) => {
        const pref = preferred.get(name) ?? [...versions][0] ?? 'v1';
        const ordered = [pref, ...[...versions].filter((v) => v !== pref).sort()];
        return { name, versions: ordered, preferred: pref };
      });
  }

  inGroupVersion(group: string, version: string): ResourceDef[] {
    return this.defs.filter((d) => d.group === group && d.versions.includes(version));
  }

  static verbs(): string[] {
    return [...allVerbs];
  }
}

/** Kubernetes built-ins the product reads or that kubectl needs (namespaces for namespaced writes). */
export const builtinResources: ReadonlyArray<ResourceDef> = [
  core('Namespace', 'namespaces', false, ['ns'], true),
  core('Node', 'nodes', false, ['no'], true),
  core('ConfigMap', 'configmaps', true, ['cm'], false),
  core('Secret', 'secrets', true, [], false),
  core('Service', 'services', true, ['svc'], true),
  core('Pod', 'pods', true, ['po'], true),
  ResourceDef.parse({
    group: 'apps', versions: ['v1'], storageVersion: 'v1', kind: 'DaemonSet', plural: 'daemonsets', singular: 'daemonset',
    namespaced: true, shortNames: ['ds'], categories: ['all'], statusSubresource: true, generation: true,
  }),
  ResourceDef.parse({
    group: 'apps', versions: ['v1'], storageVersion: 'v1', kind: 'Deployment', plural: 'deployments', singular: 'deployment',
    namespaced: true, shortNames: ['deploy'], categories: ['all'], statusSubresource: true, generation: true,
  }),
  ResourceDef.parse({
    group: 'apiextensions.k8s.io', versions: ['v1'], storageVersion: 'v1', kind: 'CustomResourceDefinition',
    plural: 'customresourcedefinitions', singular: 'customresourcedefinition', namespaced: false,
    shortNames: ['crd', 'crds'], categories: ['api-extensions'], statusSubresource: true, generation: true,
  }),
  ResourceDef.parse({
    group: 'coordination.k8s.io', versions: ['v1'], storageVersion: 'v1', kind: 'Lease', plural: 'leases', singular: 'lease',
    namespaced: true, statusSubresource: false, generation: false,
  }),
];

function core(kind: string, plural: string, namespaced: boolean, shortNames: string[], statusSubresource: boolean): ResourceDef {
  return ResourceDef.parse({
    group: '', versions: ['v1'], storageVersion: 'v1', kind, plural, singular: kind.toLowerCase(), namespaced, shortNames,
    categories: kind === 'Service' || kind === 'Pod' ? ['all'] : [], statusSubresource, generation: false,
  });
}
