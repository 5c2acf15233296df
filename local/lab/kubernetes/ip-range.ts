import ipaddr from 'ipaddr.js';

// IP arithmetic for LB-IPAM pools and validation: addresses as bigints so IPv4 and IPv6 share code.
export interface IpRange {
  family: 4 | 6;
  first: bigint;
  last: bigint;
}

export function isIp(text: string): boolean {
  return ipaddr.IPv4.isValidFourPartDecimal(text) || ipaddr.IPv6.isValid(text);
}

export function isCidr(text: string): boolean {
  return ipaddr.IPv4.isValidCIDRFourPartDecimal(text) || ipaddr.IPv6.isValidCIDR(text);
}

function toBig(addr: ipaddr.IPv4 | ipaddr.IPv6): bigint {
  return addr.toByteArray().reduce((acc, b) => (acc << 8n) | BigInt(b), 0n);
}

export function ipToBig(text: string): { family: 4 | 6; value: bigint } {
  const addr = ipaddr.parse(text);
  return { family: addr.kind() === 'ipv4' ? 4 : 6, value: toBig(addr) };
}

export function bigToIp(value: bigint, family: 4 | 6): string {
  const bytes: number[] = [];
  let v = value;
  for (let i = 0; i < (family === 4 ? 4 : 16); i++) {
    bytes.unshift(Number(v & 0xffn));
    v >>= 8n;
  }
  return ipaddr.fromByteArray(bytes).toString();
}

/** A pool block as CiliumLoadBalancerIPPool spells it: `cidr`, or `start` with optional `stop`. */
export function blockRange(block: { cidr?: string; start?: string; stop?: string }, allowFirstLast: boolean): IpRange | undefined {
  if (block.cidr && isCidr(block.cidr)) {
    const [addr, bits] = ipaddr.parseCIDR(block.cidr);
    const family = addr.kind() === 'ipv4' ? 4 : 6;
    const width = family === 4 ? 32 : 128;
    const size = 1n << BigInt(width - bits);
    const first = (toBig(addr) / size) * size;
    let last = first + size - 1n;
    let start = first;
    // Cilium skips network and broadcast only when asked (allowFirstLastIPs: No) and never for /31, /32.
    if (!allowFirstLast && width - bits >= 2) {
      start += 1n;
      last -= 1n;
    }
    return { family, first: start, last };
  }
  if (block.start && isIp(block.start)) {
    const start = ipToBig(block.start);
    const stop = block.stop && isIp(block.stop) ? ipToBig(block.stop) : start;
    if (stop.family !== start.family || stop.value < start.value) return undefined;
    return { family: start.family, first: start.value, last: stop.value };
  }
  return undefined;
}

export function rangesOverlap(a: IpRange, b: IpRange): boolean {
  return a.family === b.family && a.first <= b.last && b.first <= a.last;
}

export function rangeSize(r: IpRange): bigint {
  return r.last - r.first + 1n;
}

export function inRange(r: IpRange, ip: string): boolean {
  if (!isIp(ip)) return false;
  const { family, value } = ipToBig(ip);
  return family === r.family && value >= r.first && value <= r.last;
}
