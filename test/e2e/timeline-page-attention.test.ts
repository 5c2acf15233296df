import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../shared/store/keys.js';
import type { ChangeStatus } from '../../shared/store/index.js';
import { startApiStack, type ApiStack } from '../integration/api/harness.js';
import { chromiumPath, hasChromium, openPage } from '../support/e2e-chromium.js';
import { decodePng, rowsOf, stepMarks } from '../support/png-pixels.js';
import { testClock } from '../integration/store/store-fixtures.js';

// The timeline page where a person must act, in headless Chromium: a ROLLBACK_FAILED change marks
// the failed step red and says what to do next (the unlock commands, the runbook section), its
// rollback event says why; a tampered chain shows a red banner before anything else; the step bar
// gives the agent's fact gathering to Precheck.

const size = { width: 1280, height: 1600 };
let stack: ApiStack;
let shots: string;

type Step = { type: string; status?: ChangeStatus; detail?: unknown; afterMs: number };

/** Records a change with its events, each `afterMs` after the one before (a store on a manual clock). */
async function record(changeId: string, steps: Step[]): Promise<void> {
  const { createStore } = await import('../../shared/store/index.js');
  const client = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: stack.env.DYNAMODB_ENDPOINT, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }));
  const clock = testClock('2026-12-03T10:00:00.000Z');
  const store = createStore({ client, tableName: stack.env.TABLE_NAME!, now: clock.now });
  await store.changes.create({ changeId, ticket: { system: 'servicenow', key: changeId, number: 'CHG0030201' }, source: 'servicenow', targets: { site: 'dc1', fabric: 'dc1-aci', cluster: 'prod-a' }, requestedBy: 'jane.doe', mode: 'apply' });
  for (const step of steps) {
    clock.advance(step.afterMs);
    if (step.status) await store.changes.updateStatus(changeId, step.status);
    await store.audit.appendEvent({ changeId, type: step.type, status: step.status, actor: 'changeflow-workflow', detail: step.detail ?? {} });
  }
}

const rollbackFailed: Step[] = [
  { type: 'change.received', status: 'RECEIVED', detail: { changes: ['loadBalancerPool pool-red 10.0.10.0/24'] }, afterMs: 0 },
  { type: 'lock.acquired', status: 'PRECHECKING', detail: { targets: ['fabric#dc1-aci', 'cluster#prod-a'] }, afterMs: 200 },
  // The agent took 8 s to read both sides: Precheck's time.
  { type: 'facts.gathered', detail: {}, afterMs: 8000 },
  { type: 'precheck.passed', detail: { results: [] }, afterMs: 100 },
  { type: 'plan.created', status: 'PLANNED', detail: { planHash: 'c'.repeat(64), totals: { create: 1, modify: 0, delete: 0, restart: 0 }, diff: [{ sign: '+', ref: 'cilium.io/v2/CiliumLoadBalancerIPPool/pool-red' }] }, afterMs: 100 },
  { type: 'apply.cluster.applied', status: 'APPLYING', detail: { ops: 1, ms: 90 }, afterMs: 500 },
  { type: 'verify.failed', status: 'VERIFYING', detail: { checks: ['connectivity-test'], reason: 'connectivity-test: fail' }, afterMs: 3000 },
  { type: 'rollback.started', status: 'ROLLING_BACK', detail: { error: 'VerificationFailed', cause: 'connectivity-test: fail' }, afterMs: 100 },
  { type: 'rollback.failed', detail: { failed: ['cluster-1'], reason: 'rollback did not complete: cluster-1 the API server answered 503' }, afterMs: 2000 },
  { type: 'change.rollback-failed', status: 'ROLLBACK_FAILED', detail: { reason: 'rollback failed' }, afterMs: 100 },
];

// Verified, then watched: the window's end is in ten minutes of the real clock (the page counts down from now).
const observing = (until: string): Step[] => [
  ...rollbackFailed.slice(0, 6),
  { type: 'verify.passed', status: 'VERIFYING', detail: { checks: 3 }, afterMs: 3000 },
  { type: 'observe.started', status: 'OBSERVING', detail: { seconds: 600, intervalSeconds: 30, checks: 20, until }, afterMs: 100 },
  { type: 'observe.check', detail: { round: 4, of: 20, checks: ['bgp-fabric', 'bgp-cluster', 'lb-pool'] }, afterMs: 120_000 },
];
const regressedReason = 'bgp-fabric regressed at 2026-12-03T10:04:12.000Z, 130 s into the observation window (check 5 of 20): bgp-fabric fail (not established prod-a-w1@101=idle)';
const regressed: Step[] = [
  ...observing('2026-12-03T10:10:00.000Z'),
  { type: 'observe.regressed', detail: { round: 5, of: 20, reason: regressedReason }, afterMs: 30_000 },
  { type: 'rollback.started', status: 'ROLLING_BACK', detail: { error: 'ObservationRegressed', cause: regressedReason }, afterMs: 100 },
  { type: 'rollback.verified', detail: { steps: 1 }, afterMs: 2000 },
  { type: 'change.rolled-back', status: 'ROLLED_BACK', detail: { reason: `rolled back after ObservationRegressed: ${regressedReason}` }, afterMs: 100 },
];

// A scheduled drift check (plan-only): the fabric was hand-edited, the cluster reads as left.
const subnetDn = 'uni/tn-k8s-prod-a/out-prod-a-l3out/instP-default_svc/extsubnet-[10.0.11.0/25]';
const driftCheck: Step[] = [
  { type: 'change.received', status: 'RECEIVED', detail: { changes: ['loadBalancerPool pool-blue 10.0.11.0/25'] }, afterMs: 0 },
  { type: 'lock.acquired', status: 'PRECHECKING', detail: { targets: ['fabric#dc1-aci', 'cluster#prod-a'] }, afterMs: 200 },
  { type: 'facts.gathered', detail: {}, afterMs: 2000 },
  { type: 'plan.created', status: 'PLANNED', detail: { planHash: 'd'.repeat(64), totals: { create: 0, modify: 1, delete: 0, restart: 0 }, diff: [{ sign: '~', ref: subnetDn, attribute: 'scope', from: 'export-rtctrl', to: 'import-security' }] }, afterMs: 100 },
  { type: 'drift.detected', detail: { target: 'fabric#dc1-aci', drift: [{ domain: 'aci', ref: subnetDn, path: 'scope', expected: 'import-security', found: 'export-rtctrl' }], inForce: ['snow-CHG0030100-0'] }, afterMs: 50 },
  { type: 'drift.clear', detail: { target: 'cluster#prod-a', drift: [], inForce: ['snow-CHG0030100-0'] }, afterMs: 10 },
  { type: 'change.planned', status: 'PLANNED', detail: {}, afterMs: 50 },
];

beforeAll(async () => {
  stack = await startApiStack();
  await record('drift-CHG0030205-0', driftCheck);
  await record('snow-CHG0030203-0', observing(new Date(Date.now() + 600_000).toISOString()));
  await record('snow-CHG0030204-0', regressed);
  shots = process.env['CHANGEFLOW_E2E_ARTIFACTS'] ?? (await mkdtemp(join(tmpdir(), 'changeflow-attention-shots-')));
  await record('snow-CHG0030201-0', rollbackFailed);
  await record('snow-CHG0030202-0', rollbackFailed.slice(0, 5));
  const client = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: stack.env.DYNAMODB_ENDPOINT, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }));
  await client.send(new UpdateCommand({ TableName: stack.env.TABLE_NAME, Key: keys.event('snow-CHG0030202-0', 3), UpdateExpression: 'SET actor = :a', ExpressionAttributeValues: { ':a': 'someone-else' } }));
});
afterAll(async () => {
  await stack?.close();
  if (shots && !process.env['CHANGEFLOW_E2E_ARTIFACTS']) await rm(shots, { recursive: true, force: true });
});

describe.skipIf(!hasChromium)(`timeline pages that need a person (${chromiumPath})`, () => {
  it('ROLLBACK_FAILED: the failed step is red, the rollback event says why, and the page says what to do next', { timeout: 60_000 }, async () => {
    const file = join(shots, 'rollback-failed.png');
    const dom = await openPage(`${stack.url}/changes/snow-CHG0030201-0`, file, size);
    expect((await readFile(file)).length).toBeGreaterThan(10 * 1024);
    expect(dom).toMatch(/<li class="step bad"><span class="mark">✕<\/span><span class="name">Rollback<\/span>/);
    expect(dom).toMatch(/<li class="step bad"><span class="mark">✕<\/span><span class="name">Outcome<\/span>/);
    expect(dom).toContain('<section class="next bad"><h2>What to do now</h2>');
    expect(dom).toContain('changeflow unlock fabric:dc1-aci --reason "…"\nchangeflow unlock cluster:prod-a --reason "…"');
    expect(dom).toContain('docs/runbook.md, section 5 "ROLLBACK_FAILED: a human is needed"');
    expect(dom).toContain('<div class="summary">rollback did not complete: cluster-1 the API server answered 503</div>');
    // Fact gathering (8.1 s after the lock) is Precheck's time; Intake is only the lock.
    expect(dom).toMatch(/<span class="name">Intake<\/span><small>200ms<\/small>/);
    expect(dom).toMatch(/<span class="name">Precheck<\/span><small>8\.1s<\/small>/);
    // On the screenshot: Intake … Apply green, Verify, Rollback and Outcome red; no red banner above them.
    const shot = decodePng(await readFile(file));
    const marks = stepMarks(shot, 7);
    expect(marks?.tones).toEqual(['good', 'good', 'good', 'good', 'bad', 'bad', 'bad']);
    expect(rowsOf(shot, '#cf222e', 0.9).filter((y) => y < (marks?.y ?? 0))).toEqual([]);
  });

  it('a tampered chain: a red banner first, naming the broken event and how to check', { timeout: 60_000 }, async () => {
    const file = join(shots, 'tampered.png');
    const dom = await openPage(`${stack.url}/changes/snow-CHG0030202-0`, file, size);
    expect((await readFile(file)).length).toBeGreaterThan(10 * 1024);
    const banner = dom.indexOf('<div class="tampered" role="alert">');
    expect(banner).toBeGreaterThan(0);
    expect(banner).toBeLessThan(dom.indexOf('<ol class="steps">'));
    expect(dom).toContain('⚠ AUDIT TRAIL TAMPERED — chain broken at event #3');
    expect(dom).toContain('<code>changeflow audit verify snow-CHG0030202-0</code>');
    // Prominent on the screenshot: a band of the banner's red across the page, over 100 px tall,
    // above the step bar (Intake, Precheck, Plan green; the rest not reached).
    const shot = decodePng(await readFile(file));
    const marks = stepMarks(shot, 3);
    expect(marks?.tones).toEqual(['good', 'good', 'good']);
    const band = rowsOf(shot, '#cf222e', 0.9).filter((y) => y < (marks?.y ?? 0));
    expect(band.length).toBeGreaterThan(40);
    expect((band.at(-1) ?? 0) - (band[0] ?? 0)).toBeGreaterThan(100);
  });

  it('OBSERVING: a countdown that runs without a script, the check it is at, how to roll back now', { timeout: 60_000 }, async () => {
    const file = join(shots, 'observing.png');
    const dom = await openPage(`${stack.url}/changes/snow-CHG0030203-0`, file, size);
    expect((await readFile(file)).length).toBeGreaterThan(10 * 1024);
    expect(dom).toContain('<section class="next warn" id="observing"><h2>Observing — <span class="countdown" role="timer"');
    const left = Number(/aria-label="(\d+) seconds left"/.exec(dom)?.[1]);
    expect(left).toBeGreaterThan(500);
    expect(left).toBeLessThanOrEqual(600);
    expect(dom).toContain(`@keyframes observe-left{from{--observe-left:${left}}to{--observe-left:0}}`);
    expect(dom).toContain('every 30 s, check 4 of 20 done; the targets stay locked.');
    expect(dom).toContain('<code>changeflow abort snow-CHG0030203-0 --reason "…"</code>');
    // On the screenshot: the steps up to Apply green, Verify (observing) amber.
    expect(stepMarks(decodePng(await readFile(file)), 5)?.tones).toEqual(['good', 'good', 'good', 'good', 'warn']);
  });

  it('rolled back late: the page names the check that regressed and when', { timeout: 60_000 }, async () => {
    const file = join(shots, 'observe-regressed.png');
    const dom = await openPage(`${stack.url}/changes/snow-CHG0030204-0`, file, size);
    expect((await readFile(file)).length).toBeGreaterThan(10 * 1024);
    expect(dom).toContain(`<section class="next bad" id="regressed"><h2>Regressed while observing</h2><p>${regressedReason}. It was rolled back`);
  });

  it('a drift check: what differs per target, expected and found, that nothing was changed, and the command that prints the restoring spec', { timeout: 60_000 }, async () => {
    const file = join(shots, 'drift.png');
    const dom = await openPage(`${stack.url}/changes/drift-CHG0030205-0`, file, size);
    expect((await readFile(file)).length).toBeGreaterThan(10 * 1024);
    expect(dom).toContain('<section class="next bad" id="drift"><h2>Drift — 1 object differs</h2><p>The live state differs from the desired state from 1 change in force (snow-CHG0030100-0). Nothing was changed.</p>');
    expect(dom).toContain(`<li><strong>fabric#dc1-aci</strong>: 1 difference<ul><li><code>${subnetDn}</code> <code>scope</code>: expected <code>import-security</code>, found <code>export-rtctrl</code></li></ul></li>`);
    expect(dom).toContain('<li><strong>cluster#prod-a</strong>: no drift — it reads as the changes in force left it.</li>');
    expect(dom).toContain('<code>changeflow drift --target fabric:dc1-aci</code>');
  });
});
