import { IpAddress, type IpFamily } from './ip-address.js';

// Address arithmetic the spec checks need, on top of ip-address.ts. Pure and total: invalid input
// returns undefined instead of throwing, so zod refinements can word their own messages.

export { IpAddress, type IpFamily };

export interface Prefix {
  readonly family: IpFamily;
  readonly address: IpAddress;
  readonly length: number;
}

/** A dotted quad or an IPv6 address (no shorthand such as "10.1": network engineers mean dotted quads). */
export function parseHost(text: string): IpAddress | undefined {
  return IpAddress.parse(text);
}

/** Parses "a.b.c.d/len" (host bits allowed): an interface address with its mask. */
export function parseInterfaceAddress(text: string): Prefix | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const host = parseHost(text.slice(0, slash));
  const lenText = text.slice(slash + 1);
  if (!host || !/^\d{1,3}$/.test(lenText)) return undefined;
  const length = Number(lenText);
  const family: IpFamily = host.kind() === 'ipv4' ? 'ipv4' : 'ipv6';
  if (length > (family === 'ipv4' ? 32 : 128)) return undefined;
  return { family, address: host, length };
}

/** The network address of a prefix, e.g. 10.0.10.0 for 10.0.10.7/24. */
export function networkOf(prefix: Prefix): string {
  return prefix.address.network(prefix.length).toString();
}

/** Parses a network prefix; `aligned` is false when host bits are set (10.0.10.1/24). */
export function parseCidr(text: string): (Prefix & { aligned: boolean; network: string }) | undefined {
  const p = parseInterfaceAddress(text);
  if (!p) return undefined;
  const network = networkOf(p);
  return { ...p, network, aligned: network === p.address.toString() };
}

/** The IPv4 broadcast address of a prefix shorter than /31; undefined where there is none (IPv6, /31, /32). */
export function broadcastOf(prefix: Prefix): string | undefined {
  if (prefix.family !== 'ipv4' || prefix.length >= 31) return undefined;
  return prefix.address.last(prefix.length).toString();
}

export function contains(outer: Prefix, inner: IpAddress): boolean {
  return inner.match(outer.address, outer.length);
}

export function overlaps(a: Prefix, b: Prefix): boolean {
  if (a.family !== b.family) return false;
  return a.length <= b.length ? contains(a, b.address) : contains(b, a.address);
}
