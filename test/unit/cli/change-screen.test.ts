import { describe, expect, it } from 'vitest';
import { renderChangeScreen, whatIsNext } from '../../../cli/change-screen.js';
import type { AuditEvent, ChangeRecord, ChangeStatus } from '../../../shared/store/index.js';

const hash = (n: number) => String(n).padStart(64, '0');
const event = (seq: number, type: string, status: ChangeStatus): AuditEvent => ({
  changeId: 'chg-1', seq, at: `2026-12-03T10:00:0${seq}.000Z`, type, status, actor: 'changeflow-workflow', detail: {}, prevHash: hash(seq - 1), hash: hash(seq),
});
const change = (status: ChangeStatus): ChangeRecord => ({
  changeId: 'chg-1', status, mode: 'apply', source: 'cli', ticket: { system: 'servicenow', key: 'abc', number: 'CHG0030001' }, requestedBy: 'jane.doe',
  targets: { site: 'dc1', fabric: 'dc1-aci', cluster: 'prod-a' }, createdAt: '2026-12-03T10:00:00.000Z', updatedAt: '2026-12-03T10:00:09.000Z',
});

describe('changeflow status screen', () => {
  it('shows status, step, who, when and what is next for a running change', () => {
    const text = renderChangeScreen({ change: change('APPLYING'), events: [event(1, 'change.received', 'RECEIVED'), event(2, 'apply.aci.op', 'APPLYING')], final: false, api: 'http://api', now: Date.parse('2026-12-03T10:01:00Z') });
    expect(text).toContain('status   APPLYING\n');
    expect(text).toContain('step     apply.aci.op at 2026-12-03T10:00:02.000Z (event 2)');
    expect(text).toContain('who      jane.doe via cli; ticket servicenow CHG0030001');
    expect(text).toContain('(1m00s ago)');
    expect(text).toMatch(/next {5}verification .* any failure rolls both sides back/);
  });

  it('tells a person what to do after ROLLBACK_FAILED, with the unlock commands spelled as unlock takes them', () => {
    const next = whatIsNext(change('ROLLBACK_FAILED'), [event(5, 'rollback.failed', 'ROLLBACK_FAILED')], 'http://api');
    expect(next).toContain('event 5 rollback.failed');
    expect(next).toContain('changeflow unlock fabric:dc1-aci --reason');
    expect(next).toContain('changeflow unlock cluster:prod-a --reason');
    expect(next).toContain('docs/runbook.md');
  });

  it('says a final change needs nothing and links its timeline', () => {
    expect(whatIsNext(change('SUCCEEDED'), [], 'http://api')).toBe('nothing: the change is final. Its timeline: http://api/changes/chg-1');
  });
});
