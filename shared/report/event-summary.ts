import * as z from '../zod.js';
import type { AuditEvent } from '../store/audit-event.js';

// One line a change manager can read for each audit event, instead of its JSON detail: the
// evidence of a check, the reason of a failure, the rules of a precheck, the totals of a plan.
// The JSON stays one click away on the page; this only picks what a person looks for first.

const Verdict = z.enum(['pass', 'fail', 'unknown']);
export const RuleResult = z.looseObject({ id: z.string(), verdict: Verdict, evidence: z.optional(z.string()), fix: z.optional(z.string()), title: z.optional(z.string()) });
export type RuleResult = z.infer<typeof RuleResult>;

const shapes = {
  queued: z.looseObject({ target: z.string(), behind: z.string(), position: z.number() }),
  check: z.looseObject({ evidence: z.string(), verdict: z.optional(Verdict) }),
  rules: z.looseObject({ results: z.array(RuleResult) }),
  plan: z.looseObject({ totals: z.object({ create: z.number(), modify: z.number(), delete: z.number(), restart: z.number() }) }),
  received: z.looseObject({ changes: z.array(z.string()), mode: z.optional(z.string()) }),
  note: z.looseObject({ phase: z.string(), system: z.string() }),
  closed: z.looseObject({ outcome: z.string(), system: z.string() }),
  cause: z.looseObject({ error: z.string(), cause: z.string() }),
  reason: z.looseObject({ reason: z.string() }),
  op: z.looseObject({ opId: z.string(), action: z.optional(z.string()), detail: z.optional(z.string()), durationMs: z.optional(z.number()) }),
  opList: z.looseObject({ ops: z.array(z.string()) }),
  opCount: z.looseObject({ ops: z.number(), ms: z.optional(z.number()) }),
  facts: z.looseObject({
    aci: z.looseObject({ controllers: z.number(), leaves: z.number(), mos: z.number() }),
    cluster: z.looseObject({ ciliumVersion: z.optional(z.string()), nodes: z.number(), objects: z.number() }),
  }),
  snapshot: z.looseObject({ fileName: z.string() }),
  recheck: z.looseObject({ planHash: z.string() }),
  targets: z.looseObject({ targets: z.array(z.string()) }),
  checks: z.looseObject({ checks: z.union([z.number(), z.array(z.string())]) }),
  steps: z.looseObject({ steps: z.number() }),
};

type Shape = keyof typeof shapes;
type Of<S extends Shape> = z.infer<(typeof shapes)[S]>;

/** Tried in order: the first shape the detail has gives the line. */
const lines: { [S in Shape]: (d: Of<S>, type: string) => string } = {
  queued: (d) => `waiting behind ${d.behind} (position ${d.position}) for ${d.target}`,
  check: (d) => `${d.verdict ? `${d.verdict}: ` : ''}${d.evidence}`,
  rules: (d) => ruleCounts(d.results),
  plan: (d) => {
    const t = d.totals;
    const n = t.create + t.modify + t.delete + t.restart;
    const parts = ([['create', t.create], ['modify', t.modify], ['delete', t.delete], ['restart', t.restart]] as const).filter(([, k]) => k > 0);
    return `${n} operation${n === 1 ? '' : 's'}${parts.length ? ` (${parts.map(([a, k]) => `${k} ${a}`).join(', ')})` : ''}`;
  },
  received: (d) => `${d.changes.join(' · ')}${d.mode === 'plan-only' ? ' (plan only)' : ''}`,
  note: (d) => `"${d.phase}" note written to the ${d.system} ticket`,
  closed: (d) => `${d.system} ticket closed as ${d.outcome}`,
  cause: (d) => `${d.error}: ${d.cause}`,
  reason: (d) => d.reason,
  op: (d) => `${d.action ? `${d.action} ` : ''}${d.opId}${d.detail ? ` — ${d.detail}` : ''}${d.durationMs === undefined ? '' : ` (${d.durationMs} ms)`}`,
  opList: (d) => d.ops.join(', '),
  opCount: (d) => `${d.ops} operation${d.ops === 1 ? '' : 's'}${d.ms === undefined ? '' : ` in ${d.ms} ms`}`,
  facts: (d) =>
    `APIC: ${d.aci.controllers} controllers, ${d.aci.leaves} leaves, ${d.aci.mos} objects · cluster: ${d.cluster.ciliumVersion ? `Cilium ${d.cluster.ciliumVersion}, ` : ''}${d.cluster.nodes} nodes, ${d.cluster.objects} objects`,
  snapshot: (d) => `APIC snapshot ${d.fileName}`,
  recheck: (d) => `ticket still approved, plan ${d.planHash.slice(0, 12)} unchanged`,
  targets: (d) => d.targets.join(', '),
  checks: (d, type) => (Array.isArray(d.checks) ? `${type.endsWith('failed') ? 'failed: ' : ''}${d.checks.join(', ')}` : `${d.checks} checks${type.endsWith('passed') ? ', all passed' : ''}`),
  steps: (d) => `${d.steps} inverse step${d.steps === 1 ? '' : 's'} applied and read back`,
};

export function ruleCounts(results: readonly RuleResult[]): string {
  const count = (v: RuleResult['verdict']) => results.filter((r) => r.verdict === v).length;
  return `${results.length} rules: ${count('pass')} passed, ${count('fail')} failed, ${count('unknown')} unknown`;
}

export function summariseEvent(event: Pick<AuditEvent, 'type' | 'detail'>): string {
  for (const shape of Object.keys(lines) as Shape[]) {
    const parsed = shapes[shape].safeParse(event.detail);
    if (parsed.success) return (lines[shape] as (d: unknown, type: string) => string)(parsed.data, event.type);
  }
  return scalarFields(event.detail);
}

/** Top-level scalars as `key: value`, for details no shape above knows. */
function scalarFields(detail: unknown): string {
  if (typeof detail === 'string') return detail;
  if (detail === null || typeof detail !== 'object') return '';
  return Object.entries(detail)
    .filter(([, v]) => ['string', 'number', 'boolean'].includes(typeof v))
    .map(([k, v]) => `${k}: ${String(v)}`)
    .join(' · ');
}

/** The rules a precheck event holds that did not pass, for listing under the event. */
export function rulesNotPassed(event: Pick<AuditEvent, 'detail'>): RuleResult[] {
  const parsed = shapes.rules.safeParse(event.detail);
  return parsed.success ? parsed.data.results.filter((r) => r.verdict !== 'pass') : [];
}

/** A check's own verdict (verify.* events carry it in the detail, not in the status). */
export function verdictOf(event: Pick<AuditEvent, 'detail'>): z.infer<typeof Verdict> | undefined {
  const parsed = z.looseObject({ verdict: Verdict }).safeParse(event.detail);
  return parsed.success ? parsed.data.verdict : undefined;
}
