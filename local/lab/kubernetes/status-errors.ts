import type { JsonObject } from './json.js';
import type { ResourceDef } from './resources.js';
import { ChangeflowError } from '../../../shared/errors.js';

// The API server answers every failure with a meta/v1 Status; kubectl and client libraries read
// `reason`, `code` and `details.causes`, so the bodies follow the real ones word for word where
// we know them.
export interface StatusCause {
  type?: string;
  reason?: string;
  message: string;
  field?: string;
}

export class KubeStatusError extends ChangeflowError {
  override readonly name = 'KubeStatusError' as const;
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: { name?: string; group?: string; kind?: string; causes?: StatusCause[] },
  ) {
    super(message);
  }

  toStatus(): JsonObject {
    const body: JsonObject = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: this.message, reason: this.reason };
    if (this.details) body['details'] = JSON.parse(JSON.stringify(this.details)) as JsonObject;
    body['code'] = this.code;
    return body;
  }
}

function qualified(def: ResourceDef): string {
  return def.group === '' ? def.plural : `${def.plural}.${def.group}`;
}

export const statusErrors = {
  notFound: (def: ResourceDef, name: string) =>
    new KubeStatusError(404, 'NotFound', `${qualified(def)} "${name}" not found`, { name, group: def.group || undefined, kind: def.plural }),
  namespaceNotFound: (ns: string) =>
    new KubeStatusError(404, 'NotFound', `namespaces "${ns}" not found`, { name: ns, kind: 'namespaces' }),
  alreadyExists: (def: ResourceDef, name: string) =>
    new KubeStatusError(409, 'AlreadyExists', `${qualified(def)} "${name}" already exists`, { name, group: def.group || undefined, kind: def.plural }),
  staleResourceVersion: (def: ResourceDef, name: string) =>
    new KubeStatusError(
      409,
      'Conflict',
      `Operation cannot be fulfilled on ${qualified(def)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
      { name, group: def.group || undefined, kind: def.plural },
    ),
  invalid: (def: ResourceDef, name: string, causes: Array<{ field: string; message: string; reason?: string }>) =>
    new KubeStatusError(
      422,
      'Invalid',
      `${def.kind}${def.group ? '.' + def.group : ''} "${name}" is invalid: ${causes.map((c) => `${c.field}: ${c.message}`).join(', ')}`,
      { name, group: def.group || undefined, kind: def.kind, causes: causes.map((c) => ({ reason: c.reason ?? 'FieldValueInvalid', message: c.message, field: c.field })) },
    ),
  fieldManagerRequired: () =>
    new KubeStatusError(422, 'Invalid', 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch', {
      group: 'meta.k8s.io',
      kind: 'PatchOptions',
      causes: [{ reason: 'FieldValueRequired', message: 'Required value: is required for apply patch', field: 'fieldManager' }],
    }),
  forceOnNonApply: () =>
    new KubeStatusError(422, 'Invalid', 'PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: may not be specified for non-apply patch', {
      group: 'meta.k8s.io',
      kind: 'PatchOptions',
      causes: [{ reason: 'FieldValueForbidden', message: 'Forbidden: may not be specified for non-apply patch', field: 'force' }],
    }),
  badRequest: (message: string) => new KubeStatusError(400, 'BadRequest', message),
  unsupportedMediaType: (contentType: string, accepted: string[]) =>
    new KubeStatusError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`, {
      causes: [{ type: 'UnsupportedMediaType', message: `unsupported content type "${contentType}"` }],
    }),
  methodNotAllowed: (method: string) => new KubeStatusError(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource (${method})`),
  pathNotFound: () => new KubeStatusError(404, 'NotFound', 'the server could not find the requested resource'),
  unauthorized: () => new KubeStatusError(401, 'Unauthorized', 'Unauthorized'),
  // kubernetes.any=down: what an API server behind an unhealthy load balancer or a restarting
  // control plane answers; clients see a 503 Status rather than a refused connection.
  unavailable: () => new KubeStatusError(503, 'ServiceUnavailable', 'the server is currently unable to handle the request'),
} as const;
