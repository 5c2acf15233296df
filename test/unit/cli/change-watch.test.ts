import { describe, expect, it } from 'vitest';
import { eventLine, exitCodeForStatus, watchChange } from '../../../cli/change-watch.js';
import type { AuditEvent, ChangeRecord, ChangeStatus } from '../../../shared/store/index.js';
import { VirtualClock } from '../../support/virtual-clock.js';

const hash = (n: number) => String(n).padStart(64, '0');
function event(seq: number, type: string, status: ChangeStatus): AuditEvent {
  return { changeId: 'c-1', seq, at: `2026-11-23T10:00:0${seq}.000Z`, type, status, actor: 'changeflow-workflow', detail: {}, prevHash: hash(seq - 1), hash: hash(seq) };
}
function change(status: ChangeStatus, mode: 'apply' | 'plan-only' = 'apply'): ChangeRecord {
  return {
    changeId: 'c-1', status, mode, source: 'cli', ticket: { system: 'none', key: '' }, requestedBy: 'alice',
    targets: { site: 'dc1', fabric: 'dc1-aci', cluster: 'prod-a' }, createdAt: '2026-11-23T10:00:00.000Z', updatedAt: '2026-11-23T10:00:00.000Z',
  };
}

/** A fake API that walks through `script`, one entry per poll of the change. */
function fakeApi(script: Array<{ change?: ChangeRecord; events?: AuditEvent[] }>) {
  let poll = -1;
  const requested: string[] = [];
  const fetch = (async (url: string) => {
    requested.push(url);
    if (!url.endsWith('/events')) poll = Math.min(poll + 1, script.length - 1);
    const step = script[poll]!;
    if (!step.change) return new Response('{"error":{"code":"ChangeNotFound","message":"no"}}', { status: 404 });
    const body = url.endsWith('/events') ? { events: step.events ?? [] } : { change: step.change };
    return new Response(JSON.stringify(body), { status: 200 });
  }) as typeof globalThis.fetch;
  return { fetch, requested };
}

describe('watchChange', () => {
  it('waits through 404s, reports each new event once in seq order, and stops at a final status', async () => {
    const e1 = event(1, 'change.received', 'RECEIVED');
    const e2 = event(2, 'precheck.passed', 'PRECHECKING');
    const e3 = event(3, 'change.succeeded', 'SUCCEEDED');
    const api = fakeApi([{}, { change: change('RECEIVED'), events: [e1] }, { change: change('PRECHECKING'), events: [e2, e1] }, { change: change('SUCCEEDED'), events: [e1, e2, e3] }]);
    const seen: string[] = [];
    const clock = new VirtualClock(0);
    const result = await watchChange(
      { fetch: api.fetch, clock },
      { api: 'http://api/', changeId: 'c-1', intervalMs: 500, timeoutMs: 60_000, onEvent: (e) => seen.push(e.type) },
    );
    expect(seen).toEqual(['change.received', 'precheck.passed', 'change.succeeded']);
    expect(result).toMatchObject({ kind: 'final', change: { status: 'SUCCEEDED' } });
    expect(api.requested[0]).toBe('http://api/changes/c-1');
    expect(clock.waits).toEqual([500, 500, 500]);
  });

  it('treats PLANNED as final only for a plan-only change', async () => {
    const api = fakeApi([{ change: change('PLANNED', 'plan-only'), events: [] }]);
    const result = await watchChange(
      { fetch: api.fetch, clock: new VirtualClock(0) },
      { api: 'http://api', changeId: 'c-1', intervalMs: 1, timeoutMs: 10, onEvent: () => undefined },
    );
    expect(result.kind).toBe('final');
  });

  it('with untilClosed, a plan-only PLANNED change ends only once its change.planned event is in the trail (a drift check records its drift before it)', async () => {
    const plan = event(1, 'plan.created', 'PLANNED');
    const drift = { ...event(2, 'drift.clear', 'PLANNED'), status: undefined };
    const closed = event(3, 'change.planned', 'PLANNED');
    const api = fakeApi([{ change: change('PLANNED', 'plan-only'), events: [plan] }, { change: change('PLANNED', 'plan-only'), events: [plan, drift, closed] }]);
    const clock = new VirtualClock(0);
    const result = await watchChange({ fetch: api.fetch, clock }, { api: 'http://api', changeId: 'c-1', intervalMs: 500, timeoutMs: 10_000, untilClosed: true, onEvent: () => undefined });
    expect(result).toMatchObject({ kind: 'final', events: [{ type: 'plan.created' }, { type: 'drift.clear' }, { type: 'change.planned' }] });
    expect(clock.waits).toEqual([500]);
  });

  it('gives up at the deadline with what it knows', async () => {
    const api = fakeApi([{ change: change('APPLYING'), events: [] }]);
    const clock = new VirtualClock(0);
    const result = await watchChange(
      { fetch: api.fetch, clock },
      { api: 'http://api', changeId: 'c-1', intervalMs: 1000, timeoutMs: 3000, onEvent: () => undefined },
    );
    expect(result).toMatchObject({ kind: 'timeout', change: { status: 'APPLYING' } });
    expect(clock.waited).toBe(3000);
  });
});

describe('exit codes and event lines', () => {
  it.for<[ChangeStatus, number]>([
    ['SUCCEEDED', 0], ['PLANNED', 0], ['REJECTED', 2], ['FAILED', 1], ['ROLLED_BACK', 1], ['ROLLBACK_FAILED', 5],
  ])('%s → %i', ([status, code]) => {
    expect(exitCodeForStatus(status)).toBe(code);
  });

  it('prints elapsed seconds, type, status and actor in columns', () => {
    expect(eventLine(event(2, 'precheck.passed', 'PRECHECKING'), 12_345)).toBe('[ 12.3s] precheck.passed          PRECHECKING   changeflow-workflow');
  });

  it('says behind which change and at which position a queued change waits (submit --wait, watch)', () => {
    const queued = { ...event(2, 'lock.queued', 'RECEIVED'), detail: { target: 'fabric#dc1-aci', behind: 'CHG0030001', position: 3 } };
    expect(eventLine(queued, 1_000)).toBe('[  1.0s] lock.queued              RECEIVED      changeflow-workflow · waiting behind CHG0030001 (position 3) for fabric#dc1-aci');
  });
});
