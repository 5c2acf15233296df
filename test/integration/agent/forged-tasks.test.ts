import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgent, type RunningAgent } from '../../../agent/start-agent.js';
import { AgentResult, type AgentCommand, type AgentTask } from '../../../shared/agent-protocol/index.js';
import type { Plan, PlanOp } from '../../../shared/plan/index.js';
import { factsFromAgentResult, planWithPrechecks } from '../../../shared/planner/index.js';
import { parseChangeSpecText, type ChangeSpec } from '../../../shared/spec/index.js';
import { agentTask, cluster, fabric, labDumps, startAgentBench, type AgentBench, type Ended } from './harness.js';

// Issue 13 §1 acceptance over the wire: anyone who can create a state machine can schedule a task
// on the site's Activity. Here a tiny state machine on the local Step Functions endpoint hands each
// forged task to the real agent polling that Activity. Forged from a real signed task — ops moved
// to another DN, tenant or kind; signature stripped; signed for another change; or signed with the
// trusted key but outside the agent's scope — each fails with its named error and the lab APIC and
// cluster dumps stay byte for byte as before; the real signed task still applies.

let bench: AgentBench;
let agent: RunningAgent;
let plan: Plan;
const logLines: string[] = [];

const spec: ChangeSpec = (() => {
  const parsed = parseChangeSpecText(readFileSync('examples/onboard-prod-a.yaml', 'utf8'));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.spec;
})();

beforeAll(async () => {
  bench = await startAgentBench();
  agent = await startAgent(bench.config(), { write: (line) => logLines.push(line) });
  const facts = await bench.waitForEnd(
    await bench.start(agentTask('gather-facts', [{ type: 'aci.collect', fabric, spec }, { type: 'cluster.collect', cluster, spec, ciliumStatus: false }])),
    90_000,
  );
  expect(facts.status, `${facts.error}: ${facts.cause}`).toBe('SUCCEEDED');
  plan = planWithPrechecks(spec, factsFromAgentResult(AgentResult.parse(facts.output), spec));
});

afterAll(async () => {
  await agent?.stop();
  await bench?.close();
});

const apicOps = (): PlanOp[] => plan.ops.filter((o) => o.target === 'apic');
const kubeOps = (): PlanOp[] => plan.ops.filter((o) => o.target === 'kubernetes');
const applyAci = (ops: PlanOp[]): AgentCommand => ({ type: 'aci.apply', fabric, ops });
const applyCluster = (ops: PlanOp[]): AgentCommand => ({ type: 'cluster.apply', cluster, ops });

/** The same JSON with every occurrence of `from` replaced: an attacker's edit of a captured task. */
function rewritten<T>(value: T, from: string, to: string): T {
  return JSON.parse(JSON.stringify(value).replaceAll(from, to)) as T;
}

function withCommand(task: AgentTask, command: AgentCommand): AgentTask {
  return { ...task, commands: [command] };
}

async function schedule(task: unknown): Promise<Ended> {
  return bench.waitForEnd(await bench.start(task), 60_000);
}

describe('forged agent tasks scheduled on the Activity change nothing', () => {
  let before: { apic: string; kubernetes: string };
  const real = () => agentTask('apply-aci', [applyAci(apicOps())], { changeId: 'forge-real' });
  const realCluster = () => agentTask('apply-cluster', [applyCluster(kubeOps())], { changeId: 'forge-real' });

  it('refuses every forgery by name, and the APIC and cluster dumps do not move', { timeout: 120_000 }, async () => {
    before = await labDumps(bench.lab);
    const [firstKube] = kubeOps();
    const kind = firstKube?.request.kind === 'kubernetes' ? firstKube.request.ref.kind : undefined;
    if (!kind) throw new Error('expected a Kubernetes op in the plan');
    const signed = real();
    const signedCluster = realCluster();
    const forgeries: Array<[string, unknown, string]> = [
      ['ops moved to another DN (tenant common), signature kept', withCommand(signed, rewritten(signed.commands[0]!, 'uni/tn-k8s-prod-a/', 'uni/tn-common/')), 'TaskSignatureInvalid'],
      ['ops moved to another tenant, signature kept', rewritten(signed, 'tn-k8s-prod-a', 'tn-k8s-prod-b'), 'TaskSignatureInvalid'],
      ['cluster ops changed to another kind (Secret), signature kept', withCommand(signedCluster, rewritten(signedCluster.commands[0]!, `"kind":"${kind}"`, '"kind":"Secret"')), 'TaskSignatureInvalid'],
      ['signature stripped', (({ signature: _s, ...rest }) => rest)(signed), 'TaskNotSigned'],
      ['never signed', agentTask('apply-aci', [applyAci(apicOps())], { changeId: 'forge-real', unsigned: true }), 'TaskNotSigned'],
      ['signed for another change, replayed for this one', { ...signed, changeId: 'forge-other' }, 'TaskSignatureInvalid'],
      ['a signed apply-aci replayed as a rollback', { ...signed, step: 'rollback', commands: [{ type: 'rollback', fabric, cluster, ops: apicOps(), undo: ['apic'] }] }, 'TaskSignatureInvalid'],
      // Defence in depth: even the trusted key cannot make the agent write outside its scope.
      ['signed with the trusted key, but tenant common (outside the scope allowlist)', agentTask('apply-aci', [applyAci(rewritten(apicOps(), 'uni/tn-k8s-prod-a/', 'uni/tn-common/'))], { changeId: 'forge-insider' }), 'TaskOutsideScope'],
      ['signed with the trusted key, but a Secret in kube-system', agentTask('apply-cluster', [applyCluster(rewritten(rewritten(kubeOps(), `"kind":"${kind}"`, '"kind":"Secret"'), '"apiVersion":"cilium.io/v2"', '"apiVersion":"v1"'))], { changeId: 'forge-insider' }), 'TaskOutsideScope'],
    ];
    const outcomes: Array<[string, string | undefined]> = [];
    for (const [label, task] of forgeries) {
      const end = await schedule(task);
      expect(end.status, label).toBe('FAILED');
      outcomes.push([label, end.error]);
      expect(end.cause, label).toMatch(/nothing (was )?(run|sent|applied|written)|touche[sd] nothing|no request/i);
    }
    expect(outcomes).toEqual(forgeries.map(([label, , error]) => [label, error]));
    expect(await labDumps(bench.lab)).toEqual(before);
  });

  it('still applies the real signed tasks, on both sides', { timeout: 120_000 }, async () => {
    const aci = await schedule(real());
    expect(aci.status, `${aci.error}: ${aci.cause}`).toBe('SUCCEEDED');
    const cluster = await schedule(realCluster());
    expect(cluster.status, `${cluster.error}: ${cluster.cause}`).toBe('SUCCEEDED');
    const after = await labDumps(bench.lab);
    expect(after.apic).not.toBe(before.apic);
    expect(after.kubernetes).not.toBe(before.kubernetes);
  });
});
