import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as z from '../../../shared/zod.js';
import { DiffLine } from '../../../shared/plan/plan-op.js';
import { formatPlanTotals, objectTotalsOf } from '../../../shared/plan/plan.js';
import { summariseEvent } from '../../../shared/report/event-summary.js';
import { renderTimelinePage } from '../../../shared/report/timeline-page.js';
import { groupByPhase, stepsOf, toneOfEvent } from '../../../shared/report/timeline-phases.js';
import { AuditEvent, ChangeRecord } from '../../../shared/store/index.js';

// The timeline page over audit trails captured from the lab demo (`changeflow dev --demo`): a
// pool that failed verification and was rolled back, and a peering a precheck refused.

const Trail = z.object({ change: ChangeRecord, events: z.array(AuditEvent) });
const trail = (name: string) => Trail.parse(JSON.parse(readFileSync(new URL(`../../fixtures/report/${name}.json`, import.meta.url), 'utf8')));
const rolledBack = trail('rolled-back-pool-green');
const rejected = trail('rejected-fabric-asn');
const planned = trail('planned-pool-blue');
const planOf = (events: readonly AuditEvent[]) => z.object({ diff: z.array(DiffLine) }).parse(events.find((e) => e.type === 'plan.created')?.detail).diff;

describe('timeline steps', () => {
  it('groups a rolled-back change into its steps in order, ticket notes under the step they report', () => {
    const groups = groupByPhase(rolledBack.events);
    expect(groups.map((g) => g.phase)).toEqual(['intake', 'precheck', 'plan', 'apply', 'verify', 'rollback', 'outcome']);
    expect(groups.find((g) => g.phase === 'plan')?.events.map((e) => e.type)).toEqual(['plan.created', 'ticket.note.written', 'recheck.passed']);
    expect(groups.flatMap((g) => g.events)).toEqual(rolledBack.events);
  });

  it('marks the failed verification red, the rollback and the outcome amber, and every step before green', () => {
    const steps = stepsOf(groupByPhase(rolledBack.events), rolledBack.change.status);
    expect(steps.map((s) => [s.phase, s.tone])).toEqual([
      ['intake', 'good'],
      ['precheck', 'good'],
      ['plan', 'good'],
      ['apply', 'good'],
      ['verify', 'bad'],
      ['rollback', 'warn'],
      ['outcome', 'warn'],
    ]);
  });

  it('shows the steps a precheck refusal never reached as skipped and no rollback step', () => {
    const steps = stepsOf(groupByPhase(rejected.events), rejected.change.status);
    expect(steps.map((s) => [s.phase, s.tone])).toEqual([
      ['intake', 'good'],
      ['precheck', 'bad'],
      ['plan', 'skipped'],
      ['apply', 'skipped'],
      ['verify', 'skipped'],
      ['outcome', 'bad'],
    ]);
  });

  it.each([
    [{ type: 'verify.connectivity-test', detail: { verdict: 'fail', evidence: 'x' } }, 'bad'],
    [{ type: 'verify.lb-pools', detail: { verdict: 'pass', evidence: 'x' } }, 'good'],
    [{ type: 'rollback.op', detail: {} }, 'warn'],
    [{ type: 'change.rolled-back', status: 'ROLLED_BACK', detail: {} }, 'warn'],
    [{ type: 'lock.acquired', detail: {} }, 'info'],
  ] as const)('gives %j the tone %s', (event, tone) => {
    expect(toneOfEvent(event)).toBe(tone);
  });
});

describe('event summaries', () => {
  it.each([
    ['verify.connectivity-test', 'fail: 11 tests, 2 failed (north-south-loadbalancing, bgp-control-plane-v2), 2 skipped; exit 1; 2 of 11 tests failed'],
    ['precheck.passed', '10 rules: 10 passed, 0 failed, 0 unknown'],
    ['plan.created', '3 operations (3 create)'],
    ['rollback.verified', '3 inverse steps applied and read back'],
    ['ticket.closed', 'jira ticket closed as unsuccessful'],
    ['lock.released', 'cluster#prod-a, fabric#dc1-aci'],
  ])('says what %s found in one line', (type, line) => {
    const event = rolledBack.events.find((e) => e.type === type);
    expect(event && summariseEvent(event)).toBe(line);
  });

  it('says behind which change and at which position a queued change waits', () => {
    const detail = { target: 'cluster#prod-a', behind: 'CHG0030001', position: 2, waiting: 3, since: '2026-11-23T10:00:00.000Z', until: '2026-11-23T12:00:00.000Z', round: 1 };
    expect(summariseEvent({ type: 'lock.queued', detail })).toBe('waiting behind CHG0030001 (position 2) for cluster#prod-a');
  });
});

describe('renderTimelinePage', () => {
  it('shows a refused change with each failed rule, its evidence and its fix, and says no plan was made', () => {
    const html = renderTimelinePage({ change: rejected.change, events: rejected.events, chain: { valid: true } });
    expect(html).toContain('<span class="badge big bad">REJECTED</span>');
    expect(html).toContain('<strong>fail</strong> aci.conflict.fabric-asn — the fabric&#39;s BGP AS is 65001; the spec gives aci.fabricAsn 65099');
    expect(html).toContain('fix: set aci.fabricAsn: 65001 in the spec');
    expect(html).toContain('No plan was recorded');
  });

  it('splits the plan into APIC and cluster lines with object totals, attributes under their object', () => {
    const html = renderTimelinePage({ change: rolledBack.change, events: rolledBack.events, diff: planOf(rolledBack.events), chain: { valid: true } });
    expect(html).toContain('<p class="totals"><span class="add">3 objects to add</span>, <span class="none">0 to change</span>, <span class="none">0 to destroy</span></p>');
    expect(html).toContain('<h3 class="target">APIC (1 line)</h3>');
    expect(html).toContain('<div class="add">+ cilium.io/v2/CiliumLoadBalancerIPPool/pool-green</div>');
    expect(html).toContain('<div class="add attr">spec.blocks: ∅ → [{&quot;cidr&quot;:&quot;10.0.12.0/24&quot;}]</div>');
  });

  it('counts objects and the operations carrying them in the CLI\'s words, both labelled (issue 19 item 7)', () => {
    const totals = { create: 2, modify: 1, delete: 0, restart: 1 };
    const diff = planOf(rolledBack.events);
    const html = renderTimelinePage({ change: rolledBack.change, events: rolledBack.events, diff, planTotals: totals, chain: { valid: true } });
    const line = /<p class="totals">(.*?)<\/p>/.exec(html)?.[1]?.replace(/<[^>]+>/g, '');
    expect(line).toBe(formatPlanTotals(objectTotalsOf(diff), totals));
    expect(line).toBe('3 objects to add, 0 to change, 0 to destroy, 1 to restart — in 4 operations (2 create, 1 modify, 1 restart)');
    // One object reads as English, as "1 peer" does (issue 19 item 7).
    const one = renderTimelinePage({ change: rolledBack.change, events: rolledBack.events, diff: diff.slice(0, 1), planTotals: { create: 1, modify: 0, delete: 0, restart: 0 }, chain: { valid: true } });
    expect(/<p class="totals">(.*?)<\/p>/.exec(one)?.[1]?.replace(/<[^>]+>/g, '')).toBe('1 object to add, 0 to change, 0 to destroy — in 1 operation (1 create)');
  });

  it('tells a plan-only change\'s reader that apply and verify were not meant to run', () => {
    const html = renderTimelinePage({ change: planned.change, events: planned.events, diff: planOf(planned.events), chain: { valid: true } });
    expect(html).toContain('<span class="badge big good">PLANNED</span>');
    expect(html.match(/<small>not run: plan only<\/small>/g)).toHaveLength(2);
    expect(html).toContain('+ uni/tn-k8s-prod-a/out-prod-a-l3out/instP-default_svc/extsubnet-[10.0.11.0/25]');
  });

  it('says so in red when the audit chain is broken', () => {
    const html = renderTimelinePage({ change: rolledBack.change, events: rolledBack.events, chain: { valid: false, firstBadSeq: 7 } });
    expect(html).toContain('<span class="badge bad">BROKEN at event #7</span>');
    expect(html).toContain('audit chain BROKEN');
  });

  it('shows the anchored verdict: matched, differs (with the anchor\'s message), or no anchor', () => {
    const head = { seq: 12, hash: 'a'.repeat(64), anchoredAt: '2026-12-03T07:14:16.000Z', key: 'heads/x/0000000012.json' };
    const matched = renderTimelinePage({ change: rolledBack.change, events: rolledBack.events, chain: { valid: true, anchor: { state: 'matched', anchor: '/data/audit-anchor', head } } });
    expect(matched).toMatch(/<dt>Anchor<\/dt><dd><span class="badge good">matches anchor<\/span> <span class="meta">seq 12 anchored /);
    const message = 'anchor 2026-12-03T07:14:16Z (heads/x/0000000012.json in /data/audit-anchor) says seq 12 hash aaaaaaaaaaaa…; the table ends at seq 9';
    const differs = renderTimelinePage({ change: rolledBack.change, events: rolledBack.events, chain: { valid: false, firstBadSeq: 10, anchor: { state: 'mismatch', anchor: '/data/audit-anchor', head, message } } });
    expect(differs).toContain(`<span class="badge bad">DIFFERS FROM ANCHOR</span> <span class="meta">${message}</span>`);
    const none = renderTimelinePage({ change: rolledBack.change, events: rolledBack.events, chain: { valid: true } });
    expect(none).toContain('<span class="badge warn">not anchored</span>');
  });

  it('escapes whatever the ticket and the events carry', () => {
    const change = { ...rolledBack.change, requestedBy: '<script>alert(1)</script>' };
    const events = rolledBack.events.map((e, i) => (i === 0 ? { ...e, actor: '<img src=x onerror=alert(1)>' } : e));
    const html = renderTimelinePage({ change, events, chain: { valid: true } });
    expect(html).not.toMatch(/<script>|<img/);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });
});
