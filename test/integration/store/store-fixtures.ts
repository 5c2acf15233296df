import type { NewChange } from '../../../shared/store/index.js';

/** A clock that starts at a fixed time and moves only when told to (or by `step` per reading). */
export function testClock(startIso = '2026-11-03T10:00:00.000Z', stepMs = 0) {
  let ms = Date.parse(startIso);
  return {
    now: () => {
      const at = new Date(ms);
      ms += stepMs;
      return at;
    },
    advance: (byMs: number) => {
      ms += byMs;
    },
    set: (iso: string) => {
      ms = Date.parse(iso);
    },
  };
}

export function newChange(changeId: string, overrides: Partial<NewChange> = {}): NewChange {
  return {
    changeId,
    ticket: { system: 'servicenow', key: `CHG-${changeId}`, number: `CHG-${changeId}`, revision: 1 },
    source: 'servicenow',
    targets: { site: 'dc1', fabric: 'dc1-aci', cluster: 'prod-a' },
    requestedBy: 'alice',
    mode: 'apply',
    ...overrides,
  };
}
