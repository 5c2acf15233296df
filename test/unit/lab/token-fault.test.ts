import { describe, expect, it } from 'vitest';
import { ApicLabState } from '../../../local/lab/apic/state.js';
import { FaultBook } from '../../../local/lab/faults.js';

// apic.token=expire@N set at run time (POST /_lab/faults, FaultBook.add after clear) must count
// authenticated requests from that moment, as every other @N fault does — not from lab start.

const labState = (faults: FaultBook) =>
  new ApicLabState({ faults, username: 'admin', password: 'pw', tokenTtlSeconds: 600, latencyMs: 0, backupDelayMs: 0 });

describe('apic.token=expire@N', () => {
  it('counts authenticated requests from when the fault was set, not from lab start', () => {
    const faults = new FaultBook();
    const state = labState(faults);
    for (let i = 0; i < 5; i++) expect(state.tokenFaultFires()).toBe(false);
    faults.clear();
    faults.add('apic.token=expire@2');
    expect([state.tokenFaultFires(), state.tokenFaultFires(), state.tokenFaultFires()]).toEqual([false, true, false]);
  });

  it('fires on the Nth request of a fault given at start', () => {
    const state = labState(new FaultBook(['apic.token=expire@3']));
    expect([1, 2, 3, 4].map(() => state.tokenFaultFires())).toEqual([false, false, true, false]);
  });

  it('does not shift the count of apic.any faults (a token check is part of a call, not a call)', () => {
    const faults = new FaultBook(['apic.any=http503@2']);
    expect(faults.take('apic', 'get')).toBeUndefined();
    expect(faults.takeCheck('apic', 'token')).toBeUndefined();
    expect(faults.take('apic', 'get')).toBe('http503');
  });
});
