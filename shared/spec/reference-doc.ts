import * as z from '../zod.js';
import { ChangeSpec } from './change-spec.js';
import { Change } from './change-types.js';
import { ChangeRequest } from './change-request.js';
import { ciliumConfigKeys, refusedConfigKeys } from './cilium-config-keys.js';
import { fieldNotes, sectionRules } from './reference-notes.js';

// Renders docs/changespec.md from the zod schemas (via z.toJSONSchema) plus reference-notes.ts,
// so the reference cannot drift from what `validate` enforces. Pure: same schemas, same text.

type JsonSchema = z.core.JSONSchema.JSONSchema;

export interface ReferenceField {
  readonly section: string;
  readonly path: string;
  readonly required: boolean;
  readonly type: string;
  readonly default: string;
}

function jsonSchemaOf(schema: z.ZodMiniType): JsonSchema {
  // io 'input': document what a person writes (defaults make fields optional), not the parsed output.
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
}

function asSchema(s: z.core.JSONSchema._JSONSchema | undefined): JsonSchema | undefined {
  return typeof s === 'object' ? s : undefined;
}

function range(min: number | undefined, max: number | undefined, unit: string): string {
  if (min !== undefined && max !== undefined) return min === max ? `${min} ${unit}` : `${min}–${max} ${unit}`;
  if (min !== undefined) return `≥ ${min} ${unit}`;
  if (max !== undefined) return `≤ ${max} ${unit}`;
  return '';
}

function withRange(base: string, bounds: string): string {
  return bounds ? `${base} (${bounds.trim()})` : base;
}

function describeType(s: JsonSchema): string {
  if (s.const !== undefined) return `\`${JSON.stringify(s.const)}\``;
  if (s.enum) return s.enum.map((v) => `\`${String(v)}\``).join(' | ');
  if (Array.isArray(s.type)) return s.type.join(' | ');
  switch (s.type) {
    case 'integer':
    case 'number':
      return withRange(s.type, range(s.minimum, s.maximum, ''));
    case 'string': {
      if (s.format === 'date-time') return 'ISO 8601 date-time with offset';
      // Refined fields (addresses, prefixes) carry their form as a schema description.
      const base = s.pattern ? `string \`${s.pattern}\`` : s.description ? `string: ${s.description}` : 'string';
      return withRange(base, range(s.minLength, s.maxLength, 'chars'));
    }
    case 'array': {
      const item = asSchema(Array.isArray(s.items) ? undefined : s.items);
      const variants = item?.oneOf?.map(changeTypeName);
      const of = variants ? variants.join(' | ') : item?.properties ? 'objects' : item ? describeType(item) : 'values';
      return withRange(`list of ${of}`, range(s.minItems, s.maxItems, 'items'));
    }
    case 'object': {
      const values = asSchema(s.additionalProperties);
      return s.properties ? 'object' : `map of string → ${values ? describeType(values) : 'value'}`;
    }
    default:
      return s.type ?? 'any';
  }
}

/** Every documented field of a section, depth first; `stop` names fields documented elsewhere. */
function fieldsOf(section: string, schema: JsonSchema, stop: ReadonlySet<string>, prefix = ''): ReferenceField[] {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).flatMap(([name, raw]) => {
    const prop = asSchema(raw);
    if (!prop) return [];
    const path = prefix ? `${prefix}.${name}` : name;
    const row: ReferenceField = {
      section,
      path,
      required: required.has(name),
      type: describeType(prop),
      default: prop.default === undefined ? '' : `\`${JSON.stringify(prop.default)}\``,
    };
    if (stop.has(path)) return [row];
    const item = asSchema(Array.isArray(prop.items) ? undefined : prop.items);
    const nested = prop.properties
      ? fieldsOf(section, prop, stop, path)
      : item?.properties
        ? fieldsOf(section, item, stop, `${path}[]`)
        : [];
    return [row, ...nested];
  });
}

function changeTypeName(schema: JsonSchema): string {
  const type = asSchema(schema.properties?.type);
  return String(type?.const ?? 'unknown');
}

/** The sections of the reference in order: ChangeSpec, each change type, ChangeRequest. */
export function referenceSections(): Array<{ section: string; fields: ReferenceField[] }> {
  const changeTypes = Change.def.options.map((option) => jsonSchemaOf(option));
  return [
    { section: 'ChangeSpec', fields: fieldsOf('ChangeSpec', jsonSchemaOf(ChangeSpec), new Set(['changes'])) },
    ...changeTypes.map((s) => ({ section: changeTypeName(s), fields: fieldsOf(changeTypeName(s), s, new Set()) })),
    { section: 'ChangeRequest', fields: fieldsOf('ChangeRequest', jsonSchemaOf(ChangeRequest), new Set(['spec'])) },
  ];
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string[] {
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)];
}

function sectionText(section: string, fields: ReferenceField[]): string[] {
  const rows = fields.map((f) => [`\`${f.path}\``, f.required ? 'yes' : '', f.type, f.default, fieldNotes[`${section}:${f.path}`] ?? '']);
  const rules = sectionRules[section] ?? [];
  return [
    ...table(['field', 'required', 'type', 'default', 'meaning'], rows),
    ...(rules.length > 0 ? ['', 'Also checked:', ...rules.map((r) => `- ${r}`)] : []),
  ];
}

function ciliumSettingsText(): string[] {
  const allowed = Object.entries(ciliumConfigKeys).map(([key, rule]) => {
    const values = Array.isArray(rule.values)
      ? (rule.values as readonly string[]).map((v) => `\`${v}\``).join(', ')
      : `e.g. \`${(rule.values as { example: string }).example}\``;
    return [`\`${key}\``, values, rule.restarts.join(', ')];
  });
  const refused = Object.entries(refusedConfigKeys).map(([key, why]) => [`\`${key}\``, why]);
  return [...table(['key', 'allowed values', 'restarts'], allowed), '', 'Refused keys:', '', ...table(['key', 'why'], refused)];
}

/** The Markdown of docs/changespec.md. */
export function renderSpecReference(): string {
  const sections = referenceSections();
  const [spec, ...rest] = sections;
  const request = rest.pop();
  const lines = [
    '# ChangeSpec v1 reference',
    '',
    '<!-- Generated from shared/spec by `node bin/changeflow.mjs spec-reference > docs/changespec.md`; a test fails when this file and the schemas disagree. Do not edit by hand. -->',
    '',
    'A ChangeSpec (YAML or JSON) says what to change on one ACI fabric and the Cilium cluster attached to it.',
    'Check one with `changeflow validate FILE`: it prints every problem with its JSON path (`changes[1].blocks[0]`).',
    'Removing what a change created is the same change with `state: absent`. Examples: [`examples/`](../examples/).',
    '',
    '## ChangeSpec',
    '',
    ...(spec ? sectionText(spec.section, spec.fields) : []),
    '',
    '## Change types',
    '',
    'Each entry of `changes` is one of the following, chosen by `type`.',
    ...rest.flatMap((s) => ['', `### ${s.section}`, '', ...sectionText(s.section, s.fields)]),
    '',
    '## ciliumConfig settings',
    '',
    ...ciliumSettingsText(),
    '',
    '## ChangeRequest',
    '',
    'The document that starts a change (`POST /changes`, the Step Functions console, the CLI); `changeflow validate` accepts it too.',
    '',
    ...(request ? sectionText(request.section, request.fields) : []),
  ];
  return `${lines.join('\n')}\n`;
}
