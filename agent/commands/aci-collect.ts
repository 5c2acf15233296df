import { aciCollectQueries, aciFollowUpQueries } from '../../shared/aci/facts/collect-queries.js';
import type { ApicQuery } from '../../shared/agent-protocol/index.js';
import type { CommandResult } from '../../shared/agent-protocol/index.js';
import type { ChangeSpec } from '../../shared/spec/index.js';
import type { ApicClient } from '../apic/client.js';
import type { CommandContext } from '../command-context.js';
import type { FabricScope } from '../config.js';
import { checkReadQueries } from '../read-scope.js';

// Two rounds of APIC queries filtered to what the change touches, answered raw (imdata as the APIC
// returned it): the workflow parses them with the same code `changeflow plan --facts` uses on
// operators' captures. The queries are built here from the spec (the second round also from the
// first answers: which leaves the change's L3Out sits on), each round held against the read allowlist
// and sent at once.
export async function aciCollect(
  client: ApicClient,
  command: { fabric: string; spec: ChangeSpec },
  scope: FabricScope,
  ctx: CommandContext,
): Promise<Extract<CommandResult, { type: 'aci.collect' }>> {
  const responses: Array<{ name: string; imdata: unknown[]; totalCount: number }> = [];
  const run = async (queries: readonly ApicQuery[]): Promise<void> => {
    checkReadQueries(command.fabric, scope, command.spec, queries);
    // A round's queries do not depend on each other: sent at once, one APIC round trip per round.
    const answers = await Promise.all(queries.map(async (q) => {
      ctx.checkpoint(`collect ${q.name}`);
      return { name: q.name, imdata: await client.getAll(q.path, q.query) };
    }));
    for (const a of answers) responses.push({ ...a, totalCount: a.imdata.length });
  };
  await run(aciCollectQueries(command.spec));
  await run(aciFollowUpQueries(command.spec, responses));
  return { type: 'aci.collect', responses };
}
