import { parseCidr, parseHost } from '../spec/addresses.js';

// LB-IPAM pool blocks as address ranges: a block is a CIDR or a start/stop pair (start alone is
// one address). Pools overlap when any two ranges share an address; LB-IPAM then marks both
// pools as conflicting and allocates from neither.

export interface AddressRange {
  readonly family: 'ipv4' | 'ipv6';
  readonly first: bigint;
  readonly last: bigint;
  readonly text: string;
}

export interface PoolBlock {
  readonly cidr?: string;
  readonly start?: string;
  readonly stop?: string;
}


export function rangeOfBlock(block: PoolBlock): AddressRange | undefined {
  if (block.cidr) {
    const p = parseCidr(block.cidr);
    if (!p) return undefined;
    const bits = p.family === 'ipv4' ? 32 : 128;
    const size = 1n << BigInt(bits - p.length);
    const first = (p.address.value / size) * size;
    return { family: p.family, first, last: first + size - 1n, text: block.cidr };
  }
  if (block.start) {
    const start = parseHost(block.start);
    const stop = block.stop ? parseHost(block.stop) : start;
    if (!start || !stop || start.kind() !== stop.kind()) return undefined;
    const text = block.stop ? `${block.start}-${block.stop}` : block.start;
    return { family: start.kind() === 'ipv4' ? 'ipv4' : 'ipv6', first: start.value, last: stop.value, text };
  }
  return undefined;
}

export function rangesOverlap(a: AddressRange, b: AddressRange): boolean {
  return a.family === b.family && a.first <= b.last && b.first <= a.last;
}

/**
 * How many addresses LB-IPAM may hand out from a block. With allowFirstLastIPs "No" the network
 * and broadcast addresses of CIDRs wider than /31 (/127) are held back.
 */
export function usableAddresses(block: PoolBlock, allowFirstLast: boolean): bigint {
  const range = rangeOfBlock(block);
  if (!range) return 0n;
  const size = range.last - range.first + 1n;
  return !allowFirstLast && block.cidr && size > 2n ? size - 2n : size;
}
