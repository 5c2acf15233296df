import { describe, expect, it } from 'vitest';
import { FilterSyntaxError, matches, parseFilter, validateFilter } from '../../../local/lab/apic/filter.js';
import type { Mo } from '../../../local/lab/apic/mit.js';

const peer: Mo = {
  className: 'bgpPeerEntry',
  dn: 'topology/pod-1/node-101/sys/bgp/inst/dom-t:v/peer-[192.168.2.0/24]/ent-[192.168.2.11]',
  attrs: { addr: '192.168.2.11', operSt: 'idle', connAttempts: '12', flags: 'bfd,dyn' },
  modTs: '',
};

describe('query-target-filter', () => {
  it.each([
    ['eq(bgpPeerEntry.operSt,"idle")', true],
    ['ne(bgpPeerEntry.operSt,"established")', true],
    ['eq(bgpPeerEntry.operSt,"established")', false],
    ['eq(fvTenant.name,"idle")', false],
    ['and(eq(bgpPeerEntry.operSt,"idle"),eq(bgpPeerEntry.addr,"192.168.2.11"))', true],
    ['or(eq(bgpPeerEntry.operSt,"established"),eq(bgpPeerEntry.addr,"192.168.2.11"))', true],
    ['not(eq(bgpPeerEntry.operSt,"idle"))', false],
    ['wcard(bgpPeerEntry.dn,"node-101/")', true],
    ['wcard(bgpPeerEntry.dn,"node-102/")', false],
    ['gt(bgpPeerEntry.connAttempts,"9")', true],
    ['lt(bgpPeerEntry.connAttempts,"9")', false],
    ['bw(bgpPeerEntry.connAttempts,"10","20")', true],
    ['anybit(bgpPeerEntry.flags,"bfd")', true],
    ['allbits(bgpPeerEntry.flags,"bfd,gr")', false],
    ['xor(eq(bgpPeerEntry.operSt,"idle"),eq(bgpPeerEntry.addr,"192.168.2.11"))', false],
    ['true()', true],
  ])('%s → %s', (filter, expected) => {
    const expr = parseFilter(filter);
    validateFilter(expr);
    expect(matches(expr, peer)).toBe(expected);
  });

  it.each(['eq(bgpPeerEntry.operSt,"idle"', 'eq bgpPeerEntry', 'frob(bgpPeerEntry.operSt,"x")', 'eq(a.b,"x") junk'])(
    'rejects the malformed filter %s',
    (filter) => {
      expect(() => validateFilter(parseFilter(filter))).toThrow(FilterSyntaxError);
    },
  );
});
