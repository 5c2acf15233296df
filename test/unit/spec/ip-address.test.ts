import ipaddr from 'ipaddr.js';
import { describe, expect, it } from 'vitest';
import { IpAddress } from '../../../shared/spec/ip-address.js';

// shared/spec/ip-address.ts against ipaddr.js, which the product used before and the lab still
// uses: the same verdict, bytes, text, masks and containment for the same inputs, over hand-picked
// edge cases and a few thousand seeded random addresses.

/** ipaddr.js as the product used it: dotted quads only for IPv4, any valid IPv6. */
function reference(text: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) return ipaddr.parse(text);
  if (text.includes(':') && ipaddr.IPv6.isValid(text)) return ipaddr.parse(text);
  return undefined;
}

const edgeCases = [
  '0.0.0.0', '255.255.255.255', '10.0.10.7', '192.168.2.210', '1.1.1.101',
  '::', '::1', '1::', '2001:db8::1', '2001:DB8:0:0:8:800:200C:417A', '2001:db8:0:0:1:0:0:1', '2001:0:0:1::1',
  'fe80::1%eth0', '::ffff:192.168.1.1', '::192.168.1.1', '64:ff9b::10.0.0.1', '1:2:3:4:5:6:7:8', '0:0:0:0:0:0:0:0', '1:0:0:2:0:0:0:3',
  // refused by both
  '10.1', '10.0.0', '010.0.0.1', '10.0.0.256', '1.2.3.4.5', '0x0a.0.0.1', '', 'host', '2001:db8::1::2', '1:2:3:4:5:6:7:8:9',
  '12345::', ':::', '1.2.3.4/24', ' 10.0.0.1', '10.0.0.1 ', 'g::1',
];

function seeded(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

function randomAddresses(count: number): string[] {
  const rnd = seeded(18);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    if (i % 2 === 0) {
      out.push(Array.from({ length: 4 }, () => Math.floor(rnd() * 256)).join('.'));
    } else {
      // Groups often zero, so that `::` runs of every length and position come up.
      const groups = Array.from({ length: 8 }, () => (rnd() < 0.4 ? 0 : Math.floor(rnd() * 65536)));
      out.push(new ipaddr.IPv6(groups).toString());
      out.push(groups.map((g) => g.toString(16).padStart(4, '0')).join(':'));
    }
  }
  return out;
}

describe('IpAddress', () => {
  const inputs = [...edgeCases, ...randomAddresses(3000)];

  it('accepts and refuses what ipaddr.js does (dotted quads, valid IPv6)', () => {
    const disagree = inputs.filter((t) => (IpAddress.parse(t) === undefined) !== (reference(t) === undefined));
    expect(disagree).toEqual([]);
    expect(inputs.filter((t) => IpAddress.parse(t) !== undefined).length).toBeGreaterThan(3000);
  });

  it('gives the same family, bytes and canonical text', () => {
    for (const text of inputs) {
      const ours = IpAddress.parse(text);
      const theirs = reference(text);
      // The one divergence: ipaddr.js reads the deprecated IPv4-compatible `::a.b.c.d` as the
      // mapped `::ffff:a.b.c.d`; RFC 4291 §2.5.5.1 says its high 96 bits are zero.
      if (!ours || !theirs || /^::\d+\.\d+\.\d+\.\d+$/.test(text)) continue;
      expect({ text, kind: ours.kind(), bytes: ours.toByteArray(), string: ours.toString() }).toEqual({ text, kind: theirs.kind(), bytes: theirs.toByteArray(), string: theirs.toString() });
    }
    expect(IpAddress.parse('2001:DB8:0:0:1:0:0:1')?.toString()).toBe('2001:db8::1:0:0:1');
    expect(IpAddress.parse('fe80::1%eth0')?.toString()).toBe('fe80::1%eth0');
    expect(IpAddress.parse('::192.168.1.1')?.toString()).toBe('::c0a8:101');
    expect(IpAddress.parse('::ffff:192.168.1.1')?.toString()).toBe('::ffff:c0a8:101');
  });

  it('masks and matches prefixes as ipaddr.js does', () => {
    const rnd = seeded(7);
    const parsed = inputs.map((t) => IpAddress.parse(t)).filter((a): a is IpAddress => a !== undefined && a.zone === undefined);
    for (let i = 0; i + 1 < parsed.length; i += 2) {
      const a = parsed[i] as IpAddress;
      const bits = a.kind() === 'ipv4' ? 32 : 128;
      const length = Math.floor(rnd() * (bits + 1));
      const cidr = `${a.toString()}/${length}`;
      const network = a.kind() === 'ipv4' ? ipaddr.IPv4.networkAddressFromCIDR(cidr) : ipaddr.IPv6.networkAddressFromCIDR(cidr);
      expect(a.network(length).toString(), cidr).toBe(network.toString());
      if (a.kind() === 'ipv4') expect(a.last(length).toString(), cidr).toBe(ipaddr.IPv4.broadcastAddressFromCIDR(cidr).toString());
      const b = parsed[i + 1] as IpAddress;
      const theirs = ipaddr.parse(b.toString());
      const same = theirs.kind() === network.kind() && theirs.match(network, length);
      expect(b.match(a, length), `${b.toString()} in ${cidr}`).toBe(same);
      expect(a.match(a.network(length), length)).toBe(true);
    }
    expect(IpAddress.parse('10.0.10.7')?.match(IpAddress.parse('10.0.10.0') as IpAddress, 24)).toBe(true);
    expect(IpAddress.parse('10.0.11.7')?.match(IpAddress.parse('10.0.10.0') as IpAddress, 24)).toBe(false);
    expect(IpAddress.parse('::ffff:10.0.10.7')?.match(IpAddress.parse('10.0.10.0') as IpAddress, 0)).toBe(false);
  });
});
