import { afterAll, describe, expect, it } from 'vitest';
import { agentOption } from '../../../shared/cilium/release/agent-options.js';
import { isAtLeast } from '../../../shared/cilium/version.js';
import { ciliumConfigKeys } from '../../../shared/spec/cilium-config-keys.js';
import type { ChangeSpec } from '../../../shared/spec/index.js';
import { crdReleases, loadReleaseCrds, type ReleaseCrds } from '../../support/cilium-crds.js';
import { loadOptionTable, optionProblem } from '../../support/cilium-config-options.js';
import { bgpChange, configChange, egressChange, l2Change, poolChange, specWith } from './cluster-fixtures.js';
import { plannedObjects, type PlannedObject } from './planned-objects.js';

// Every object the planner can produce, on every release in ../shared/reference/cilium-crds,
// judged against that release's real CRD (test/support/cilium-crds.ts) and every cilium-config
// key/value against that release's agent option table. A case a release cannot take must be
// refused by a precheck that names the release; the refusals are listed below, explicitly.

const releases = crdReleases();
const options = loadOptionTable();

/** cilium-config as a Helm install of the release writes it, with every feature changeflow uses on. */
function baseConfig(release: string): Record<string, string> {
  const egressKeys: Record<string, string> = isAtLeast(release, '1.19') ? { 'enable-egress-gateway': 'true' } : isAtLeast(release, '1.18') ? { 'enable-egress-gateway': 'true', 'enable-ipv4-egress-gateway': 'true' } : { 'enable-ipv4-egress-gateway': 'true' };
  return {
    'enable-bgp-control-plane': 'true',
    ...(isAtLeast(release, '1.17') ? { 'enable-bgp-control-plane-status-report': 'true' } : {}),
    'enable-l2-announcements': 'true',
    'kube-proxy-replacement': 'true',
    'enable-bpf-masquerade': 'true',
    'enable-ipv4-masquerade': 'true',
    'identity-allocation-mode': 'crd',
    'routing-mode': 'native',
    ipam: 'kubernetes',
    ...egressKeys,
  };
}

// Edge-length names: a 253-character DNS subdomain, a 63-character namespace and label value, a
// 64-character APIC name full of the characters Kubernetes names refuse.
const longName = `${`${'a'.repeat(62)}b.`.repeat(3)}${'c'.repeat(61)}`;
const longLabel = 'v'.repeat(63);
const longKey = `k8s.example.com/${'k'.repeat(63)}`;
const awkwardL3out = `Prod_A:.-L3out..x_${'Z'.repeat(45)}`;

const v6Peering = {
  ...bgpChange,
  peeringSubnet: '2001:db8:2::/64',
  floatingIp: '2001:db8:2::fe/64',
  anchors: [
    { nodeId: 101, pod: 1, routerId: '1.1.1.101', address: '2001:db8:2::1/64' },
    { nodeId: 102, pod: 1, routerId: '1.1.1.102', address: '2001:db8:2::2/64' },
  ],
};

interface Case {
  readonly name: string;
  readonly changes: unknown[];
  /** The prechecks that refuse the case on a release, naming it (none: every object must be valid). */
  readonly refusedBy?: (release: string) => string[];
  /** A variant applied first, so the case's plan modifies objects. */
  readonly before?: unknown[];
  readonly aci?: Record<string, unknown>;
}

const bgpV2 = (release: string) => (isAtLeast(release, '1.16') ? [] : ['cluster.version.bgp-v2']);
const lbIpam = (release: string) => (isAtLeast(release, '1.15') ? [] : ['cluster.version.lb-ipam']);
const v6Egress = (release: string) => (isAtLeast(release, '1.20') ? [] : ['cluster.egress.address-family']);

const cases: Case[] = [
  { name: 'onboarding (peering, IPv4 pool, egress)', refusedBy: (r) => [...bgpV2(r), ...lbIpam(r)], changes: [bgpChange, poolChange, egressChange], before: [{ ...bgpChange, clusterAsn: 64513 }, { ...poolChange, blocks: ['10.0.20.0/24'] }, { ...egressChange, egressIp: '192.168.3.201' }] },
  { name: 'peering without node selector, custom timers, no graceful restart', refusedBy: bgpV2, changes: [{ ...bgpChange, nodeSelector: {}, gracefulRestart: false, timers: { holdTimeSeconds: 9, keepAliveTimeSeconds: 3, connectRetryTimeSeconds: 5 } }] },
  { name: 'peering with an awkward 64-character L3Out name', refusedBy: bgpV2, changes: [bgpChange], aci: { l3out: awkwardL3out } },
  { name: 'IPv6 peering', refusedBy: bgpV2, changes: [v6Peering] },
  { name: 'IPv4 peering advertising an IPv6 pool', refusedBy: (r) => [...bgpV2(r), ...lbIpam(r)], changes: [bgpChange, { ...poolChange, name: 'pool-v6', blocks: ['2001:db8:10::/120'] }] },
  { name: 'dual-stack pool', refusedBy: lbIpam, changes: [{ ...poolChange, blocks: ['10.0.10.0/24', '2001:db8:10::/120'], allowFirstLastIPs: true }] },
  { name: 'pool with a 253-character name and no selector', refusedBy: lbIpam, changes: [{ ...poolChange, name: longName, serviceSelector: {}, allowFirstLastIPs: false }] },
  { name: 'pool with edge-length labels', refusedBy: lbIpam, changes: [{ ...poolChange, serviceSelector: { [longKey]: longLabel } }] },
  { name: 'egress with excluded CIDRs and edge-length names', changes: [{ ...egressChange, name: longName, namespace: 'n'.repeat(63), podSelector: { [longKey]: longLabel }, excludedCidrs: ['10.10.10.128/25'] }] },
  { name: 'IPv6 egress', refusedBy: v6Egress, changes: [{ ...egressChange, egressIp: '2001:db8:2::c8', destinationCidrs: ['2001:db8:100::/64'] }] },
  { name: 'IPv4 egress IP to IPv6 destinations', refusedBy: () => ['cluster.egress.address-family'], changes: [{ ...egressChange, destinationCidrs: ['2001:db8:100::/64'] }] },
  { name: 'L2 announcement', changes: [l2Change], before: [{ ...l2Change, interfaces: ['^bond0$'] }] },
  { name: 'L2 announcement on every interface, external IPs, no selectors, 253-character name', changes: [{ ...l2Change, name: longName, interfaces: [], externalIPs: true, serviceSelector: {}, nodeSelector: {} }] },
  { name: 'cilium-config (maglev, dsr)', changes: [configChange] },
];

// Every value changeflow lets a spec write, key by key (enumerated values, or the example of a pattern).
for (const [key, rule] of Object.entries(ciliumConfigKeys)) {
  const values = Array.isArray(rule.values) ? (rule.values as readonly string[]) : [(rule.values as { example: string }).example];
  for (const value of values) {
    cases.push({
      name: `cilium-config ${key}=${value}`,
      changes: [{ type: 'ciliumConfig', settings: { [key]: value }, restart: 'rolling' }],
      // The release's option table says which releases take the key and value.
      refusedBy: (release) => (optionProblem(options.find((o) => o.release === release && o.key === key), key, value) ? ['cluster.config.release-options'] : []),
    });
  }
}

function specOf(changes: unknown[], aci?: Record<string, unknown>): ChangeSpec {
  const spec = specWith(changes);
  return aci ? { ...spec, aci: { ...spec.aci, ...aci } } : spec;
}

const counts = new Map<string, { objects: number; configValues: number; refused: number }>();
const celRules = new Map<string, { evaluated: number; skipped: string[] }>();
const refusals: string[] = [];

function validateObject(crds: ReleaseCrds, release: string, planned: PlannedObject): string[] {
  const { object } = planned;
  if (object.apiVersion === 'v1' && object.kind === 'ConfigMap') {
    const data = (object as { data?: Record<string, unknown> }).data ?? {};
    const problems: string[] = [];
    for (const [key, value] of Object.entries(data)) {
      if (typeof value !== 'string') problems.push(`data.${key} is not a string`);
      else if (key !== 'ipam' || value !== 'kubernetes') {
        const p = optionProblem(options.find((o) => o.release === release && o.key === key), key, value);
        if (p) problems.push(p);
      }
    }
    const c = counts.get(release);
    if (c) c.configValues += Object.keys(data).length;
    return problems;
  }
  const crd = crds.find(object.apiVersion, object.kind);
  if (!crd) return [`Cilium ${release} has no CRD serving ${object.apiVersion} ${object.kind}`];
  if (!crd.served) return [`${object.apiVersion} ${object.kind} is not served by Cilium ${release}`];
  return crd.validate(object);
}

/**
 * Beyond the schema: a PeerConfig advertises a pool's addresses only in the families it lists, so
 * every planned PeerConfig must list the family of every planned pool's blocks.
 */
function unadvertisedFamilies(objects: PlannedObject[]): string[] {
  const desired = objects.filter((o) => o.origin.startsWith('desired by'));
  const peerFamilies = desired
    .filter((o) => o.object.kind === 'CiliumBGPPeerConfig')
    .map((o) => ((o.object as { spec?: { families?: Array<{ afi: string }> } }).spec?.families ?? []).map((f) => f.afi));
  if (peerFamilies.length === 0) return [];
  const poolFamilies = desired
    .filter((o) => o.object.kind === 'CiliumLoadBalancerIPPool')
    .flatMap((o) => ((o.object as { spec?: { blocks?: Array<{ cidr?: string }> } }).spec?.blocks ?? []).map((b) => (b.cidr?.includes(':') ? 'ipv6' : 'ipv4')));
  return peerFamilies.flatMap((families) => poolFamilies.filter((f) => !families.includes(f)).map((f) => `PeerConfig families ${families.join(',')} miss ${f}`));
}

const namesRelease = (release: string) => (evidence: string) => evidence.includes(release);

describe.each(releases)('Cilium %s', (release) => {
  const crds = loadReleaseCrds(release);
  counts.set(release, { objects: 0, configValues: 0, refused: 0 });

  it.each(cases.map((c) => [c.name, c] as const))('%s: every planned object is valid or the release is refused by a precheck', (_name, c) => {
    const spec = specOf(c.changes, c.aci);
    const run = plannedObjects(spec, release, baseConfig(release), c.before ? specOf(c.before, c.aci) : undefined);
    const refusedBy = run.prechecks.filter((p) => p.verdict === 'fail' && namesRelease(release)(`${p.evidence} ${p.fix ?? ''}`));
    expect([...new Set(refusedBy.map((p) => p.id))].sort()).toEqual([...new Set(c.refusedBy?.(release) ?? [])].sort());
    const tally = counts.get(release);
    if (!tally) throw new Error('no tally');
    if (refusedBy.length > 0) {
      tally.refused += 1;
      refusals.push(`${release} ${c.name}: ${refusedBy.map((p) => p.id).join(', ')}`);
      return;
    }
    expect(run.refused, `the planner refused without a precheck naming ${release}`).toBeUndefined();
    const invalid = run.objects.flatMap((o) => validateObject(crds, release, o).map((p) => `${o.origin} ${o.object.kind}/${o.object.metadata.name.slice(0, 40)}: ${p}`));
    expect(invalid).toEqual([]);
    expect(run.objects.length).toBeGreaterThan(0);
    expect(unadvertisedFamilies(run.objects)).toEqual([]);
    tally.objects += run.objects.filter((o) => o.object.kind !== 'ConfigMap').length;
  });

  it('validated a non-trivial number of objects and config values, with the CEL rules it could evaluate', () => {
    const tally = counts.get(release);
    // Every release serves at least the pool, egress and L2 policy; BGPv2 adds the rest from 1.16.
    expect(tally?.objects).toBeGreaterThanOrEqual(isAtLeast(release, '1.16') ? 40 : 5);
    expect(tally?.configValues).toBeGreaterThanOrEqual(30);
    // The CEL rules of the reference CRDs are all in the subset cel-subset.ts evaluates.
    celRules.set(release, { evaluated: crds.cel.evaluated.size, skipped: [...crds.cel.skipped].map(([rule, why]) => `${rule}: ${why}`) });
    expect([...crds.cel.skipped.keys()]).toEqual([]);
    if (isAtLeast(release, '1.18')) expect(crds.cel.evaluated.size).toBeGreaterThan(0);
  });
});

describe('the release table changeflow carries (shared/cilium/release/agent-options.ts)', () => {
  it.each(options.map((o) => [o.release, o.key, o] as const))('matches the option table for %s %s', (release, key, row) => {
    expect(agentOption(key, release)?.rule).toEqual(row.rule);
  });
});

afterAll(() => {
  console.log(['objects validated per release (CRD objects, cilium-config values, cases refused by a precheck naming the release):', ...[...counts].map(([r, c]) => `  ${r}: ${c.objects} objects, ${c.configValues} config values, ${c.refused} refused; CEL rules evaluated ${celRules.get(r)?.evaluated ?? 0}, skipped ${celRules.get(r)?.skipped.length ?? 0}${celRules.get(r)?.skipped.length ? ` (${celRules.get(r)?.skipped.join('; ')})` : ''}`), 'refusals:', ...refusals.map((r) => `  ${r}`)].join('\n'));
});
