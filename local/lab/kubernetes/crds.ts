import type { JsonObject } from './json.js';
import type { ResourceDef } from './resources.js';

// CustomResourceDefinition objects for the served cilium.io kinds, as the operator installs
// them (label io.cilium.k8s.crd.schema.version, one entry per served version, status subresource
// where the kind has one). Schemas are open: the emulator validates the few rules it knows itself.
export function crdFor(def: ResourceDef, schemaVersion: string): JsonObject {
  const names: JsonObject = { kind: def.kind, listKind: `${def.kind}List`, plural: def.plural, singular: def.singular };
  if (def.shortNames.length > 0) names['shortNames'] = def.shortNames;
  if (def.categories.length > 0) names['categories'] = def.categories;
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${def.plural}.${def.group}`, labels: { 'io.cilium.k8s.crd.schema.version': schemaVersion } },
    spec: {
      group: def.group,
      names,
      scope: def.namespaced ? 'Namespaced' : 'Cluster',
      versions: def.versions.map((v) => {
        const version: JsonObject = {
          name: v,
          served: true,
          storage: v === def.storageVersion,
          schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
          subresources: def.statusSubresource ? { status: {} } : {},
          additionalPrinterColumns: [{ jsonPath: '.metadata.creationTimestamp', name: 'Age', type: 'date' }],
        };
        if (def.deprecatedVersions.includes(v)) version['deprecated'] = true;
        return version;
      }),
    },
  };
}

export function crdStatus(def: ResourceDef, crd: JsonObject): JsonObject {
  const accepted = (crd['spec'] as JsonObject)['names'] ?? {};
  return {
    acceptedNames: accepted,
    storedVersions: [def.storageVersion],
    conditions: [
      { type: 'NamesAccepted', status: 'True', reason: 'NoConflicts', message: 'no conflicts found', lastTransitionTime: '2025-01-01T00:00:00Z' },
      { type: 'Established', status: 'True', reason: 'InitialNamesAccepted', message: 'the initial names have been accepted', lastTransitionTime: '2025-01-01T00:00:00Z' },
    ],
  };
}
