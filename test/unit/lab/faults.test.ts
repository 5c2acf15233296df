import { describe, expect, it } from 'vitest';
import { FaultBook, parseFault } from '../../../local/lab/faults.js';

describe('fault specs', () => {
  it.each([
    ['apic.post=error@2', { component: 'apic', action: 'post', mode: 'error', nth: 2 }],
    ['apic.any=http503', { component: 'apic', action: 'any', mode: 'http503' }],
    ['agent.crash=apply.aci', { component: 'agent', action: 'crash', mode: 'apply.aci' }],
    ['apic.post', undefined],
    ['kubernetes.apply=conflict@1', { component: 'kubernetes', action: 'apply', mode: 'conflict', nth: 1 }],
  ])('parses %s', (text, expected) => {
    if (expected) expect(parseFault(text)).toEqual(expected);
    else expect(() => parseFault(text)).toThrow(/COMPONENT.ACTION=MODE/);
  });

  it('fires an @N fault only on the Nth call of that action', () => {
    const book = new FaultBook(['apic.post=error@2']);
    expect(book.take('apic', 'post')).toBeUndefined();
    expect(book.take('apic', 'get')).toBeUndefined();
    expect(book.take('apic', 'post')).toBe('error');
    expect(book.take('apic', 'post')).toBeUndefined();
  });

  it('fires an `any` fault on every action of the component', () => {
    const book = new FaultBook(['kubernetes.any=down']);
    expect(book.take('kubernetes', 'get')).toBe('down');
    expect(book.take('kubernetes', 'apply')).toBe('down');
    expect(book.take('apic', 'get')).toBeUndefined();
  });
});
