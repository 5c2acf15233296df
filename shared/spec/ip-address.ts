import { isIPv4, isIPv6 } from 'node:net';

// IP addresses as the spec checks need them: parsed strictly, compared and masked as integers,
// printed in one canonical form. Node validates the text (node:net, the same checks its sockets
// use); this module only turns a valid address into its 32 or 128 bits and back. It replaces
// ipaddr.js in what ships — 13 KB of every Lambda bundle for the handful of operations here —
// and test/unit/spec/ip-address.test.ts holds it to ipaddr.js (which the lab still uses) on the
// same inputs, so the two cannot drift.

export type IpFamily = 'ipv4' | 'ipv6';

const bitsOf = { ipv4: 32, ipv6: 128 } as const;

export class IpAddress {
  private constructor(
    readonly family: IpFamily,
    /** The address as an unsigned integer of 32 or 128 bits. */
    readonly value: bigint,
    /** An IPv6 zone (RFC 4007, `fe80::1%eth0`): printed, never compared. */
    readonly zone: string | undefined,
  ) {}

  /**
   * A dotted quad (four decimal parts, no leading zeros: network engineers mean 10.0.0.1, not
   * the "10.1" or "012.0.0.1" shorthands inet_aton takes) or an IPv6 address; else undefined.
   */
  static parse(text: string): IpAddress | undefined {
    if (isIPv4(text)) return new IpAddress('ipv4', text.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n), undefined);
    if (!isIPv6(text)) return undefined;
    const percent = text.indexOf('%');
    const address = percent < 0 ? text : text.slice(0, percent);
    return new IpAddress('ipv6', ipv6Value(address), percent < 0 ? undefined : text.slice(percent + 1));
  }

  kind(): IpFamily {
    return this.family;
  }

  /** The address's bytes, most significant first (4 or 16). */
  toByteArray(): number[] {
    const count = bitsOf[this.family] / 8;
    return Array.from({ length: count }, (_, i) => Number((this.value >> BigInt(8 * (count - 1 - i))) & 0xffn));
  }

  /** Is this address inside `network`/`length`? Never across families. */
  match(network: IpAddress, length: number): boolean {
    if (network.family !== this.family) return false;
    const shift = BigInt(bitsOf[this.family] - length);
    return this.value >> shift === network.value >> shift;
  }

  /** The first address of the prefix of `length` bits this address is in. */
  network(length: number): IpAddress {
    const shift = BigInt(bitsOf[this.family] - length);
    return new IpAddress(this.family, (this.value >> shift) << shift, undefined);
  }

  /** The last address of the prefix of `length` bits this address is in. */
  last(length: number): IpAddress {
    const host = (1n << BigInt(bitsOf[this.family] - length)) - 1n;
    return new IpAddress(this.family, this.value | host, undefined);
  }

  /** Dotted quad, or RFC 5952 (lower case, no leading zeros, the longest run of zero groups as `::`). */
  toString(): string {
    if (this.family === 'ipv4') return this.toByteArray().join('.');
    const groups = Array.from({ length: 8 }, (_, i) => Number((this.value >> BigInt(16 * (7 - i))) & 0xffffn));
    const run = longestZeroRun(groups);
    const hex = (gs: number[]) => gs.map((g) => g.toString(16)).join(':');
    const text = run ? `${hex(groups.slice(0, run.start))}::${hex(groups.slice(run.start + run.length))}` : hex(groups);
    return this.zone === undefined ? text : `${text}%${this.zone}`;
  }
}

/** The 128 bits of an address node:net already accepted: `::` expanded, an IPv4 tail as two groups. */
function ipv6Value(address: string): bigint {
  let text = address;
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  if (tail.includes('.')) {
    const [a = 0, b = 0, c = 0, d = 0] = tail.split('.').map(Number);
    text = `${text.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const gap = text.indexOf('::');
  const split = (part: string) => (part === '' ? [] : part.split(':'));
  const left = split(gap < 0 ? text : text.slice(0, gap));
  const right = gap < 0 ? [] : split(text.slice(gap + 2));
  const groups = gap < 0 ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return groups.reduce((acc, group) => (acc << 16n) | BigInt(parseInt(group, 16)), 0n);
}

/** RFC 5952 §4.2: the longest run of two or more zero groups, the first of equal runs. */
function longestZeroRun(groups: readonly number[]): { start: number; length: number } | undefined {
  let best: { start: number; length: number } | undefined;
  for (let i = 0; i < groups.length; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < groups.length && groups[j] === 0) j++;
    if (j - i >= 2 && (!best || j - i > best.length)) best = { start: i, length: j - i };
    i = j;
  }
  return best;
}
