import type { OpOutcome } from '../../shared/agent-protocol/index.js';
import type { DeviceRequest, Readback } from '../../shared/plan/index.js';
import type { CommandContext } from '../command-context.js';

// Runs ops in order against a device (APIC or cluster). An op whose read-back already holds is
// `unchanged` and not sent again, so re-running a half-applied change is safe. A write-first op
// (an APIC POST whose statuses make the APIC refuse it when it already happened: `created` of an
// object that exists, `modified` of one that is gone) is sent without that read, and read only
// when refused so: a read-back that then holds means an earlier run wrote it (`unchanged`), any
// other answer stays the APIC's refusal. The first run saves a request, a re-run is as safe. After each write
// the objects are read back (a cluster object from the server-side apply's answer, the stored
// object) and a mismatch counts as a failure (NaC #258: never trust the status code alone). Apply stops at the first failure; rollback goes on and undoes what it can.

export interface Device {
  /** Sends one request; a device whose write answers with the stored object returns it. */
  send(request: DeviceRequest): Promise<unknown>;
  /** True when the device refused a write because it states what already holds (a stale create or modify). */
  refusedAsStale?(err: unknown): boolean;
  /** Reads the objects back; `written` are the objects the writes just answered with, read from there instead. */
  readback(checks: readonly Readback[], written?: readonly unknown[]): Promise<{ holds: boolean; detail: string }>;
}

export interface OpToRun {
  readonly id: string;
  readonly requests: readonly DeviceRequest[];
  readonly readback: readonly Readback[];
  /** Restarts always run: their effect cannot be read back beforehand. */
  readonly alwaysRun?: boolean;
  /** Sent before any read: the device refuses it (refusedAsStale) if it already happened. One request only. */
  readonly writeFirst?: boolean;
}

export async function runOps(
  device: Device,
  ops: readonly OpToRun[],
  ctx: CommandContext,
  onFailure: 'stop' | 'continue',
  /** Read-backs already taken for these ops before any write (cluster-preflight.ts): not read again. */
  alreadyHolds?: ReadonlyMap<string, boolean>,
): Promise<{ ok: boolean; ops: OpOutcome[] }> {
  const outcomes: OpOutcome[] = [];
  let failed = false;
  for (const op of ops) {
    const startedAt = new Date();
    const took = () => Date.now() - startedAt.getTime();
    if (failed && onFailure === 'stop') {
      outcomes.push({ opId: op.id, outcome: 'skipped', startedAt: startedAt.toISOString(), durationMs: 0, requests: 0, readback: 'not-checked' });
      continue;
    }
    ctx.checkpoint(op.id);
    let requests = 0;
    try {
      const writeFirst = op.writeFirst === true && op.requests.length === 1 && device.refusedAsStale !== undefined && op.readback.length > 0;
      const unchanged = () => outcomes.push({ opId: op.id, outcome: 'unchanged', startedAt: startedAt.toISOString(), durationMs: took(), requests, readback: 'matched' });
      const holds = async (): Promise<boolean> => alreadyHolds?.get(op.id) ?? (await device.readback(op.readback)).holds;
      if (!writeFirst && !op.alwaysRun && op.readback.length > 0 && (await holds())) {
        unchanged();
        continue;
      }
      const written: unknown[] = [];
      let stale = false;
      for (const request of op.requests) {
        // A task abandoned (deadline, lost heartbeat) while its read-back was in flight must not
        // write: the workflow has already moved on to a rollback or an outcome.
        ctx.checkpoint(`${op.id} send`);
        requests++;
        try {
          const answer = await device.send(request);
          if (answer !== undefined) written.push(answer);
        } catch (err) {
          if (!writeFirst || !device.refusedAsStale?.(err)) throw err;
          // Refused as already done: only a read-back that holds makes that true; else the refusal stands.
          if (!(await device.readback(op.readback)).holds) throw err;
          stale = true;
        }
      }
      if (stale) {
        unchanged();
        continue;
      }
      ctx.checkpoint(`${op.id} sent`, { afterWrite: true });
      const rb = op.readback.length > 0 ? await device.readback(op.readback, written) : undefined;
      const mismatch = rb !== undefined && !rb.holds;
      outcomes.push({
        opId: op.id,
        outcome: mismatch ? 'failed' : 'applied',
        startedAt: startedAt.toISOString(),
        durationMs: took(),
        requests,
        readback: rb ? (rb.holds ? 'matched' : 'mismatch') : 'not-checked',
        detail: rb?.detail,
        error: mismatch ? `read-back mismatch: ${rb.detail}` : undefined,
      });
      if (mismatch) failed = true;
    } catch (err) {
      if (ctx.signal.aborted) throw err;
      failed = true;
      const e = err as Error;
      outcomes.push({ opId: op.id, outcome: 'failed', startedAt: startedAt.toISOString(), durationMs: took(), requests, readback: 'not-checked', error: `${e.name}: ${e.message}` });
    }
  }
  return { ok: !failed, ops: outcomes };
}
