import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ChangeSpec,
  issuesFromZod,
  parseChangeDocumentText,
  parseChangeSpec,
  parseChangeSpecText,
  type SpecResult,
} from '../../../shared/spec/index.js';
import { summarizeChange } from '../../../shared/kinds/summary.js';

const root = join(import.meta.dirname, '../../..');
const examples = readdirSync(join(root, 'examples')).filter((f) => f.endsWith('.yaml'));
const validDir = join(root, 'test/fixtures/specs/valid');

function specOf(result: SpecResult): ChangeSpec {
  if (!result.ok) throw new Error(`expected a valid spec, got ${JSON.stringify(result.issues)}`);
  return result.spec;
}

const minimal = {
  apiVersion: 'changeflow/v1',
  kind: 'ChangeSpec',
  target: { site: 'dc1', fabric: 'dc1-aci', cluster: 'prod-a' },
  aci: { tenant: 'k8s-prod-a', vrf: 'vrf-1', l3out: 'prod-a-l3out', physDomain: 'k8s-phys', fabricAsn: 65001 },
  changes: [{ type: 'loadBalancerPool', name: 'pool-blue', blocks: ['10.0.11.0/25'], serviceSelector: { color: 'blue' }, externalEpg: 'default_svc' }],
};

describe('ChangeSpec v1 accepts', () => {
  it.each(examples)('examples/%s', (file) => {
    expect(parseChangeSpecText(readFileSync(join(root, 'examples', file), 'utf8')).ok).toBe(true);
  });

  it('a spec with one change of each type, an IPv6 block and a removal', () => {
    const spec = specOf(parseChangeSpecText(readFileSync(join(validDir, 'all-change-types.yaml'), 'utf8')));
    expect(spec.changes.map((c) => c.type)).toEqual([
      'bgpPeering',
      'loadBalancerPool',
      'loadBalancerPool',
      'egressGateway',
      'l2Announcement',
      'ciliumConfig',
    ]);
    expect(spec.changes[2]?.state).toBe('absent');
  });

  it('the JSON form of a spec, giving the same result as its YAML form', () => {
    const fromJson = specOf(parseChangeSpecText(readFileSync(join(validDir, 'pool-only.json'), 'utf8')));
    const fromYaml = specOf(parseChangeSpecText(readFileSync(join(root, 'examples/add-pool-blue.yaml'), 'utf8')));
    expect(fromJson.changes).toEqual(fromYaml.changes);
  });

  it('a ChangeRequest whose spec is YAML text, returning both', () => {
    const result = parseChangeDocumentText(readFileSync(join(validDir, 'manual-request.json'), 'utf8'));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.request?.ticket).toEqual({ system: 'none' });
    expect(result.spec.changes[0]?.type).toBe('ciliumConfig');
  });
});

describe('ChangeSpec v1 defaults', () => {
  it('fills state present, verify defaults and mode apply', () => {
    const spec = specOf(parseChangeSpec(minimal));
    expect(spec.mode).toBe('apply');
    expect(spec.changes[0]?.state).toBe('present');
    expect(spec.verify).toEqual({ connectivityTest: { enabled: true, tests: [], timeoutSeconds: 1800 }, bgpEstablishedTimeoutSeconds: 300 });
  });

  it('fills anchor pod 1, bfd off, graceful restart on and l2 announcement of LB IPs only', () => {
    const spec = specOf(parseChangeSpecText(readFileSync(join(validDir, 'all-change-types.yaml'), 'utf8')));
    const [peering, , , , l2, cilium] = spec.changes;
    if (peering?.type !== 'bgpPeering' || l2?.type !== 'l2Announcement' || cilium?.type !== 'ciliumConfig') throw new Error('fixture order changed');
    expect(peering.anchors.map((a) => a.pod)).toEqual([1, 2]);
    expect([peering.bfd, peering.gracefulRestart]).toEqual([false, true]);
    expect(peering.timers).toEqual({ holdTimeSeconds: 9, keepAliveTimeSeconds: 3, connectRetryTimeSeconds: 120 });
    expect(l2.nodeSelector).toEqual({ l2: 'true' });
    expect(cilium.settings['bpf-lb-maglev-table-size']).toBe('16381');
    expect(cilium.restart).toBe('rolling');
  });

  it('keeps verify values that are given and defaults the rest', () => {
    const spec = specOf(parseChangeSpec({ ...minimal, verify: { connectivityTest: { enabled: false } } }));
    expect(spec.verify.connectivityTest).toEqual({ enabled: false, tests: [], timeoutSeconds: 1800 });
  });
});

describe('ChangeSpec v1 messages', () => {
  it('tells a wrong type apart from a missing field', () => {
    const wrong = parseChangeSpec({ ...minimal, aci: { ...minimal.aci, fabricAsn: '65001' } });
    expect(wrong.ok ? [] : wrong.issues).toEqual([{ path: 'aci.fabricAsn', message: 'expected an AS number such as 65001; got the text "65001"' }]);
    const { fabricAsn: _dropped, ...noAsn } = minimal.aci;
    const missing = parseChangeSpec({ ...minimal, aci: noAsn });
    expect(missing.ok ? [] : missing.issues[0]?.message).toMatch(/^required field is missing/);
  });

  it('names a default in the timer message when only the hold time is set', () => {
    const peering = {
      type: 'bgpPeering',
      clusterAsn: 64512,
      peeringSubnet: '192.168.2.0/24',
      vlan: 300,
      floatingIp: '192.168.2.254/24',
      anchors: [{ nodeId: 101, routerId: '1.1.1.101', address: '192.168.2.1/24' }],
      nodeSelector: {},
      timers: { holdTimeSeconds: 9 },
    };
    const result = parseChangeSpec({ ...minimal, changes: [peering] });
    expect(result.ok ? [] : result.issues).toEqual([
      {
        path: 'changes[0].timers.keepAliveTimeSeconds',
        message: 'keepAliveTimeSeconds 30 exceeds holdTimeSeconds 9; set it to about a third of the hold time',
      },
    ]);
  });

  it('says only what was expected when the caller parsed without reportInput', () => {
    const result = ChangeSpec.safeParse({ ...minimal, mode: 3, kind: undefined });
    const issues = result.success ? [] : issuesFromZod(result.error);
    expect(issues.find((i) => i.path === 'kind')?.message).toBe('kind must be ChangeSpec');
    expect(issues.some((i) => i.message.startsWith('required field is missing'))).toBe(false);
  });

  it('refuses a document that is not a mapping', () => {
    expect(parseChangeSpecText('- just\n- a list\n')).toEqual({
      ok: false,
      issues: [{ path: '', message: expect.stringContaining('expected a ChangeSpec document') as unknown }],
    });
  });
});

describe('summarizeChange', () => {
  it('prints one line per change type with absent marked', () => {
    const spec = specOf(parseChangeSpecText(readFileSync(join(validDir, 'all-change-types.yaml'), 'utf8')));
    const lines = spec.changes.map((c) => summarizeChange(c, spec.aci.fabricAsn));
    expect(lines).toEqual([
      'bgpPeering       AS 4200000000 ↔ fabric AS 65001 via 192.168.2.0/24 vlan-300, anchors 101,102',
      'loadBalancerPool pool-red 10.0.10.0/24,fd00:10::/120 → ext-EPG default_svc',
      'loadBalancerPool pool-old 10.0.9.0/24 → ext-EPG default_svc (absent)',
      'egressGateway    frontend-egress shop → 192.168.3.200 (ESG egress/frontend)',
      'l2Announcement   l2-red services color=red from nodes l2=true on ^eth[0-9]+ (loadBalancerIPs, externalIPs)',
      'ciliumConfig     bpf-lb-algorithm=maglev, bpf-lb-maglev-table-size=16381, enable-l2-announcements=true (rolling restart)',
    ]);
  });
});
