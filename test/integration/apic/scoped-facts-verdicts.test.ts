import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApicClient, type ApicClient } from '../../../agent/apic/client.js';
import type { CommandContext } from '../../../agent/command-context.js';
import { aciCollect } from '../../../agent/commands/aci-collect.js';
import { createAgentLog } from '../../../agent/log.js';
import { aciCaptureQueries, runAciPrechecks } from '../../../shared/aci/index.js';
import { PROTOCOL, type AgentResult, type CommandResult } from '../../../shared/agent-protocol/index.js';
import { factsFromAgentResult } from '../../../shared/planner/change-facts.js';
import { Redactor } from '../../../shared/runtime/redact.js';
import type { ChangeSpec } from '../../../shared/spec/index.js';
import { startApicLab, type ApicLab } from '../../../local/lab/apic/lab.js';
import { dc1Nodes, onboardSpec, specFrom } from '../../unit/aci/support/dc1.js';
import { readFileSync } from 'node:fs';

// Issue 20: the agent reads the fabric scoped to the change, with the capacity counts as
// `rsp-subtree-include=count` answers. On the default lab every precheck must reach the verdict and
// the evidence it reached over the whole-fabric capture (class lists, counted by the parser).

let lab: ApicLab;
let client: ApicClient;

function context(): CommandContext {
  const log = createAgentLog({ redactor: new Redactor(), level: 'error', agent: 'test', write: () => undefined });
  return {
    signal: new AbortController().signal, deadline: new Date(Date.now() + 60_000), log, checkpoint: () => undefined,
    task: { protocol: PROTOCOL, changeId: 'verdicts', site: 'dc1', step: 'gather-facts', deadlineSeconds: 60, heartbeatSeconds: 30, commands: [] },
  };
}

function agentResult(collected: CommandResult): AgentResult {
  const at = new Date(0).toISOString();
  return { protocol: PROTOCOL, changeId: 'verdicts', step: 'gather-facts', agent: { name: 'test', version: '0' }, startedAt: at, finishedAt: at, results: [collected] };
}

async function verdicts(spec: ChangeSpec, scoped: boolean) {
  const collected: CommandResult = scoped
    ? await aciCollect(client, { fabric: 'dc1-aci', spec }, { tenants: [spec.aci.tenant], dnPrefixes: [], snapshotPolicy: 'changeflow' }, context())
    : {
      type: 'aci.collect',
      responses: await Promise.all(aciCaptureQueries(spec).map(async (q) => {
        const imdata = await client.getAll(q.path, q.query);
        return { name: q.name, imdata, totalCount: imdata.length };
      })),
    };
  const facts = factsFromAgentResult(agentResult(collected), spec).aci;
  return runAciPrechecks(spec, facts, { nodeAddresses: dc1Nodes }).map((r) => ({ id: r.id, verdict: r.verdict, evidence: r.evidence }));
}

beforeAll(async () => {
  lab = await startApicLab({ backupDelayMs: 0 });
  client = createApicClient({ url: lab.url, username: lab.username, password: lab.password });
});
afterAll(async () => {
  await lab.close();
});

const poolSpec = specFrom(readFileSync(new URL('../../../examples/add-pool-blue.yaml', import.meta.url), 'utf8'));

describe('scoped facts reach the verdicts of the whole-fabric capture on the default lab', () => {
  it.each([
    ['the onboarding (peering, pool, egress: every count rule)', onboardSpec()],
    ['one pool (ext EPGs fabric-wide and per L3Out)', poolSpec],
  ])('%s', async (_name, spec) => {
    const whole = await verdicts(spec, false);
    const scoped = await verdicts(spec, true);
    expect(whole.map((r) => r.id)).toEqual(expect.arrayContaining(spec === poolSpec
      ? ['aci.capacity.ext-epgs-fabric']
      : ['aci.capacity.ext-epgs-fabric', 'aci.capacity.esgs-per-vrf', 'aci.capacity.ip-selectors-per-leaf']));
    expect(scoped).toEqual(whole);
  });
});
