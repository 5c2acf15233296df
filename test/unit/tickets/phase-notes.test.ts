import { describe, expect, it } from 'vitest';
import { renderPhaseNote, type PhaseReportInput } from '../../../shared/tickets/phase-notes.js';
import { adfDocument } from '../../../shared/tickets/adf.js';
import { closeOutcomeFor } from '../../../shared/tickets/writer.js';

const changeId = 'chg-01J9Z';
const auditUrl = 'http://127.0.0.1:8080/changes/chg-01J9Z/events';

describe('phase notes', () => {
  it('announces acceptance with the requester, the target, the mode and the changes', () => {
    const { phase, text } = renderPhaseNote({
      phase: 'accepted',
      changeId,
      auditUrl,
      requestedBy: 'Jane Doe (jane.doe)',
      mode: 'plan-only',
      target: { site: 'dc1', fabric: 'dc1-aci', cluster: 'prod-a' },
      changes: ['loadBalancerPool pool-red 10.0.10.0/24 → ext-EPG default_svc'],
    });
    expect(phase).toBe('accepted');
    expect(text).toBe(
      [
        '[changeflow] Change accepted (plan only — nothing will be applied).',
        'Requested by Jane Doe (jane.doe).',
        'Target: site dc1, fabric dc1-aci, cluster prod-a.',
        '  loadBalancerPool pool-red 10.0.10.0/24 → ext-EPG default_svc',
        `change ${changeId} · audit ${auditUrl}`,
      ].join('\n'),
    );
  });

  it('lists every failed precheck rule with its evidence and fix, and says nothing was changed', () => {
    const { text } = renderPhaseNote({
      phase: 'precheck',
      changeId,
      results: [
        { id: 'aci.version.floating-svi', scope: 'aci', title: 'Floating SVI supported', verdict: 'pass', evidence: 'APIC 6.1(2f)' },
        { id: 'aci.l3out.ext-epg-limit', scope: 'aci', title: 'External EPGs per L3Out', verdict: 'fail', evidence: '250 of 250 used', fix: 'remove an unused external EPG' },
        { id: 'cluster.bgp.control-plane', scope: 'cluster', title: 'BGP control plane', verdict: 'fail', evidence: 'bgpControlPlane.enabled=false' },
      ],
    });
    expect(text).toContain('Precheck FAILED — nothing was changed (3 rules: 1 passed, 2 failed, 0 unknown).');
    expect(text).toContain('  ✗ aci.l3out.ext-epg-limit: External EPGs per L3Out\n      evidence: 250 of 250 used\n      fix: remove an unused external EPG');
    expect(text).toContain('  ✗ cluster.bgp.control-plane');
    expect(text).not.toContain('floating-svi');
  });

  it('says a precheck passed and names the unknown rules', () => {
    const { text } = renderPhaseNote({
      phase: 'precheck',
      changeId,
      results: [{ id: 'aci.capacity.policy-cam', scope: 'aci', title: 'Policy CAM', verdict: 'unknown', evidence: 'no capacity facts' }],
    });
    expect(text).toMatch(/^\[changeflow\] Precheck passed \(1 rules: 0 passed, 0 failed, 1 unknown\)\.\n {2}\? aci\.capacity\.policy-cam — no capacity facts/);
  });

  it('renders a plan like terraform plan with a one-line total', () => {
    const { text } = renderPhaseNote({
      phase: 'plan',
      changeId,
      planHash: 'a1b2c3d4e5f6a7b8c9d0',
      totals: { create: 2, modify: 1, delete: 0, restart: 0 },
      diff: [
        { sign: '+', ref: 'uni/tn-k8s-prod-a/out-prod-a-l3out/instP-default_svc/extsubnet-[10.0.10.0/24]' },
        { sign: '~', ref: 'cilium.io/v2/CiliumBGPClusterConfig/prod-a', attribute: 'localASN', from: '64512', to: '64520' },
        { sign: '+', ref: 'cilium.io/v2/CiliumLoadBalancerIPPool/pool-red' },
      ],
    });
    expect(text.split('\n')).toEqual([
      '[changeflow] Plan a1b2c3d4e5f6 ready.',
      '  + uni/tn-k8s-prod-a/out-prod-a-l3out/instP-default_svc/extsubnet-[10.0.10.0/24]',
      '  ~ cilium.io/v2/CiliumBGPClusterConfig/prod-a localASN: 64512 → 64520',
      '  + cilium.io/v2/CiliumLoadBalancerIPPool/pool-red',
      'Plan: 2 objects to add, 1 to change, 0 to destroy — in 3 operations (2 create, 1 modify).',
      `change ${changeId}`,
    ]);
  });

  it('shortens a long plan and points to the audit trail', () => {
    const diff = Array.from({ length: 200 }, (_, i) => ({ sign: '+' as const, ref: `uni/tn-x/ap-y/epg-${i}/${'z'.repeat(60)}` }));
    const { text } = renderPhaseNote({ phase: 'plan', changeId, auditUrl, planHash: 'ff', totals: { create: 200, modify: 0, delete: 0, restart: 0 }, diff });
    expect(text).toContain('… 170 more lines in the audit trail');
    expect(text.length).toBeLessThanOrEqual(3800);
    expect(text).toContain('Plan: 200 objects to add');
  });

  it.each([
    ['applied', { phase: 'applied', changeId, aciOps: 1, clusterOps: 3, durationSeconds: 41.6 }, '[changeflow] Applied: 1 APIC operation, 3 cluster operations in 42 s. Verifying next.'],
    [
      'verified (all passed)', { phase: 'verified', changeId, checks: [{ name: 'bgp established', verdict: 'pass' }, { name: 'connectivity test', verdict: 'pass', detail: '48/48' }] },
      '[changeflow] Verified: all 2 checks passed.\n  ✓ bgp established\n  ✓ connectivity test — 48/48',
    ],
    [
      'verified (inconclusive counts as failed)', { phase: 'verified', changeId, checks: [{ name: 'connectivity test', verdict: 'inconclusive', detail: 'timed out after 1800 s' }] },
      '[changeflow] Verification FAILED: 1 of 1 checks did not pass.\n  ✗ connectivity test — timed out after 1800 s',
    ],
    [
      'rolled back (verified)', { phase: 'rolledBack', changeId, reason: 'BGP sessions to leaf 102 never established', failedStep: 'verify', verified: true },
      '[changeflow] Rolled back after verify failed: BGP sessions to leaf 102 never established\nThe rollback was verified: the fabric and the cluster are back to their state before the change.',
    ],
    [
      'rolled back (not verified)', { phase: 'rolledBack', changeId, reason: 'APIC refused op 3', verified: false },
      '[changeflow] Rolled back: APIC refused op 3\nThe rollback could NOT be verified: the locks stay held and an engineer has been paged.',
    ],
    ['failed', { phase: 'failed', changeId, reason: 'agent for site dc1 did not answer', step: 'gather facts' }, '[changeflow] Change FAILED at gather facts: agent for site dc1 did not answer'],
  ] satisfies Array<[string, PhaseReportInput, string]>)('renders the %s note', (_label, report, head) => {
    expect(renderPhaseNote(report).text).toBe(`${head}\nchange ${changeId}`);
  });

  it('refuses a report that does not match its phase', () => {
    expect(() => renderPhaseNote({ phase: 'applied', changeId } as never)).toThrow();
  });
});

describe('ADF comment bodies', () => {
  it('makes paragraphs from blank lines and hard breaks from single newlines, with no empty text nodes', () => {
    expect(adfDocument('a\nb\n\nc\n\n\n')).toEqual({
      type: 'doc',
      version: 1,
      content: [
        { type: 'paragraph', content: [{ type: 'text', text: 'a' }, { type: 'hardBreak' }, { type: 'text', text: 'b' }] },
        { type: 'paragraph', content: [{ type: 'text', text: 'c' }] },
      ],
    });
  });
});

describe('close outcomes', () => {
  it.each([
    ['SUCCEEDED', 'successful'],
    ['ROLLED_BACK', 'unsuccessful'],
    ['ROLLBACK_FAILED', 'unsuccessful'],
    ['FAILED', 'unsuccessful'],
    ['REJECTED', 'unsuccessful'],
    ['PLANNED', undefined],
    ['APPLYING', undefined],
  ])('%s closes the ticket as %s', (status, outcome) => {
    expect(closeOutcomeFor(status)).toBe(outcome);
  });
});
