import { isAlias, isCollection, isMap, isPair, isScalar, isSeq, parseDocument, visit, type Document, type Node } from 'yaml';
import type { SpecIssue } from './issues.js';

// ChangeSpec text comes from tickets and API callers: hostile input. A ChangeSpec is plain data —
// mappings with string keys, sequences, scalars — so everything YAML adds beyond JSON that a spec
// never needs is refused with a 4xx-worthy issue instead of being resolved: aliases (the "billion
// laughs" bomb expands a few hundred bytes into gigabytes; an unresolved one threw a 500), tags
// other than the core schema's (`!foo`, `!!binary`, `!!set`), collection keys and duplicate keys.
// Work stays linear in the text: a character scan bounds the node count before the parser
// builds anything, and the checks after it visit each node once (the yaml package's own
// `uniqueKeys` compares every key with every other: 20 000 keys took seconds).

/** Map keys + sequence items + flow collections a ChangeSpec may have; real ones use a few hundred. */
export const maxSpecNodes = 2000;
/** Lines (comments and blank ones included: the parser pays for each); real specs have under 300. */
export const maxSpecLines = 5000;

const coreTags = new Set(['tag:yaml.org,2002:str', 'tag:yaml.org,2002:int', 'tag:yaml.org,2002:float', 'tag:yaml.org,2002:bool', 'tag:yaml.org,2002:null', 'tag:yaml.org,2002:map', 'tag:yaml.org,2002:seq']);

export type YamlDocumentResult = { ok: true; data: unknown } | { ok: false; issues: SpecIssue[] };

/** YAML or JSON text (JSON is YAML) → plain data, or the first problem that makes it unsafe or invalid. */
export function readYamlData(text: string): YamlDocumentResult {
  const { nodes, lines } = structureCount(text);
  if (nodes > maxSpecNodes) {
    return refuse('', `the document has about ${nodes} keys and items; a ChangeSpec has at most ${maxSpecNodes} — split the change into several tickets`);
  }
  if (lines > maxSpecLines) return refuse('', `the document has ${lines} lines; a ChangeSpec has at most ${maxSpecLines}`);
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: false });
  if (doc.errors.length > 0) {
    return { ok: false, issues: doc.errors.map((e) => ({ path: '', message: `not valid YAML/JSON: ${(e.message.split('\n')[0] ?? e.message).replace(/:$/, '')}` })) };
  }
  const unsafe = unsafeNode(doc, text);
  if (unsafe) return { ok: false, issues: [unsafe] };
  // No alias survives the check above, so toJS never expands one; 0 says so to the library too.
  return { ok: true, data: doc.toJS({ maxAliasCount: 0 }) as unknown };
}

/**
 * An upper bound of the nodes the parser would build, from the indicators that open them: every
 * map entry needs a `:` (or `? `), every sequence item a `- `, a `,` or a `[`, every flow
 * collection a `[` or `{`. Counted everywhere, quoted text and comments included, so it can only
 * over-count — the bound cannot be dodged by hiding structure behind a quote the scan misreads.
 */
function structureCount(text: string): { nodes: number; lines: number } {
  let count = 0;
  let lines = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a) lines++;
    else if (c === 0x3a || c === 0x2c || c === 0x5b || c === 0x7b) count++;
    else if (c === 0x2d || c === 0x3f) {
      const next = text.charCodeAt(i + 1);
      if (Number.isNaN(next) || next === 0x20 || next === 0x09 || next === 0x0a || next === 0x0d) count++;
    }
  }
  return { nodes: count, lines };
}

/** One pass over the tree: the first alias, foreign tag, non-scalar key or duplicate key. */
function unsafeNode(doc: Document, text: string): SpecIssue | undefined {
  let found: SpecIssue | undefined;
  // The line is worked out once, for the refusal only, so the happy path stays one pass.
  const stop = (issue: SpecIssue, at: Node | undefined) => {
    const offset = at?.range?.[0];
    found = offset === undefined ? issue : { ...issue, message: `${issue.message} (line ${lineAt(text, offset)})` };
    return visit.BREAK;
  };
  visit(doc, {
    Alias(key, node, path) {
      return stop({ path: pathOf(path, key), message: `aliases (*${node.source}) are not allowed in a ChangeSpec; write the value out` }, node);
    },
    Node(key, node, path) {
      const tag = (node as Node).tag;
      if (tag !== undefined && !coreTags.has(tag)) {
        return stop({ path: pathOf(path, key), message: `the YAML tag ${tag.replace(/^tag:yaml\.org,2002:/, '!!')} is not allowed in a ChangeSpec; remove it (plain strings, numbers, booleans, lists and mappings only)` }, node as Node);
      }
      if (!isMap(node)) return undefined;
      const here = pathOf(path, key);
      const seen = new Set<string>();
      for (const pair of node.items) {
        if (isAlias(pair.key)) return stop({ path: here, message: `aliases (*${pair.key.source}) are not allowed in a ChangeSpec; write the key out` }, pair.key);
        if (isCollection(pair.key)) return stop({ path: here, message: 'a mapping key must be a plain string, not a list or mapping' }, pair.key);
        const name = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        if (seen.has(name)) return stop({ path: here ? `${here}.${name}` : name, message: `duplicate key "${name.slice(0, 80)}": the later value would silently win; keep one` }, pair.key as Node);
        seen.add(name);
      }
      return undefined;
    },
  });
  return found;
}

/**
 * A readable path (`changes[0].blocks`) from the visitor's ancestry: the mapping key of every pair
 * on the way, the position of every sequence item, and the node's own key or index last.
 */
function pathOf(path: readonly unknown[], key: number | 'key' | 'value' | null): string {
  let out = '';
  const add = (part: string | number) => {
    out += typeof part === 'number' ? `[${part}]` : out ? `.${part}` : part;
  };
  for (let i = 0; i < path.length; i++) {
    const step = path[i];
    const child = path[i + 1];
    if (isPair(step) && isScalar(step.key)) add(String(step.key.value));
    else if (isSeq(step) && child !== undefined) add((step.items as unknown[]).indexOf(child));
  }
  if (typeof key === 'number') add(key);
  return out;
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 0x0a) line++;
  return line;
}

function refuse(path: string, message: string): YamlDocumentResult {
  return { ok: false, issues: [{ path, message }] };
}
