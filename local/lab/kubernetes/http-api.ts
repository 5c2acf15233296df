import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { readBody } from '../side-door.js';
import type { FaultBook } from '../faults.js';
import { apiGroup, apiGroupList, apiResourceList, apiVersions, versionInfo } from './discovery.js';
import { formatPath, parsePathKey } from './field-path.js';
import { fieldsOf } from './field-set.js';
import { isObject, type Json, type JsonObject } from './json.js';
import type { ObjectStore } from './object-store.js';
import { patchTypes, type ObjectWriter, type Target } from './object-writer.js';
import { apiVersionOf, type ResourceDef, type ResourceRegistry } from './resources.js';
import { openApiGroupVersion, openApiRoot } from './openapi.js';
import { objectFilter } from './selectors.js';
import { KubeStatusError, statusErrors } from './status-errors.js';
import { toTable } from './table.js';
import { serveWatch } from './watch.js';

// The Kubernetes REST surface: discovery, CRUD on every served resource and its /status, the four
// PATCH flavours, dryRun=All, watch, Table output, bearer-token auth, and the lab faults
// kubernetes.apply=conflict@N and kubernetes.any=down|error.
export interface ApiDeps {
  registry: ResourceRegistry;
  store: ObjectStore;
  writer: ObjectWriter;
  faults: FaultBook;
  token: string;
  kubernetesVersion: string;
  serverAddress: () => string;
  now: () => Date;
  openWatches: Set<ServerResponse>;
}

interface Resolved {
  def: ResourceDef;
  apiVersion: string;
  namespace?: string;
  name?: string;
  subresource?: 'status';
}

type Route = { kind: 'doc'; body: JsonObject } | { kind: 'resource'; r: Resolved };

const unauthenticated = new Set(['/healthz', '/livez', '/readyz']);

export async function handleApi(req: IncomingMessage, res: ServerResponse, url: URL, deps: ApiDeps): Promise<void> {
  const path = url.pathname.replace(/\/+$/, '') || '/';
  if (unauthenticated.has(path)) return sendText(res, 200, 'ok');
  if (req.headers.authorization !== `Bearer ${deps.token}`) return sendStatus(res, statusErrors.unauthorized());
  const method = req.method ?? 'GET';
  const contentType = (req.headers['content-type'] ?? '').split(';')[0]?.trim() ?? '';
  const action = method === 'PATCH' && contentType === patchTypes.apply ? 'apply' : method.toLowerCase();
  const fault = deps.faults.take('kubernetes', action);
  if (fault === 'down') return sendStatus(res, statusErrors.unavailable());
  if (fault === 'error') return sendStatus(res, new KubeStatusError(500, 'InternalError', 'Internal error occurred: injected by the lab (kubernetes.*=error)'));

  const route = resolve(path, deps);
  if (!route) return sendStatus(res, statusErrors.pathNotFound());
  if (route.kind === 'doc') {
    if (method !== 'GET') return sendStatus(res, statusErrors.methodNotAllowed(method));
    return sendJson(res, 200, route.body);
  }
  const r = route.r;
  const q = url.searchParams;
  const dryRunValues = q.getAll('dryRun');
  if (dryRunValues.some((v) => v !== 'All')) return sendStatus(res, statusErrors.badRequest(`Invalid dry run value: ${dryRunValues.join(',')}; the only supported value is All`));
  const dryRun = dryRunValues.includes('All');
  const manager = q.get('fieldManager') ?? (req.headers['user-agent'] ?? 'unknown').split('/')[0] ?? 'unknown';

  if (method === 'GET' && r.name === undefined) {
    if (q.get('watch') === 'true' || q.get('watch') === '1') {
      return serveWatch(req, res, q, { def: r.def, apiVersion: r.apiVersion, namespace: r.namespace }, deps.store, deps.openWatches);
    }
    const filter = objectFilter(q);
    const items = deps.store.list(r.def, r.namespace).filter(filter).map((o) => deps.writer.present(o, r.apiVersion));
    const rv = String(deps.store.resourceVersion);
    if (wantsTable(req)) return sendJson(res, 200, toTable(r.def, items, rv, deps.now()));
    return sendJson(res, 200, { kind: `${r.def.kind}List`, apiVersion: r.apiVersion, metadata: { resourceVersion: rv }, items });
  }
  if (method === 'POST' && r.name === undefined) {
    const result = deps.writer.create({ def: r.def, apiVersion: r.apiVersion, namespace: r.namespace }, await jsonBody(req), { manager, dryRun });
    return sendJson(res, result.code, result.object);
  }
  if (r.name === undefined) return sendStatus(res, statusErrors.methodNotAllowed(method));
  const t: Target = { def: r.def, apiVersion: r.apiVersion, namespace: r.namespace, name: r.name, subresource: r.subresource };
  switch (method) {
    case 'GET': {
      const obj = deps.writer.read(t);
      return sendJson(res, 200, wantsTable(req) ? toTable(r.def, [obj], String(deps.store.resourceVersion), deps.now()) : obj);
    }
    case 'PUT': {
      const result = deps.writer.replace(t, await jsonBody(req), { manager, dryRun });
      return sendJson(res, result.code, result.object);
    }
    case 'PATCH': {
      if (action === 'apply') {
        const body = yamlBody(await readBody(req));
        if (fault === 'conflict') return sendStatus(res, injectedConflict(body, r.apiVersion));
        const result = deps.writer.apply(t, body, { manager: q.get('fieldManager') ?? '', force: q.get('force') === 'true', dryRun });
        return sendJson(res, result.code, result.object);
      }
      if (q.has('force')) return sendStatus(res, statusErrors.forceOnNonApply());
      const result = deps.writer.patch(t, await jsonBody(req), contentType, { manager, dryRun });
      return sendJson(res, result.code, result.object);
    }
    case 'DELETE': {
      const gone = deps.writer.delete(t, { dryRun });
      const uid = isObject(gone['metadata']) ? gone['metadata']['uid'] : undefined;
      return sendJson(res, 200, {
        kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success',
        details: { name: r.name, group: r.def.group || undefined, kind: r.def.plural, uid },
      });
    }
    default:
      return sendStatus(res, statusErrors.methodNotAllowed(method));
  }
}

function resolve(path: string, deps: ApiDeps): Route | undefined {
  if (path === '/version') return { kind: 'doc', body: versionInfo(deps.kubernetesVersion) };
  if (path === '/api') return { kind: 'doc', body: apiVersions(deps.serverAddress()) };
  if (path === '/apis') return { kind: 'doc', body: apiGroupList(deps.registry) };
  if (path === '/openapi/v3') return { kind: 'doc', body: openApiRoot(deps.registry, deps.kubernetesVersion) };
  if (path.startsWith('/openapi/v3/')) {
    const doc = openApiGroupVersion(deps.registry, path.slice('/openapi/v3/'.length), deps.kubernetesVersion);
    return doc ? { kind: 'doc', body: doc } : undefined;
  }
  const seg = path.split('/').filter(Boolean).map(decodeURIComponent);
  let group: string;
  let version: string | undefined;
  let rest: string[];
  if (seg[0] === 'api') {
    group = '';
    version = seg[1];
    rest = seg.slice(2);
  } else if (seg[0] === 'apis' && seg[1]) {
    group = seg[1];
    if (seg.length === 2) {
      const doc = apiGroup(deps.registry, group);
      return doc ? { kind: 'doc', body: doc } : undefined;
    }
    version = seg[2];
    rest = seg.slice(3);
  } else return undefined;
  if (!version) return undefined;
  if (rest.length === 0) {
    const doc = apiResourceList(deps.registry, group, version);
    return doc ? { kind: 'doc', body: doc } : undefined;
  }
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3 && deps.registry.byPlural(group, version, rest[2] ?? '')?.namespaced) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const [plural = '', name, sub, ...extra] = rest;
  const def = deps.registry.byPlural(group, version, plural);
  if (!def || extra.length > 0) return undefined;
  if (sub !== undefined && (sub !== 'status' || !def.statusSubresource)) return undefined;
  if (def.namespaced && name !== undefined && namespace === undefined) return undefined;
  return { kind: 'resource', r: { def, apiVersion: apiVersionOf(group, version), namespace, name, subresource: sub === 'status' ? 'status' : undefined } };
}

function wantsTable(req: IncomingMessage): boolean {
  return /as=Table/.test(req.headers.accept ?? '');
}

async function jsonBody(req: IncomingMessage): Promise<Json> {
  const text = await readBody(req);
  try {
    return JSON.parse(text || 'null') as Json;
  } catch (err) {
    throw statusErrors.badRequest(`the object provided is unrecognized (must be JSON): ${(err as Error).message}`);
  }
}

function yamlBody(text: string): Json {
  try {
    return parseYaml(text) as Json;
  } catch (err) {
    throw statusErrors.badRequest(`error decoding YAML: ${(err as Error).message}`);
  }
}

/** kubernetes.apply=conflict@N: a conflict with another manager on the first field the request sets. */
function injectedConflict(body: Json, apiVersion: string): KubeStatusError {
  const spec: JsonObject = isObject(body) && isObject(body['spec']) ? { spec: body['spec'] } : isObject(body) && isObject(body['data']) ? { data: body['data'] } : {};
  const first = [...fieldsOf(spec)][0];
  const field = first ? formatPath(parsePathKey(first)) : '.metadata.labels';
  const manager = `"kubectl-edit" using ${apiVersion}`;
  return new KubeStatusError(409, 'Conflict', `Apply failed with 1 conflict: conflict with ${manager}: ${field}`, {
    causes: [{ type: 'FieldManagerConflict', message: `conflict with ${manager}`, field }],
  });
}

export function sendStatus(res: ServerResponse, err: KubeStatusError): void {
  sendJson(res, err.code, err.toStatus());
}

function sendJson(res: ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function sendText(res: ServerResponse, code: number, text: string): void {
  res.writeHead(code, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(text);
}
