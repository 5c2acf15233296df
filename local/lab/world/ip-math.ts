import { contains, overlaps, parseHost, parseInterfaceAddress } from '../../../shared/spec/addresses.js';

// The three address questions the world asks: is this host inside that subnet, does that subnet
// cover this whole block, and what is the address part of "a.b.c.d/len". Total: bad input is false.

export function hostPart(address: string): string {
  const slash = address.indexOf('/');
  return slash < 0 ? address : address.slice(0, slash);
}

/** True when `ip` lies inside `prefix` ("192.168.2.0/24", or an interface address "192.168.2.1/24"). */
export function ipInPrefix(ip: string, prefix: string): boolean {
  const host = parseHost(hostPart(ip));
  const net = parseInterfaceAddress(prefix.includes('/') ? prefix : `${prefix}/${prefix.includes(':') ? 128 : 32}`);
  return host !== undefined && net !== undefined && contains(net, host);
}

/** True when every address of `inner` (a CIDR or a host) lies inside `outer`. */
export function prefixCovers(outer: string, inner: string): boolean {
  const o = parseInterfaceAddress(outer.includes('/') ? outer : `${outer}/${outer.includes(':') ? 128 : 32}`);
  const i = parseInterfaceAddress(inner.includes('/') ? inner : `${inner}/${inner.includes(':') ? 128 : 32}`);
  return o !== undefined && i !== undefined && o.length <= i.length && overlaps(o, i);
}
