import { createHash } from 'node:crypto';
import type { JsonObject } from './json.js';
import { apiVersionOf, type ResourceRegistry } from './resources.js';

// Just enough OpenAPI v3 for kubectl's field-validation check: before `kubectl apply` it looks up
// the PATCH operation of each kind (by x-kubernetes-group-version-kind) for a `fieldValidation`
// query parameter; when present it leaves validation to the server instead of downloading
// schemas. Schemas themselves are not served.
function gvPath(group: string, version: string): string {
  return group === '' ? `api/${version}` : `apis/${group}/${version}`;
}

function groupVersions(registry: ResourceRegistry): Array<{ group: string; version: string }> {
  const seen = new Map<string, { group: string; version: string }>();
  for (const d of registry.defs) for (const v of d.versions) seen.set(gvPath(d.group, v), { group: d.group, version: v });
  return [...seen.values()];
}

export function openApiRoot(registry: ResourceRegistry, kubernetesVersion: string): JsonObject {
  const paths: JsonObject = {};
  for (const { group, version } of groupVersions(registry)) {
    const p = gvPath(group, version);
    const hash = createHash('sha256').update(`${kubernetesVersion}/${p}/${registry.defs.length}`).digest('hex').slice(0, 32).toUpperCase();
    paths[p] = { serverRelativeURL: `/openapi/v3/${p}?hash=${hash}` };
  }
  return { paths };
}

export function openApiGroupVersion(registry: ResourceRegistry, gvPathText: string, kubernetesVersion: string): JsonObject | undefined {
  const gv = groupVersions(registry).find((x) => gvPath(x.group, x.version) === gvPathText);
  if (!gv) return undefined;
  const paths: JsonObject = {};
  const query = (name: string): JsonObject => ({ name, in: 'query', schema: { type: 'string', uniqueItems: true } });
  for (const d of registry.inGroupVersion(gv.group, gv.version)) {
    const base = `/${gvPath(gv.group, gv.version)}${d.namespaced ? '/namespaces/{namespace}' : ''}/${d.plural}/{name}`;
    paths[base] = {
      patch: {
        operationId: `patch${d.kind}`,
        'x-kubernetes-action': 'patch',
        'x-kubernetes-group-version-kind': { group: d.group, version: gv.version, kind: d.kind },
        parameters: [query('dryRun'), query('fieldManager'), query('fieldValidation'), { name: 'force', in: 'query', schema: { type: 'boolean', uniqueItems: true } }],
        responses: { '200': { description: 'OK' }, '201': { description: 'Created' } },
      },
    };
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: kubernetesVersion },
    paths,
    components: { schemas: {} },
    'x-changeflow-api-version': apiVersionOf(gv.group, gv.version),
  };
}
