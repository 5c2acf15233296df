import * as z from '../zod.js';
import { parseJsonText } from '../json-text.js';
import { escapeHtml as e } from './html.js';

// The state machine drawn from its ASL, as the Step Functions console draws it: states in layers
// from StartAt, transitions (Next, Default, Choices) as lines and Catch routes dashed, with this
// change's path, the state that failed and the rollback states highlighted. Inline SVG built here
// on the server: the page's CSP allows no scripts and no images, and inline SVG needs neither.

const Asl = z.looseObject({
  StartAt: z.string(),
  States: z.record(z.string(), z.looseObject({ Type: z.string(), Next: z.optional(z.string()), Default: z.optional(z.string()), Choices: z.optional(z.array(z.looseObject({ Next: z.string() }))), Catch: z.optional(z.array(z.looseObject({ Next: z.string() }))) })),
});

export interface WorkflowRun {
  /** States entered, in order (from the execution history). */
  readonly entered: readonly string[];
  /** States that failed (a TaskFailed or the like while in them). */
  readonly failed: readonly string[];
}

const nodeW = 168;
const nodeH = 26;
const gapX = 14;
const gapY = 22;

/** Returns the SVG, or undefined when the definition is not ASL this can read. */
export function renderWorkflowGraph(definition: unknown, run: WorkflowRun): string | undefined {
  const parsed = Asl.safeParse(typeof definition === 'string' ? parseJsonText(definition) : definition);
  if (!parsed.success) return undefined;
  const { StartAt, States } = parsed.data;
  const next = (name: string) => {
    const s = States[name];
    return s ? [s.Next, s.Default, ...(s.Choices ?? []).map((c) => c.Next)].filter((n): n is string => typeof n === 'string' && n in States) : [];
  };
  const catches = (name: string) => (States[name]?.Catch ?? []).map((c) => c.Next).filter((n) => n in States);
  // Layer = longest path from StartAt over every transition, loops cut where a depth-first walk
  // meets a state it is still inside (the retry and approval loops), so each state sits below
  // everything that can lead to it — the outcomes under the steps, the record under the outcomes.
  const out = (name: string) => [...next(name), ...catches(name)];
  const order: string[] = [];
  const back = new Set<string>();
  const state = new Map<string, 'open' | 'done'>();
  const visit = (name: string) => {
    state.set(name, 'open');
    for (const to of out(name)) {
      if (state.get(to) === 'open') back.add(`${name}→${to}`);
      else if (!state.has(to)) visit(to);
    }
    state.set(name, 'done');
    order.push(name);
  };
  visit(StartAt);
  const layer = new Map<string, number>();
  for (const name of order.reverse()) {
    if (!layer.has(name)) layer.set(name, 0);
    for (const to of out(name)) if (!back.has(`${name}→${to}`)) layer.set(to, Math.max(layer.get(to) ?? 0, (layer.get(name) ?? 0) + 1));
  }
  for (const name of Object.keys(States)) if (!layer.has(name)) layer.set(name, Math.max(...layer.values()) + 1);
  const rows = new Map<number, string[]>();
  for (const [name, l] of layer) rows.set(l, [...(rows.get(l) ?? []), name]);
  const perRow = Math.max(...[...rows.values()].map((r) => r.length));
  const width = perRow * (nodeW + gapX) + gapX;
  const at = new Map<string, { x: number; y: number }>();
  for (const [l, names] of [...rows].sort((a, b) => a[0] - b[0])) {
    const rowWidth = names.length * (nodeW + gapX) - gapX;
    names.forEach((name, i) => at.set(name, { x: (width - rowWidth) / 2 + i * (nodeW + gapX), y: gapY + l * (nodeH + gapY) }));
  }
  const height = gapY + (Math.max(...layer.values()) + 1) * (nodeH + gapY);
  const entered = new Set(run.entered);
  const failed = new Set(run.failed);
  const walked = new Set(run.entered.slice(1).map((to, i) => `${run.entered[i]}→${to}`));
  const isRollback = (name: string) => /roll ?back|ROLLBACK/i.test(name);
  const edge = (from: string, to: string, dashed: boolean) => {
    const a = at.get(from);
    const b = at.get(to);
    if (!a || !b) return '';
    const cls = `edge${dashed ? ' catch' : ''}${walked.has(`${from}→${to}`) ? ' walked' : ''}`;
    return `<line class="${cls}" x1="${a.x + nodeW / 2}" y1="${a.y + nodeH}" x2="${b.x + nodeW / 2}" y2="${b.y}"/>`;
  };
  const edges = Object.keys(States).flatMap((name) => [...next(name).map((to) => edge(name, to, false)), ...catches(name).map((to) => edge(name, to, true))]);
  const nodes = [...at].map(([name, p]) => {
    const cls = ['state', failed.has(name) ? 'failed' : entered.has(name) ? (isRollback(name) ? 'rollback' : 'entered') : isRollback(name) ? 'rollback-idle' : ''].join(' ').trim();
    const label = name.length > 26 ? `${name.slice(0, 25)}…` : name;
    return `<g class="${cls}"><title>${e(name)} (${e(States[name]?.Type ?? '')})</title><rect x="${p.x}" y="${p.y}" width="${nodeW}" height="${nodeH}" rx="6"/><text x="${p.x + nodeW / 2}" y="${p.y + 17}">${e(label)}</text></g>`;
  });
  return `<svg class="workflow" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-label="the workflow's states; this change's path highlighted">
${edges.join('\n')}
${nodes.join('\n')}
</svg>`;
}
