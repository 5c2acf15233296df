import { describe, expect, it, onTestFailed } from 'vitest';
import type { ChangeSpec } from '../../shared/spec/index.js';
import { detailsOf, exampleSpec, restored, runChange, startChange, type FaultStack } from '../support/fault-harness.js';
import type { FaultChain } from './fault-chain.js';
import { expectEnded, expectPristine } from './fault-expect.js';
import type { FaultTable } from './fault-table.js';

// Verification failing for the two cluster-only kinds (issue 15 §5), after the cluster chain's
// cases: no agent takes the L2 lease (`l2.lease=never`), and the agents restart without picking up
// a cilium-config change (`cilium.config=stale`). Both end ROLLED_BACK with both lab dumps as
// before. Their own stack gives the rollback a minute: restoring a datapath key restarts the five
// agents node by node, each gated on `cilium status`. The stale case goes last: the agents it
// restarted keep the stale view.

const stack = { name: 'cluster-verify', steps: { rollback: 60 } };
const timeout = 240_000;

/** The onboarding change plus an L2 announcement of pool-red's IPs (shop/frontend) from the workers. */
function onboardWithL2(): ChangeSpec {
  const spec = exampleSpec();
  return {
    ...spec,
    changes: [...spec.changes, { type: 'l2Announcement', state: 'present', name: 'l2-red', serviceSelector: { color: 'red' }, nodeSelector: { bgp: 'enabled' }, interfaces: [], loadBalancerIPs: true, externalIPs: false }],
  };
}

function maglev(): ChangeSpec {
  return { ...exampleSpec(), changes: [{ type: 'ciliumConfig', state: 'present', settings: { 'bpf-lb-algorithm': 'maglev' }, restart: 'rolling' }] };
}

let keys = 0;
const start = (fs: FaultStack, spec: ChangeSpec) => () => startChange(fs, spec, `fault-verify-${process.pid}-${++keys}`);

export function verifyCases(table: FaultTable, chain: FaultChain): void {
  const reportOnFailure = () => onTestFailed(async () => console.log(await chain.logTail()));
  const failing = (n: number, fault: string, book: 'kubernetes' | 'world', step: string, spec: () => ChangeSpec) =>
    chain.step(stack, async (fs) => {
      await fs.addFault(book, fault);
      const run = await runChange(fs, start(fs, spec()));
      table.add({ case: n, fault, step, terminal: run.ended.change.status, expected: 'ROLLED_BACK', restored: restored(run), seconds: run.ended.seconds });
      return run;
    });
  const noLease = failing(16, 'l2.lease=never', 'kubernetes', 'verify: L2 leases and ARP', onboardWithL2);
  const stale = failing(17, 'cilium.config=stale', 'world', 'verify: per-agent cilium-config', maglev);

  describe('verification failing for l2Announcement and ciliumConfig (cluster stack)', () => {
    it('16 · l2.lease=never: no worker holds the lease for shop/frontend, l2-leases and l2-arp fail, ROLLED_BACK, both dumps as before', async () => {
      reportOnFailure();
      const run = await noLease();
      expectEnded(run, 'ROLLED_BACK', 'released');
      expect(detailsOf(run.ended.events, 'verify.bgp-fabric')).toEqual([expect.objectContaining({ verdict: 'pass' })]);
      expect(detailsOf(run.ended.events, 'verify.l2-leases')).toEqual([
        expect.objectContaining({ verdict: 'fail', evidence: expect.stringMatching(/^after \d+ s: shop\/frontend: no node holds the lease cilium-l2announce-shop-frontend \(no agent announces 10\.0\.10\.\d+\)$/) }),
      ]);
      expect(detailsOf(run.ended.events, 'verify.l2-arp')).toEqual([expect.objectContaining({ verdict: 'fail', evidence: expect.stringMatching(/^after \d+ s: no announcer to ask: shop\/frontend: /) })]);
      expect(detailsOf(run.ended.events, 'verify.connectivity-test')).toEqual([]);
      expect(detailsOf(run.ended.events, 'rollback.started')).toEqual([expect.objectContaining({ error: 'VerificationFailed' })]);
      expectPristine(run);
    }, timeout);

    it('17 · cilium.config=stale: the agents restart but keep bpf-lb-algorithm=random, cilium-agent-config names each node, ROLLED_BACK, both dumps as before', async () => {
      reportOnFailure();
      const run = await stale();
      expectEnded(run, 'ROLLED_BACK', 'released');
      expect(detailsOf(run.ended.events, 'verify.cilium-agents-restarted')).toEqual([expect.objectContaining({ verdict: 'pass' })]);
      const [perAgent] = detailsOf(run.ended.events, 'verify.cilium-agent-config');
      expect(perAgent).toMatchObject({ verdict: 'fail' });
      expect(String(perAgent?.['evidence']).split('; ').map((p) => p.replace(/ \(cilium-\w+\)/, ''))).toEqual(
        ['prod-a-cp1', 'prod-a-w1', 'prod-a-w2', 'prod-a-w3', 'prod-a-w4'].map((n) => `${n}: bpf-lb-algorithm shows Random in kube-proxy-replacement.features.nodePort.algorithm, expected Maglev`),
      );
      expect(detailsOf(run.ended.events, 'verify.connectivity-test')).toEqual([]);
      // The rollback restores cilium-config and restarts the agents again.
      expect(detailsOf(run.ended.events, 'rollback.op').map((op) => op['outcome'])).not.toContain('failed');
      expectPristine(run);
    }, timeout);
  });
}
