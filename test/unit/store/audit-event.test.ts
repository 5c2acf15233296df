import { describe, expect, it } from 'vitest';
import { canonicalHash } from '../../../shared/canonical-json.js';
import { hashEvent, verifyChain, zeroHash, type AuditEvent } from '../../../shared/store/index.js';
import { sealEvent, type ChainLink } from '../../../shared/store/audit-event.js';

function chain(length: number): AuditEvent[] {
  const events: AuditEvent[] = [];
  for (let seq = 1; seq <= length; seq += 1) {
    events.push(
      sealEvent({
        changeId: 'c1',
        seq,
        at: `2026-11-03T10:00:0${seq}.000Z`,
        type: 'apply.aci.op',
        status: 'APPLYING',
        actor: 'agent',
        detail: { dn: `uni/tn-a/ap-${seq}`, z: 1, a: [2, 1] },
        prevHash: events[seq - 2]?.hash ?? zeroHash,
      }),
    );
  }
  return events;
}

const links = (events: AuditEvent[]): ChainLink[] => events.map((event) => ({ seq: event.seq, event }));

describe('audit hash chain', () => {
  it('hashes the canonical JSON of the event without its hash (key order does not matter)', () => {
    const [event] = chain(1);
    const { hash, ...rest } = event as AuditEvent;
    expect(hash).toBe(canonicalHash(rest));
    const reordered = Object.fromEntries(Object.entries(rest).reverse()) as typeof rest;
    expect(hashEvent(reordered)).toBe(hash);
    expect(rest.prevHash).toBe('0'.repeat(64));
  });

  it('accepts an intact chain and counts its events', () => {
    expect(verifyChain('c1', links(chain(4)))).toEqual({ changeId: 'c1', valid: true, events: 4 });
    expect(verifyChain('c1', [])).toEqual({ changeId: 'c1', valid: true, events: 0 });
  });

  const tamperings: Array<[string, (events: AuditEvent[]) => void, number]> = [
    ['an altered detail', (e) => void ((e[1] as AuditEvent).detail = { dn: 'uni/tn-b' }), 2],
    ['an altered actor on the first event', (e) => void ((e[0] as AuditEvent).actor = 'mallory'), 1],
    ['a re-sealed event that no longer links', (e) => void (e[2] = sealEvent({ ...(e[2] as AuditEvent), actor: 'x' })), 4],
    ['a wrong changeId', (e) => void ((e[3] as AuditEvent).changeId = 'c2'), 4],
  ];

  it.each(tamperings)('names the first bad event for %s', (_what, tamper, firstBadSeq) => {
    const events = chain(4);
    tamper(events);
    expect(verifyChain('c1', links(events))).toMatchObject({ valid: false, firstBadSeq, events: 4 });
  });

  it('names the first missing seq when the chain has a gap', () => {
    const events = chain(4);
    events.splice(1, 1);
    expect(verifyChain('c1', links(events))).toMatchObject({ valid: false, firstBadSeq: 2, problem: expect.stringMatching(/missing/) });
  });
});
