import type { AgentResult } from '../agent-protocol/index.js';
import { capacityCountValues, moCountOf } from '../aci/facts/capacity-counts.js';
import { vrfDn } from '../aci/model/dns.js';
import { parseAciFacts } from '../aci/facts/parse-facts.js';
import type { AciFacts } from '../aci/facts/aci-facts.js';
import { parseClusterFacts, type ClusterFacts } from '../cilium/facts/cluster-facts.js';
import { looksLikeCiliumStatus } from '../cilium/parsers/cilium-status.js';
import type { ChangeSpec } from '../spec/index.js';

// The facts of one change, whichever way they were captured: an agent's gather-facts answer, or
// files an operator saved (APIC imdata envelopes, `kubectl get -o json`, `cilium status -o json`).
// Documents are classified by their content, never by file name.

export interface ChangeFacts {
  readonly aci?: AciFacts;
  readonly cluster?: ClusterFacts;
}

export function factsFromAgentResult(result: AgentResult, spec: ChangeSpec): ChangeFacts {
  const mos: unknown[] = [];
  const objects: unknown[] = [];
  const countAnswers: Array<{ name: string; imdata: readonly unknown[] }> = [];
  let status: unknown;
  let sawAci = false;
  let sawCluster = false;
  for (const r of result.results) {
    if (r.type === 'aci.collect') {
      sawAci = true;
      for (const response of r.responses) {
        const count = response.name.startsWith('count:') ? moCountOf(response.imdata) : undefined;
        if (count !== undefined) countAnswers.push(response);
        else mos.push(...response.imdata);
      }
    } else if (r.type === 'cluster.collect') {
      sawCluster = true;
      objects.push(...r.objects);
      status = r.ciliumStatus;
    }
  }
  return {
    aci: sawAci && mos.length > 0 ? withCounts(parseAciFacts(mos, { tenant: spec.aci.tenant }), countAnswers, spec) : undefined,
    cluster: sawCluster && objects.length > 0 ? parseClusterFacts(objects, status) : undefined,
  };
}

/**
 * The agent reads scoped lists and asks the APIC for the fabric-wide counts: those answers carry
 * no DN, so they are filed by the query's name (shared/aci/facts/capacity-counts.ts) and replace
 * what the scoped lists alone would count. A count read only in a total over several is an upper
 * bound, and the facts say so (`atMost`).
 */
function withCounts(facts: AciFacts, answers: ReadonlyArray<{ name: string; imdata: readonly unknown[] }>, spec: ChangeSpec): AciFacts {
  const { values, atMost } = capacityCountValues(answers);
  const { extEpgsFabric: extEpgs, esgsPerVrf: esgs, ipSelectorsFabric: selectors } = values;
  return {
    ...facts,
    counts: {
      ...facts.counts,
      ...(extEpgs !== undefined ? { extEpgsFabric: extEpgs } : {}),
      ...(esgs !== undefined ? { esgsPerVrf: { ...facts.counts.esgsPerVrf, [vrfDn(spec.aci.tenant, spec.aci.vrf)]: esgs } } : {}),
      ...(selectors !== undefined ? { ipSelectorsFabric: selectors } : {}),
      ...(atMost.length > 0 ? { atMost } : {}),
    },
  };
}

export type CapturedKind = 'apic' | 'kubernetes' | 'cilium-status' | 'unknown';

export function classifyCaptured(doc: unknown): CapturedKind {
  if (Array.isArray(doc)) {
    const first: unknown = doc[0];
    if (first && typeof first === 'object' && !('apiVersion' in first) && !('kind' in first)) return 'apic';
    return doc.length === 0 ? 'unknown' : 'kubernetes';
  }
  if (!doc || typeof doc !== 'object') return 'unknown';
  if ('imdata' in doc) return 'apic';
  if (looksLikeCiliumStatus(doc)) return 'cilium-status';
  if ('apiVersion' in doc && 'kind' in doc) return 'kubernetes';
  return 'unknown';
}

/** Builds facts from captured documents; returns the names of documents it could not place. */
export function factsFromCaptured(docs: ReadonlyArray<{ name: string; content: unknown }>, spec: ChangeSpec): { facts: ChangeFacts; unplaced: string[] } {
  const mos: unknown[] = [];
  const objects: unknown[] = [];
  const unplaced: string[] = [];
  let status: unknown;
  for (const { name, content } of docs) {
    switch (classifyCaptured(content)) {
      case 'apic':
        mos.push(...(Array.isArray(content) ? content : ((content as { imdata: unknown[] }).imdata ?? [])));
        break;
      case 'kubernetes':
        objects.push(...(Array.isArray(content) ? content : [content]));
        break;
      case 'cilium-status':
        status = content;
        break;
      default:
        unplaced.push(name);
    }
  }
  return {
    facts: {
      aci: mos.length > 0 ? parseAciFacts(mos, { tenant: spec.aci.tenant }) : undefined,
      cluster: objects.length > 0 || status !== undefined ? parseClusterFacts(objects, status) : undefined,
    },
    unplaced,
  };
}
