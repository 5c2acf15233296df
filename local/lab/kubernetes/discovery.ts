import type { JsonObject } from './json.js';
import { apiVersionOf, ResourceRegistry } from './resources.js';

// Legacy (unaggregated) discovery documents. kubectl asks for the aggregated
// apidiscovery.k8s.io/v2 form first and falls back to these when the answer is plain JSON;
// @kubernetes/client-node resolves plurals and scope from the APIResourceList.
export function versionInfo(kubernetesVersion: string): JsonObject {
  const [major = '1', minor = '0'] = kubernetesVersion.replace(/^v/, '').split('.');
  return {
    major,
    minor,
    gitVersion: kubernetesVersion,
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2025-01-01T00:00:00Z',
    goVersion: 'go1.23.6',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}

export function apiVersions(serverAddress: string): JsonObject {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

function groupDoc(g: { name: string; versions: string[]; preferred: string }): JsonObject {
  return {
    name: g.name,
    versions: g.versions.map((v) => ({ groupVersion: `${g.name}/${v}`, version: v })),
    preferredVersion: { groupVersion: `${g.name}/${g.preferred}`, version: g.preferred },
  };
}

export function apiGroupList(registry: ResourceRegistry): JsonObject {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: registry.groups().map(groupDoc) };
}

export function apiGroup(registry: ResourceRegistry, name: string): JsonObject | undefined {
  const g = registry.groups().find((x) => x.name === name);
  return g ? { kind: 'APIGroup', apiVersion: 'v1', ...groupDoc(g) } : undefined;
}

export function apiResourceList(registry: ResourceRegistry, group: string, version: string): JsonObject | undefined {
  const defs = registry.inGroupVersion(group, version);
  if (defs.length === 0) return undefined;
  const resources: JsonObject[] = [];
  for (const d of defs) {
    const r: JsonObject = { name: d.plural, singularName: d.singular, namespaced: d.namespaced, kind: d.kind, verbs: ResourceRegistry.verbs() };
    if (d.shortNames.length > 0) r['shortNames'] = d.shortNames;
    if (d.categories.length > 0) r['categories'] = d.categories;
    resources.push(r);
    if (d.statusSubresource) resources.push({ name: `${d.plural}/status`, singularName: '', namespaced: d.namespaced, kind: d.kind, verbs: ['get', 'patch', 'update'] });
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: apiVersionOf(group, version), resources };
}
