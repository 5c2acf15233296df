import type { ApicClient } from '../apic/client.js';
import type { CommandResult } from '../../shared/agent-protocol/index.js';
import type { CommandContext } from '../command-context.js';

// One batched round of APIC queries, answered raw (imdata as the APIC returned it): the workflow
// parses them with the same code `changeflow plan --facts` uses on operators' captures.
export async function aciCollect(
  client: ApicClient,
  command: { queries: ReadonlyArray<{ name: string; path: string; query?: Record<string, string> }> },
  ctx: CommandContext,
): Promise<Extract<CommandResult, { type: 'aci.collect' }>> {
  const responses = [];
  for (const q of command.queries) {
    ctx.checkpoint(`collect ${q.name}`);
    const imdata = await client.getAll(q.path, q.query);
    responses.push({ name: q.name, imdata, totalCount: imdata.length });
  }
  return { type: 'aci.collect', responses };
}
