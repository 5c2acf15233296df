import { UnsafeRequest } from '../task-errors.js';

// Every name, namespace, kind and apiVersion becomes a path segment of a Kubernetes API URL:
// `../secrets/x` as a name or `kube-system/secrets` as a namespace would address another object.
// They must match what the API server itself accepts (DNS-1123), checked before any request.

const label = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const dns1123Label = new RegExp(`^${label}$`);
const dns1123Subdomain = new RegExp(`^${label}(\\.${label})*$`);
const kind = /^[A-Z][A-Za-z0-9]{0,62}$/;
const apiVersion = new RegExp(`^(${label}(\\.${label})*/)?v[0-9]+((alpha|beta)[0-9]+)?$`);
const labelSelector = /^[A-Za-z0-9_.\-/=!,() ]{0,1024}$/;

function refuse(what: string, value: string, why: string): never {
  throw new UnsafeRequest(`refused Kubernetes ${what} ${JSON.stringify(value.slice(0, 200))}: ${why}; nothing was sent to the API server`);
}

export function safeName(name: string): string {
  if (name.length > 253 || !dns1123Subdomain.test(name)) refuse('name', name, 'a name is a DNS-1123 subdomain (lower-case letters, digits, "-" and ".", at most 253)');
  return name;
}

export function safeNamespace(namespace: string | undefined): string | undefined {
  if (namespace === undefined) return undefined;
  if (namespace.length > 63 || !dns1123Label.test(namespace)) refuse('namespace', namespace, 'a namespace is a DNS-1123 label (lower-case letters, digits and "-", at most 63)');
  return namespace;
}

export function safeKind(value: string): string {
  if (!kind.test(value)) refuse('kind', value, 'a kind is a CamelCase word');
  return value;
}

export function safeApiVersion(value: string): string {
  if (!apiVersion.test(value)) refuse('apiVersion', value, 'an apiVersion is [group/]vN[alphaN|betaN]');
  return value;
}

export function safeLabelSelector(value: string | undefined): string | undefined {
  if (value !== undefined && !labelSelector.test(value)) refuse('label selector', value, 'a label selector uses label keys, values and = == != in notin ( ) , !');
  return value;
}

/** The parts of an object reference that end up in its URL. */
export function safeRef<R extends { apiVersion: string; kind: string; name: string; namespace?: string }>(ref: R): R {
  safeApiVersion(ref.apiVersion);
  safeKind(ref.kind);
  safeName(ref.name);
  safeNamespace(ref.namespace);
  return ref;
}
