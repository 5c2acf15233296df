import type { L2Announcement } from './schema.js';

function labels(selector: Readonly<Record<string, string>>): string {
  const pairs = Object.entries(selector).map(([k, v]) => `${k}=${v}`);
  return pairs.length > 0 ? pairs.join(',') : 'all';
}

/** `l2-red services color=red from nodes all on ^eth[0-9]+ (loadBalancerIPs)`. */
export function describeL2Announcement(change: L2Announcement): string {
  const what = [change.loadBalancerIPs ? 'loadBalancerIPs' : '', change.externalIPs ? 'externalIPs' : ''].filter(Boolean);
  const on = change.interfaces.length > 0 ? ` on ${change.interfaces.join(',')}` : '';
  return `${change.name} services ${labels(change.serviceSelector)} from nodes ${labels(change.nodeSelector)}${on} (${what.join(', ')})`;
}
