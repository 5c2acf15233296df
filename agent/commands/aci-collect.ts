import { aciCollectQueries } from '../../shared/aci/facts/collect-queries.js';
import type { CommandResult } from '../../shared/agent-protocol/index.js';
import type { ChangeSpec } from '../../shared/spec/index.js';
import type { ApicClient } from '../apic/client.js';
import type { CommandContext } from '../command-context.js';
import type { FabricScope } from '../config.js';
import { checkReadQueries } from '../read-scope.js';

// One batched round of APIC queries, answered raw (imdata as the APIC returned it): the workflow
// parses them with the same code `changeflow plan --facts` uses on operators' captures. The
// queries are built here from the spec, then held against the read allowlist.
export async function aciCollect(
  client: ApicClient,
  command: { fabric: string; spec: ChangeSpec },
  scope: FabricScope,
  ctx: CommandContext,
): Promise<Extract<CommandResult, { type: 'aci.collect' }>> {
  const queries = aciCollectQueries(command.spec);
  checkReadQueries(command.fabric, scope, command.spec, queries);
  const responses = [];
  for (const q of queries) {
    ctx.checkpoint(`collect ${q.name}`);
    const imdata = await client.getAll(q.path, q.query);
    responses.push({ name: q.name, imdata, totalCount: imdata.length });
  }
  return { type: 'aci.collect', responses };
}
