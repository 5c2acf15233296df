import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChangeflowStack } from '../../cdk/changeflow-stack.js';
import { loadStackMachines, synthStack } from '../../local/sfn/index.js';
import { renderTimelinePage } from '../../shared/report/timeline-page.js';
import type { AuditEvent, ChangeRecord } from '../../shared/store/index.js';
import { startApiStack, type ApiStack } from '../integration/api/harness.js';
import { chromiumPath, hasChromium, openPage } from '../support/e2e-chromium.js';
import { decodePng, rowsOf, shareOf } from '../support/png-pixels.js';

// The workflow graph on the timeline page, drawn from the real state machine's ASL (the one CDK
// synthesises and the local engine runs): this change's path, the state that failed and the
// rollback states highlighted, as inline SVG. Then through the API: the page of a change whose
// execution exists reads the ASL and history from Step Functions.

const root = join(import.meta.dirname, '../..');
let shots: string;
let stack: ApiStack;

beforeAll(async () => {
  shots = process.env['CHANGEFLOW_E2E_ARTIFACTS'] ?? (await mkdtemp(join(tmpdir(), 'changeflow-graph-shots-')));
  stack = await startApiStack();
});
afterAll(async () => {
  await stack?.close();
  if (shots && !process.env['CHANGEFLOW_E2E_ARTIFACTS']) await rm(shots, { recursive: true, force: true });
});

const hash = (n: number) => String(n).padStart(64, '0');
const change: ChangeRecord = {
  changeId: 'snow-CHG0030301-0', status: 'ROLLED_BACK', mode: 'apply', source: 'servicenow', ticket: { system: 'servicenow', key: 'k', number: 'CHG0030301' }, requestedBy: 'jane.doe',
  targets: { site: 'dc1', fabric: 'dc1-aci', cluster: 'prod-a' }, createdAt: '2026-12-03T10:00:00.000Z', updatedAt: '2026-12-03T10:00:30.000Z',
};
const events: AuditEvent[] = ['change.received', 'verify.failed', 'rollback.verified', 'change.rolled-back'].map((type, i) => ({
  changeId: change.changeId, seq: i + 1, at: `2026-12-03T10:00:${String(i * 9).padStart(2, '0')}.000Z`, type, actor: 'changeflow-workflow', detail: {}, prevHash: hash(i), hash: hash(i + 1),
}));
const path = [
  'Validate request', 'Acquire locks', 'Holding every lock?', 'Prepare Gather facts', 'Gather facts: which site', 'Gather facts @dc1', 'Gather facts: done', 'Precheck', 'Precheck allows it?', 'Plan',
  'Apply or stop at the plan?', 'Re-check ticket, window and plan', 'Prepare Snapshot APIC', 'Snapshot APIC: which site', 'Snapshot APIC @dc1', 'Snapshot APIC: done', 'Record Snapshot APIC',
  'Prepare Apply ACI', 'Apply ACI: which site', 'Apply ACI @dc1', 'Apply ACI: done', 'Record Apply ACI', 'Prepare Apply cluster', 'Apply cluster: which site', 'Apply cluster @dc1', 'Apply cluster: done',
  'Record Apply cluster', 'Prepare Verify', 'Verify: which site', 'Verify @dc1', 'Record rollback started', 'Prepare Roll back', 'Roll back: which site', 'Roll back @dc1', 'Roll back: done',
  'Record Roll back', 'Outcome ROLLED_BACK', 'Record outcome', 'Release locks', 'Write back to ticket', 'How did it end', 'ROLLED_BACK',
];

describe.skipIf(!hasChromium)(`the workflow graph (${chromiumPath})`, () => {
  it('draws every state of the real ASL with the path, the failed state and the rollback highlighted', { timeout: 120_000 }, async () => {
    const machine = loadStackMachines(synthStack((app) => new ChangeflowStack(app, 'Changeflow', { sites: ['dc1'], repoRoot: root })))[0];
    const definition = machine?.definition as { States: Record<string, unknown> };
    const html = renderTimelinePage({ change, events, chain: { valid: true }, workflow: { definition, run: { entered: path, failed: ['Verify @dc1'] } } });
    const page = join(shots, 'workflow-graph.html');
    await writeFile(page, html);
    const file = join(shots, 'workflow-graph.png');
    // Tall enough for the whole graph, down to the rollback states under Verify.
    const dom = await openPage(`file://${page}`, file, { width: 1280, height: 3800 });
    expect((await readFile(file)).length).toBeGreaterThan(20 * 1024);
    // What a person sees in the graph (below its legend, whose chips carry the same colours):
    // this change's path in blue, the failed state in red, the rollback states in yellow, below it.
    const shot = decodePng(await readFile(file));
    const legend = rowsOf(shot, '#ddf4ff', 0.005, 3)[0] ?? shot.height;
    const graph = { x: 0, y: legend + 30, width: shot.width, height: shot.height - legend - 30 };
    const pixels = (hex: string) => Math.round(shareOf(shot, hex, graph, 3) * graph.width * graph.height);
    expect(pixels('#ddf4ff'), 'entered states').toBeGreaterThan(20_000);
    expect(pixels('#0969da'), 'the walked path').toBeGreaterThan(2_000);
    expect(pixels('#ffebe9'), 'the failed state').toBeGreaterThan(1_500);
    expect(pixels('#fff8c5'), 'the rollback states').toBeGreaterThan(3_000);
    const below = (hex: string) => rowsOf(shot, hex, 0.02, 3).filter((y) => y > graph.y);
    expect(below('#fff8c5')[0]).toBeGreaterThan(below('#ffebe9')[0] ?? Infinity);
    expect(dom).toContain('<section class="card graph"><h2>Workflow');
    expect(dom.match(/<g class="state[^"]*">/g)).toHaveLength(Object.keys(definition.States).length);
    expect(dom).toContain('<g class="state failed"><title>Verify @dc1 (Task)</title>');
    expect(dom).toContain('<g class="state rollback"><title>Roll back @dc1 (Task)</title>');
    expect(dom).toContain('<g class="state entered"><title>Precheck (Task)</title>');
    expect(dom).toMatch(/<g class="state"><title>Outcome SUCCEEDED \(Pass\)<\/title>/);
    expect(dom).toMatch(/<line class="edge walked"/);
    expect(dom).toMatch(/<line class="edge catch[^"]*"/);
  });

  it('the API page of a change reads its execution\'s ASL and history from Step Functions', { timeout: 60_000 }, async () => {
    const started = (await (await fetch(`${stack.url}/changes`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': 'graph' },
      body: JSON.stringify({ source: 'cli', requestedBy: 'jane.doe', ticket: { system: 'none' }, spec: await readFile(join(root, 'examples/add-pool-blue.yaml'), 'utf8') }),
    })).json()) as { changeId: string; executionArn: string };
    await stack.store.changes.create({ changeId: started.changeId, ticket: { system: 'none', key: '' }, source: 'cli', targets: change.targets, requestedBy: 'jane.doe', mode: 'plan-only', executionArn: started.executionArn });
    await stack.store.audit.appendEvent({ changeId: started.changeId, type: 'change.received', status: 'RECEIVED', actor: 'changeflow-workflow', detail: {} });
    const dom = await openPage(`${stack.url}/changes/${started.changeId}`, join(shots, 'workflow-graph-api.png'), { width: 1280, height: 1400 });
    expect(dom).toContain('<svg class="workflow"');
    expect(dom).toMatch(/<g class="state entered"><title>[^<]+<\/title>/);
  });
});
