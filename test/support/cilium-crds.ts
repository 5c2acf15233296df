import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type AnySchemaObject, type ErrorObject, type SchemaValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import ipaddr from 'ipaddr.js';
import { parse as parseYaml } from 'yaml';
import { compileCel, UnsupportedCel } from './cel-subset.js';

// The real Cilium CRDs of eight releases (../shared/reference/cilium-crds, read at test time
// only) turned into validators that judge an object the way the API server does on create:
// defaults applied first, then the structural schema — types, formats, patterns, enums,
// required, unknown fields refused unless x-kubernetes-preserve-unknown-fields, list-map keys
// unique — and the x-kubernetes-validations rules this suite can evaluate (cel-subset.ts; the
// others are counted as skipped). metadata is checked as ObjectMeta: a DNS-1123 subdomain name of
// at most 253 characters, valid label keys and values, no namespace on cluster-scoped kinds.

export const crdRoot = join(import.meta.dirname, '../../../shared/reference/cilium-crds');

/** `v1.18.3` → `1.18.3`, in the order of the directory names (oldest first). */
export function crdReleases(): string[] {
  return readdirSync(crdRoot, { withFileTypes: true })
    .filter((d) => d.isDirectory() && /^v\d+\.\d+\.\d+/.test(d.name))
    .map((d) => d.name.slice(1))
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

export interface CelTally {
  evaluated: Set<string>;
  skipped: Map<string, string>;
}

const dns1123Subdomain = '^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';
const labelName = /^([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9]$/;
const labelPrefix = new RegExp(dns1123Subdomain);
const objectMetaFields = ['name', 'generateName', 'namespace', 'selfLink', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'labels', 'annotations', 'ownerReferences', 'finalizers', 'managedFields'];

function objectMeta(namespaced: boolean): Json {
  return {
    type: 'object',
    required: ['name'],
    properties: {
      ...Object.fromEntries(objectMetaFields.map((f) => [f, {}])),
      name: { type: 'string', pattern: dns1123Subdomain },
      namespace: namespaced ? { type: 'string', pattern: '^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$' } : { not: {} },
      labels: { type: 'object', propertyNames: { format: 'k8s-label-key' }, additionalProperties: { type: 'string', maxLength: 63, pattern: '^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$' } },
      annotations: { type: 'object', additionalProperties: { type: 'string' } },
    },
    additionalProperties: false,
  };
}

/** The Kubernetes structural schema as JSON Schema (ajv): unknown fields closed, int-or-string, nullable. */
function structural(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(structural);
  if (!isObject(node)) return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node)) {
    out[k] = k === 'properties' && isObject(v) ? Object.fromEntries(Object.entries(v).map(([p, s]) => [p, structural(s)])) : k === 'enum' || k === 'default' || k === 'required' || k === 'x-kubernetes-list-map-keys' || k === 'x-kubernetes-validations' ? v : structural(v);
  }
  if (out['x-kubernetes-int-or-string'] === true) {
    delete out['type'];
    out['anyOf'] = [{ type: 'integer' }, { type: 'string' }];
  }
  // The API server prunes (or, with strict field validation, refuses) fields a schema does not
  // name; an object without properties and without additionalProperties takes no fields at all.
  if (out['type'] === 'object' && out['x-kubernetes-preserve-unknown-fields'] !== true && out['additionalProperties'] === undefined) {
    out['additionalProperties'] = false;
  }
  return out;
}

/** Fills `default`s the way the API server does when it decodes a request (before validation). */
export function applyDefaults(schema: unknown, value: unknown): unknown {
  if (!isObject(schema)) return value;
  if (Array.isArray(value) && isObject(schema['items'])) return value.map((item) => applyDefaults(schema['items'], item));
  if (!isObject(value)) return value;
  const out: Json = { ...value };
  const props = isObject(schema['properties']) ? schema['properties'] : {};
  for (const [name, propSchema] of Object.entries(props)) {
    if (out[name] === undefined && isObject(propSchema) && propSchema['default'] !== undefined) out[name] = structuredClone(propSchema['default']);
    if (out[name] !== undefined) out[name] = applyDefaults(propSchema, out[name]);
  }
  const extra = schema['additionalProperties'];
  if (isObject(extra)) {
    for (const [name, v] of Object.entries(out)) if (!(name in props)) out[name] = applyDefaults(extra, v);
  }
  return out;
}

function newAjv(tally: CelTally): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false, validateFormats: true });
  const addFormats = addFormatsModule as unknown as (a: Ajv) => Ajv;
  addFormats(ajv);
  ajv.addFormat('cidr', { type: 'string', validate: (s: string) => ipaddr.isValidCIDR(s) });
  ajv.addFormat('k8s-label-key', {
    type: 'string',
    validate: (key: string) => {
      const slash = key.lastIndexOf('/');
      const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
      return (prefix === undefined || labelPrefix.test(prefix)) && labelName.test(slash >= 0 ? key.slice(slash + 1) : key);
    },
  });
  for (const keyword of ['x-kubernetes-preserve-unknown-fields', 'x-kubernetes-map-type', 'x-kubernetes-list-map-keys', 'x-kubernetes-int-or-string', 'x-kubernetes-embedded-resource']) {
    ajv.addKeyword({ keyword });
  }
  // Lists of type map: every item names its keys, and no two items share them.
  const listType: SchemaValidateFunction = (kind: string, data: unknown, parent?: AnySchemaObject) => {
    if (!Array.isArray(data) || (kind !== 'map' && kind !== 'set')) return true;
    const keys = kind === 'map' ? ((parent?.['x-kubernetes-list-map-keys'] as string[] | undefined) ?? []) : [];
    const seen = new Set<string>();
    const errors: ErrorObject[] = [];
    for (const item of data) {
      const id = kind === 'map' ? JSON.stringify(keys.map((k) => (isObject(item) ? item[k] : undefined))) : JSON.stringify(item);
      if (kind === 'map' && keys.some((k) => !isObject(item) || item[k] === undefined)) {
        errors.push({ keyword: 'x-kubernetes-list-type', instancePath: '', schemaPath: '', params: {}, message: `list-map item without its key(s) ${keys.join(', ')}` });
      }
      if (seen.has(id)) errors.push({ keyword: 'x-kubernetes-list-type', instancePath: '', schemaPath: '', params: {}, message: `duplicate ${kind} entry ${id}` });
      seen.add(id);
    }
    listType.errors = errors;
    return errors.length === 0;
  };
  ajv.addKeyword({ keyword: 'x-kubernetes-list-type', schemaType: 'string', validate: listType, errors: true });
  const validations: SchemaValidateFunction = (rules: Array<{ rule: string; message?: string }>, data: unknown) => {
    const errors: ErrorObject[] = [];
    for (const { rule, message } of rules) {
      let check: ReturnType<typeof compileCel>;
      try {
        check = compileCel(rule);
      } catch (err) {
        if (!(err instanceof UnsupportedCel)) throw err;
        tally.skipped.set(rule, err.message);
        continue;
      }
      tally.evaluated.add(rule);
      const r = check(data);
      if (!r.ok) errors.push({ keyword: 'x-kubernetes-validations', instancePath: '', schemaPath: '', params: { rule }, message: `${message ?? rule}${r.error ? ` (${r.error})` : ''}` });
    }
    validations.errors = errors;
    return errors.length === 0;
  };
  ajv.addKeyword({ keyword: 'x-kubernetes-validations', schemaType: 'array', validate: validations, errors: true });
  return ajv;
}

export interface CrdVersion {
  readonly kind: string;
  readonly apiVersion: string;
  readonly served: boolean;
  readonly schema: Json;
  readonly validate: (object: unknown) => string[];
}

export interface ReleaseCrds {
  readonly release: string;
  readonly versions: CrdVersion[];
  readonly cel: CelTally;
  /** The validator for an object's apiVersion and kind, or undefined when the release has no such CRD version. */
  readonly find: (apiVersion: string, kind: string) => CrdVersion | undefined;
}

const CrdFile = (doc: unknown) => {
  const d = doc as { spec?: { group?: string; scope?: string; names?: { kind?: string }; versions?: Array<{ name: string; served: boolean; schema?: { openAPIV3Schema?: Json } }> } };
  const kind = d.spec?.names?.kind;
  if (!d.spec?.group || !kind || !d.spec.versions) throw new Error('not a CustomResourceDefinition');
  return { group: d.spec.group, scope: d.spec.scope ?? 'Cluster', kind, versions: d.spec.versions };
};

function formatErrors(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? e.keyword}${e.params && Object.keys(e.params).length > 0 ? ` ${JSON.stringify(e.params)}` : ''}`);
}

export function loadReleaseCrds(release: string): ReleaseCrds {
  const dir = join(crdRoot, `v${release}`);
  const cel: CelTally = { evaluated: new Set(), skipped: new Map() };
  const ajv = newAjv(cel);
  const versions: CrdVersion[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()) {
    const spec = CrdFile(parseYaml(readFileSync(join(dir, file), 'utf8')));
    for (const v of spec.versions) {
      const raw = v.schema?.openAPIV3Schema;
      if (!raw) continue;
      const schema = structural(raw) as Json;
      const props = (schema['properties'] ?? {}) as Json;
      props['metadata'] = objectMeta(spec.scope === 'Namespaced');
      schema['properties'] = props;
      const compiled = ajv.compile(schema);
      const apiVersion = `${spec.group}/${v.name}`;
      versions.push({
        kind: spec.kind,
        apiVersion,
        served: v.served,
        schema: raw,
        validate: (object) => {
          const problems: string[] = [];
          if (!isObject(object) || object['apiVersion'] !== apiVersion || object['kind'] !== spec.kind) problems.push(`not a ${apiVersion} ${spec.kind}`);
          const defaulted = applyDefaults(raw, object);
          if (!compiled(defaulted)) problems.push(...formatErrors(compiled.errors));
          return problems;
        },
      });
    }
  }
  return { release, versions, cel, find: (apiVersion, kind) => versions.find((v) => v.apiVersion === apiVersion && v.kind === kind) };
}
