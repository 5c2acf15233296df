import * as z from '../../shared/zod.js';
import type { ApicClient } from '../apic/client.js';
import type { CommandResult } from '../../shared/agent-protocol/index.js';
import type { CommandContext } from '../command-context.js';
import { ChangeflowError } from '../../shared/errors.js';
import { systemClock, type Clock } from '../../shared/runtime/clock.js';

// A configuration snapshot as a backstop before anything is written. Snapshot creation on the
// APIC is asynchronous (ansible-aci #16): trigger the export, then wait for the new snapshot to
// appear instead of assuming it exists right after the POST. The trigger carries a description
// unique to this attempt, which the APIC copies to the snapshot it makes: each poll is one query
// for exactly that snapshot, and no list of the snapshots before is needed.

export class SnapshotFailed extends ChangeflowError {
  override readonly name = 'SnapshotFailed' as const;
}

const SnapshotMo = z.object({ configSnapshot: z.object({ attributes: z.looseObject({ dn: z.string(), fileName: z.optional(z.string()), name: z.optional(z.string()) }) }) });

export async function aciSnapshot(
  client: ApicClient,
  command: { policy: string; waitSeconds: number },
  ctx: CommandContext,
  clock: Clock = ctx.clock ?? systemClock,
): Promise<Extract<CommandResult, { type: 'aci.snapshot' }>> {
  const started = clock.now();
  const policyDn = `uni/fabric/configexp-${command.policy}`;
  const containerDn = `uni/backupst/snapshots-[${policyDn}]`;
  const descr = `changeflow ${ctx.task.changeId} ${started.toString(36)}`;
  const ours = async () =>
    (await client.mo(containerDn, {
      'query-target': 'children', 'target-subtree-class': 'configSnapshot', 'query-target-filter': `eq(configSnapshot.descr,"${descr}")`,
    }))
      .map((mo) => SnapshotMo.safeParse(mo))
      .flatMap((p) => (p.success ? [p.data.configSnapshot.attributes] : []));
  await client.post(policyDn, {
    configExportP: { attributes: { dn: policyDn, name: command.policy, adminSt: 'triggered', snapshot: 'yes', format: 'json', descr } },
  });
  const deadline = started + command.waitSeconds * 1000;
  // The export takes a moment even on an idle APIC: wait before each poll, twice as long each
  // time up to 5 s, so a slow export costs a handful of polls, not one every 250 ms.
  for (let wait = 1000; ; wait = Math.min(wait * 2, 5000)) {
    await clock.sleep(wait, ctx.signal);
    ctx.checkpoint('wait for snapshot');
    const fresh = (await ours())[0];
    if (fresh) {
      return { type: 'aci.snapshot', snapshotDn: fresh.dn, fileName: fresh.fileName ?? fresh.name ?? '', durationMs: clock.now() - started };
    }
    if (clock.now() > deadline) throw new SnapshotFailed(`no new snapshot under ${containerDn} ${command.waitSeconds} s after triggering ${policyDn}; check the export policy and the APIC's faults, or raise waitSeconds`);
  }
}
