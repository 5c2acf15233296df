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
import type { MoJson } from '../../../shared/plan/index.js';

// Issue 20: the agent reads the fabric scoped to the change, with the capacity counts as
// `rsp-subtree-include=count` answers. On the default lab every precheck must reach the verdict and
// the evidence it reached over the whole-fabric capture (class lists, counted by the parser).
// Issue 14: the capacity counts come as one total over their classes; where the total decides a
// rule, the evidence says "at most" that total; where it does not, the agent counts exactly and the
// evidence is the capture's, word for word.

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

const capacityRules = new Set(['aci.capacity.ext-epgs-fabric', 'aci.capacity.esgs-per-vrf', 'aci.capacity.ip-selectors-per-leaf']);
let collectedNames: string[] = [];

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
  if (scoped && collected.type === 'aci.collect') collectedNames = collected.responses.map((r) => r.name);
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

/** The first number of an evidence text after "has " (or at its start): the count it reports. */
const countIn = (evidence: string): number => Number(/(?:^|has )(?:at most )?(\d+)/.exec(evidence)?.[1]);

/**
 * `n` external EPGs in a tenant of their own, 200 per L3Out as a real fabric could hold them, and
 * one ESG with an IP selector (a count the total adds to the external EPGs').
 */
async function addExternalEpgsAndASelector(n: number): Promise<void> {
  const outs = Array.from({ length: Math.ceil(n / 200) }, (_, o) => ({
    l3extOut: {
      attributes: { name: `bulk-${o}` },
      children: Array.from({ length: Math.min(200, n - 200 * o) }, (_, i) => ({ l3extInstP: { attributes: { name: `e${i}` } } })),
    },
  }));
  const esg: MoJson = {
    fvAp: {
      attributes: { name: 'a' },
      children: [{
        fvESg: {
          attributes: { name: 'g' },
          children: [{ fvRsScope: { attributes: { tnFvCtxName: 'v' } } }, { fvEPSelector: { attributes: { matchExpression: "ip=='10.99.0.1/32'" } } }],
        },
      }],
    },
  };
  await client.post('uni/tn-bulk', { fvTenant: { attributes: { dn: 'uni/tn-bulk', name: 'bulk' }, children: [{ fvCtx: { attributes: { name: 'v' } } }, esg, ...outs] } });
}

describe('scoped facts reach the verdicts of the whole-fabric capture on the default lab', () => {
  it.each([
    ['the onboarding (peering, pool, egress: every count rule)', onboardSpec()],
    ['one pool (ext EPGs fabric-wide and per L3Out)', poolSpec],
  ])('%s', async (_name, spec) => {
    const whole = await verdicts(spec, false);
    const scoped = await verdicts(spec, true);
    const expected = spec === poolSpec
      ? ['aci.capacity.ext-epgs-fabric']
      : ['aci.capacity.ext-epgs-fabric', 'aci.capacity.esgs-per-vrf', 'aci.capacity.ip-selectors-per-leaf'];
    expect(whole.map((r) => r.id)).toEqual(expect.arrayContaining(expected));
    expect(scoped.map((r) => [r.id, r.verdict])).toEqual(whole.map((r) => [r.id, r.verdict]));
    expect(scoped.filter((r) => !capacityRules.has(r.id))).toEqual(whole.filter((r) => !capacityRules.has(r.id)));
    for (const [i, r] of scoped.entries()) {
      if (!capacityRules.has(r.id)) continue;
      const exact = whole[i]?.evidence ?? '';
      if (expected.length === 1) {
        // One count alone is exact: the capture's evidence, word for word.
        expect(r.evidence).toBe(exact);
      } else {
        // A total over three counts is a bound of each: said so, and never below the count.
        expect(r.evidence).toContain('at most');
        expect(countIn(r.evidence)).toBeGreaterThanOrEqual(countIn(exact));
      }
    }
    // No exact count was needed: the total decided them all.
    expect(collectedNames.filter((n) => n.startsWith('count:'))).toHaveLength(1);
  });

  it('counts exactly what the total does not decide: near the external-EPG limit the rule reads the exact count, the others stay bounds', async () => {
    const spec = onboardSpec();
    const before = countIn((await verdicts(spec, false)).find((r) => r.id === 'aci.capacity.ext-epgs-fabric')?.evidence ?? '');
    // 599 external EPGs: the spec's one more is 600 of 600 (pass), but the total with the IP selector is over.
    await addExternalEpgsAndASelector(599 - before);
    const whole = await verdicts(spec, false);
    const scoped = await verdicts(spec, true);
    expect(collectedNames.filter((n) => n.startsWith('count:'))).toEqual(['count:extEpgsFabric+esgsPerVrf+ipSelectorsFabric', 'count:extEpgsFabric']);
    const extEpgs = (rs: typeof whole) => rs.find((r) => r.id === 'aci.capacity.ext-epgs-fabric');
    expect(extEpgs(whole)).toMatchObject({ verdict: 'pass', evidence: 'the fabric has 599 external EPGs; the spec adds 1 → 600 of 600' });
    expect(extEpgs(scoped)).toEqual(extEpgs(whole));
    expect(scoped.find((r) => r.id === 'aci.capacity.esgs-per-vrf')?.evidence).toBe('VRF vrf-1 has at most 600 ESGs; the spec adds 1 → at most 601 of 4000');
    expect(scoped.map((r) => [r.id, r.verdict])).toEqual(whole.map((r) => [r.id, r.verdict]));
  });
});
