import { describe, expect, it } from 'vitest';
import { canTransition, ChangeStatus, isFinalStatus, statusTransitions } from '../../../shared/store/index.js';

describe('change status transitions', () => {
  it.each([
    ['RECEIVED', 'PRECHECKING', true],
    ['RECEIVED', 'REJECTED', true],
    ['PRECHECKING', 'PLANNED', true],
    ['PLANNED', 'APPLYING', true],
    ['PLANNED', 'REJECTED', true],
    ['APPLYING', 'VERIFYING', true],
    ['APPLYING', 'ROLLING_BACK', true],
    ['APPLYING', 'FAILED', false],
    ['VERIFYING', 'SUCCEEDED', true],
    ['VERIFYING', 'FAILED', false],
    ['ROLLING_BACK', 'ROLLBACK_FAILED', true],
    ['SUCCEEDED', 'APPLYING', false],
    ['ROLLED_BACK', 'RECEIVED', false],
    ['RECEIVED', 'APPLYING', false],
  ] as const)('%s → %s allowed: %s', (from, to, allowed) => {
    expect(canTransition(from, to)).toBe(allowed);
  });

  it('gives every status an entry and lets no terminal status move', () => {
    expect(Object.keys(statusTransitions).sort()).toEqual([...ChangeStatus.options].sort());
    for (const terminal of ['SUCCEEDED', 'REJECTED', 'FAILED', 'ROLLED_BACK', 'ROLLBACK_FAILED'] as const) {
      expect(statusTransitions[terminal]).toEqual([]);
    }
  });

  it('treats PLANNED as final only for a plan-only change', () => {
    expect(isFinalStatus('PLANNED', 'plan-only')).toBe(true);
    expect(isFinalStatus('PLANNED', 'apply')).toBe(false);
    expect(isFinalStatus('ROLLED_BACK', 'apply')).toBe(true);
  });
});
