import type { Command } from 'commander';
import { userInfo } from 'node:os';
import { addTableOptions, type OpenStore, type TableOptions } from '../endpoints.js';
import { ExitCode } from '../exit-codes.js';
import { processIo, type CommandIo } from './audit.js';
import type { TaskWaker } from '../../shared/store/index.js';

// `changeflow unlock TARGET --reason TEXT [--by NAME]`: the way out of ROLLBACK_FAILED. A change
// whose rollback failed keeps its leases so nothing else touches a target in an unknown state;
// once a person has checked the target, this removes the lease and records who did it and why
// in that change's audit trail (event lock.released.forced). A change waiting in the target's
// queue gets the lease at once and is woken over Step Functions (`--sfn`, endpoints.json, or AWS).

/** The woken change renews the lease on its next step; this only has to bridge the gap. */
const handoffTtlMs = 10 * 60 * 1000;

interface UnlockOptions extends TableOptions {
  reason: string;
  by?: string;
  sfn?: string;
}

export function register(program: Command): void {
  addTableOptions(
    program
      .command('unlock')
      .description('release a held lease on a fabric or cluster after checking it by hand (recorded in the audit trail)')
      .argument('<target>', 'fabric:NAME or cluster:NAME'),
  )
    .requiredOption('--reason <text>', 'why it is safe to release (recorded)')
    .option('--by <name>', 'who releases it (default: your login name)')
    .option('--sfn <url>', 'Step Functions endpoint that wakes the next queued change (default: endpoints.json of --data-dir, else AWS)')
    .action(async (target: string, opts: UnlockOptions) => {
      process.exitCode = await unlockTarget(target, opts);
    });
}

export async function unlockTarget(target: string, opts: UnlockOptions, io: CommandIo = processIo): Promise<ExitCode> {
  const reason = opts.reason.trim();
  if (reason === '') {
    io.error('expected --reason to say why the target is safe to release, found an empty reason\n');
    return ExitCode.badInput;
  }
  const by = opts.by?.trim() || userInfo().username;
  const { openStore, describeUnreachable } = await import('../endpoints.js');
  let open: OpenStore | undefined;
  try {
    open = await openStore(opts);
    const result = await open.store.locks.forceUnlock(target, by, reason);
    if (result.released && result.previous && result.event) {
      // The first change waiting in the target's queue gets it now, recorded like a release's handoff.
      const handed = await open.queues.kick(result.previous.target, handoffTtlMs, await queueWaker(opts));
      const handedOverTo = handed.to?.changeId;
      if (handedOverTo || handed.skipped.length > 0) {
        await open.store.audit.appendEvent({
          changeId: result.previous.owner,
          type: 'lock.handed-over',
          actor: by,
          detail: { target: result.previous.target, to: handedOverTo ?? null, queuedSince: handed.to?.since ?? null, skipped: handed.skipped, after: 'lock.released.forced' },
        });
      }
      const how = result.previous.held ? 'held after ROLLBACK_FAILED' : `leased until ${new Date(result.previous.expiresAt).toISOString()}`;
      await io.write(
        `unlocked ${result.previous.target} (was ${how} by change ${result.previous.owner}); ` +
          `recorded as event ${result.event.seq} of ${result.event.changeId} by ${by}\n` +
          (handedOverTo ? `handed over to ${handedOverTo}, the first change waiting in its queue\n` : ''),
      );
      return ExitCode.ok;
    }
    if (result.previous) {
      io.error(`the lease on ${result.previous.target} changed hands while unlocking (now ${result.previous.owner}); check it and run again\n`);
      return ExitCode.failed;
    }
    await io.write(`no lease on ${target}; nothing to unlock\n`);
    return ExitCode.ok;
  } catch (err) {
    const hint = open ? describeUnreachable(open.target, err) : undefined;
    if (hint || (err instanceof Error && err.name === 'InvalidInput')) {
      io.error(`${hint ?? (err as Error).message}\n`);
      return hint ? ExitCode.failed : ExitCode.badInput;
    }
    throw err;
  } finally {
    open?.close();
  }
}

async function queueWaker(opts: UnlockOptions): Promise<TaskWaker> {
  const [{ SFNClient }, { sfnTaskWaker }, { readEndpoints }] = await Promise.all([
    import('@aws-sdk/client-sfn'),
    import('../../shared/workflow/task-waker.js'),
    import('../endpoints.js'),
  ]);
  const endpoint = opts.sfn ?? (await readEndpoints(opts.dataDir))?.sfn;
  const client = new SFNClient(endpoint ? { endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {});
  return sfnTaskWaker(client);
}
