import * as z from '../../zod.js';
import type { ApicQuery } from '../../agent-protocol/index.js';
import type { ChangeSpec } from '../../spec/index.js';
import { tenantDn } from '../model/dns.js';
import { aciLimits } from '../prechecks/limits.js';
import { CapacityCountKey } from './aci-facts.js';
import { and, ofType, or, q, within } from './query-terms.js';

// The capacity rules' fabric-wide counts in as few APIC requests as the answers allow (issue 14
// part 3). An APIC answers `rsp-subtree-include=count` with one total, however many classes the
// query lists. The counts of different classes are disjoint, so one total over all of them bounds
// each: when total + the most this spec can add is within every limit, that one request decides
// every rule. Only a count whose bound does not decide its rule is asked exactly, in the
// follow-up round the topology query needs anyway. It is never derived by subtracting
// the others: they are read later than the total, so a subtraction could undercount.

interface CapacityCount {
  readonly key: CapacityCountKey;
  readonly className: string;
  /** The query-target-filter term that picks what the rule counts among the class's MOs. */
  readonly term: string;
  readonly limit: number;
  /** The most objects of this count the spec can create (everything it names, as if new). */
  readonly maxAdds: number;
}

/** The counts this spec's capacity rules read: external EPGs for a pool; ESGs and IP selectors for an egress. */
function capacityCounts(spec: ChangeSpec): CapacityCount[] {
  const pools = ofType(spec, 'loadBalancerPool');
  const egress = ofType(spec, 'egressGateway');
  const out: CapacityCount[] = [];
  if (pools.length > 0) {
    out.push({
      key: 'extEpgsFabric', className: 'l3extInstP', term: within('l3extInstP', 'uni/'),
      limit: aciLimits.extEpgsFabric, maxAdds: new Set(pools.map((p) => p.externalEpg)).size,
    });
  }
  if (egress.length > 0) {
    out.push({
      key: 'esgsPerVrf', className: 'fvRsScope',
      term: and([`eq(fvRsScope.tnFvCtxName,${q(spec.aci.vrf)})`, within('fvRsScope', `${tenantDn(spec.aci.tenant)}/`)]),
      limit: aciLimits.esgsPerVrf, maxAdds: new Set(egress.map((e) => `${e.esg.applicationProfile}/${e.esg.name}`)).size,
    });
    out.push({
      // wcard is a regular expression on the APIC: '^ip' counts what the parser counts (startsWith('ip')).
      key: 'ipSelectorsFabric', className: 'fvEPSelector', term: `wcard(fvEPSelector.matchExpression,${q('^ip')})`,
      limit: aciLimits.ipSelectorsPerLeaf, maxAdds: new Set(egress.map((e) => e.egressIp)).size,
    });
  }
  return out;
}

const prefix = 'count:';

/** The name a count answer is filed under: `count:` and the keys it totals, joined by `+`. */
const countName = (keys: readonly CapacityCountKey[]): string => `${prefix}${keys.join('+')}`;

function countQuery(counts: readonly CapacityCount[]): ApicQuery {
  return {
    name: countName(counts.map((c) => c.key)), path: '/api/mo/uni.json',
    query: {
      'query-target': 'subtree', 'target-subtree-class': counts.map((c) => c.className).join(','),
      'query-target-filter': or(counts.map((c) => c.term)), 'rsp-subtree-include': 'count',
    },
  };
}

/** The first round: one total over every count the spec's rules read (none when they read none). */
export function capacityTotalQuery(spec: ChangeSpec): ApicQuery[] {
  const counts = capacityCounts(spec);
  return counts.length === 0 ? [] : [countQuery(counts)];
}

/** `rsp-subtree-include=count` answers `[{moCount: {attributes: {count: "N"}}}]`. */
export function moCountOf(imdata: readonly unknown[]): number | undefined {
  const parsed = MoCountAnswer.safeParse(imdata);
  return parsed.success ? Number(parsed.data[0].moCount.attributes.count) : undefined;
}
const MoCountAnswer = z.tuple([z.object({ moCount: z.object({ attributes: z.object({ count: z.string().check(z.regex(/^\d+$/)) }) }) })]);

interface Answer {
  readonly name: string;
  readonly imdata: readonly unknown[];
}

/** The follow-up round: an exact count for each count whose bound (the total) does not decide its rule. */
export function exactCountQueries(spec: ChangeSpec, answers: readonly Answer[]): ApicQuery[] {
  const counts = capacityCounts(spec);
  if (counts.length < 2) return [];
  const answer = answers.find((a) => a.name === countName(counts.map((c) => c.key)));
  const total = answer ? moCountOf(answer.imdata) : undefined;
  return counts.filter((c) => total === undefined || total + c.maxAdds > c.limit).map((c) => countQuery([c]));
}

export interface CapacityCountValues {
  readonly values: Partial<Record<CapacityCountKey, number>>;
  /** The keys whose value is the total over several counts: an upper bound, not the count. */
  readonly atMost: CapacityCountKey[];
}

const isKey = (k: string): k is CapacityCountKey => CapacityCountKey.safeParse(k).success;

/** Each count from the answers: exact where it was counted alone, else bounded by the smallest total that covers it. */
export function capacityCountValues(answers: readonly Answer[]): CapacityCountValues {
  const exact = new Map<CapacityCountKey, number>();
  const bound = new Map<CapacityCountKey, number>();
  for (const a of answers) {
    if (!a.name.startsWith(prefix)) continue;
    const keys = a.name.slice(prefix.length).split('+');
    const n = moCountOf(a.imdata);
    if (n === undefined || !keys.every(isKey)) continue;
    for (const k of keys) {
      if (keys.length === 1) exact.set(k, n);
      else bound.set(k, Math.min(n, bound.get(k) ?? Number.POSITIVE_INFINITY));
    }
  }
  const values: Partial<Record<CapacityCountKey, number>> = Object.fromEntries([...bound, ...exact]);
  return { values, atMost: [...bound.keys()].filter((k) => !exact.has(k)) };
}
