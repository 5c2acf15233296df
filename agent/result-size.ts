import { canonicalJson, sha256Hex } from '../shared/canonical-json.js';
import type { AgentResult, CommandResult } from '../shared/agent-protocol/index.js';

// Step Functions refuses task output over 256 KiB. A result above the agent's limit is made
// smaller in steps that keep it valid JSON and keep what the workflow needs; what was dropped
// is named, with a digest of the full result, so the audit trail shows it was summarised.

// Attributes a real APIC returns that no precheck or planner reads.
const volatileApicAttributes = new Set(['modTs', 'uid', 'userdom', 'lcOwn', 'monPolDn', 'extMngdBy', 'childAction', 'status']);

function bytesOf(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value), 'utf8');
}

function stripApic(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripApic);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === 'attributes' && v && typeof v === 'object') {
        out[k] = Object.fromEntries(Object.entries(v).filter(([a]) => !volatileApicAttributes.has(a)));
      } else out[k] = stripApic(v);
    }
    return out;
  }
  return value;
}

function stripManagedFields(obj: unknown): unknown {
  if (!obj || typeof obj !== 'object' || !('metadata' in obj)) return obj;
  const { metadata, ...rest } = obj as { metadata: Record<string, unknown> };
  const { managedFields: _dropped, ...meta } = metadata;
  return { ...rest, metadata: meta };
}

type Shrink = { name: string; apply(results: CommandResult[]): CommandResult[] };

const shrinks: Shrink[] = [
  {
    name: 'volatile APIC attributes',
    apply: (results) =>
      results.map((r) => (r.type === 'aci.collect' ? { ...r, responses: r.responses.map((x) => ({ ...x, imdata: stripApic(x.imdata) as unknown[] })) } : r)),
  },
  {
    name: 'managedFields of Kubernetes objects',
    apply: (results) => results.map((r) => (r.type === 'cluster.collect' ? { ...r, objects: r.objects.map(stripManagedFields) } : r)),
  },
  {
    name: 'op and check details',
    apply: (results) =>
      results.map((r) => {
        if (r.type === 'aci.apply' || r.type === 'cluster.apply') return { ...r, ops: r.ops.map(({ detail: _d, ...op }) => op) };
        if (r.type === 'rollback') return { ...r, steps: r.steps.map(({ detail: _d, ...op }) => op) };
        if (r.type === 'verify') return { ...r, checks: r.checks.map((c) => ({ ...c, evidence: c.evidence.slice(0, 500) })) };
        return r;
      }),
  },
  {
    // Last resort: the facts are too large to carry; prechecks will report them as unknown,
    // which blocks apply with a clear reason rather than acting on a cut document.
    name: 'collected facts',
    apply: (results) =>
      results.map((r) => {
        if (r.type === 'aci.collect') return { ...r, responses: r.responses.map((x) => ({ ...x, imdata: [] })) };
        if (r.type === 'cluster.collect') return { ...r, objects: [] };
        return r;
      }),
  },
];

export function fitResult(result: AgentResult, maxBytes: number): AgentResult {
  if (bytesOf(result) <= maxBytes) return result;
  const digest = sha256Hex(canonicalJson(result));
  const bytes = bytesOf(result);
  const dropped: string[] = [];
  let results = result.results;
  for (const shrink of shrinks) {
    results = shrink.apply(results);
    dropped.push(shrink.name);
    const candidate: AgentResult = { ...result, results, summarised: { digest, bytes, dropped: [...dropped] } };
    if (bytesOf(candidate) <= maxBytes) return candidate;
  }
  return { ...result, results, summarised: { digest, bytes, dropped } };
}
