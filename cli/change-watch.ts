import * as z from '../shared/zod.js';
import { ChangeflowError } from '../shared/errors.js';
import { AuditEvent, ChangeRecord, isFinalStatus, StepProgress, type ChangeStatus } from '../shared/store/index.js';
import { parseJsonText } from '../shared/json-text.js';
import { summariseEvent } from '../shared/report/event-summary.js';
import { systemClock, type Clock } from '../shared/runtime/clock.js';

// Follows one change over the HTTP API until it ends (`submit --wait`, `watch`; `status` reads it once): polls
// GET /changes/{id} and /events, hands each new audit event to the caller once, in seq order.
// The record appears only when the workflow's first step has run, so 404 means "not yet".

const ChangeReply = z.object({ change: ChangeRecord });
const EventsReply = z.object({ events: z.array(AuditEvent), progress: z.optional(StepProgress) });

export interface WatchDeps {
  fetch: typeof fetch;
  /** Waits between polls and measures the deadline (systemClock; tests pass one that never sleeps). */
  clock?: Clock;
}

export interface WatchOptions {
  api: string;
  changeId: string;
  intervalMs: number;
  timeoutMs: number;
  onEvent(event: AuditEvent): void;
  /** Called after every poll with what is known so far, for a live status line. */
  onPoll?(change: ChangeRecord | undefined): void;
  /** A running step's progress (the agent's connectivity test), each time it moves. */
  onProgress?(progress: StepProgress): void;
  /**
   * Ends only once the trail holds the closing `change.<status>` event too. A plan-only change reads
   * PLANNED from its plan step on, before its outcome step has written what it adds (a drift
   * check's drift.detected / drift.clear).
   */
  untilClosed?: boolean;
}

export type WatchResult = { kind: 'final'; change: ChangeRecord; events: AuditEvent[] } | { kind: 'timeout'; change?: ChangeRecord };

/** The change and its events now, or undefined while the API has no record of it (404). */
export async function readChange(deps: Pick<WatchDeps, 'fetch'>, api: string, changeId: string): Promise<{ change: ChangeRecord; events: AuditEvent[]; progress?: StepProgress } | undefined> {
  const base = `${api.replace(/\/$/, '')}/changes/${encodeURIComponent(changeId)}`;
  const change = await getJson(deps, base, ChangeReply).then((r) => r?.change);
  if (!change) return undefined;
  // Events are read after the record, so a final record's events are all there.
  const reply = await getJson(deps, `${base}/events`, EventsReply);
  return { change, events: [...(reply?.events ?? [])].sort((a, b) => a.seq - b.seq), progress: reply?.progress };
}

export async function watchChange(deps: WatchDeps, options: WatchOptions): Promise<WatchResult> {
  const clock = deps.clock ?? systemClock;
  const deadline = clock.now() + options.timeoutMs;
  const events: AuditEvent[] = [];
  let change: ChangeRecord | undefined;
  let shown = '';
  for (;;) {
    const now = await readChange(deps, options.api, options.changeId);
    change = now?.change;
    if (now && change) {
      const lastSeq = events.at(-1)?.seq ?? 0;
      for (const event of now.events.filter((e) => e.seq > lastSeq)) {
        events.push(event);
        options.onEvent(event);
      }
      const moved = now.progress ? `${now.progress.step}:${now.progress.done}/${now.progress.total}:${now.progress.running ?? ''}` : shown;
      if (now.progress && moved !== shown) options.onProgress?.(now.progress);
      shown = moved;
      const closing = closingEvent(change.status);
      const closed = !options.untilClosed || events.some((e) => e.type === closing);
      if (isFinalStatus(change.status, change.mode) && closed) return { kind: 'final', change, events };
    }
    options.onPoll?.(change);
    if (clock.now() >= deadline) return { kind: 'timeout', change };
    await clock.sleep(options.intervalMs);
  }
}

function closingEvent(status: ChangeStatus): string {
  return `change.${status.toLowerCase().replace(/_/g, '-')}`;
}

/** The CLI's exit code for a final status: 0 ok, 1 failed/rolled back, 2 rejected, 5 rollback failed. */
export function exitCodeForStatus(status: ChangeStatus): 0 | 1 | 2 | 5 {
  if (status === 'SUCCEEDED' || status === 'PLANNED') return 0;
  if (status === 'REJECTED') return 2;
  if (status === 'ROLLBACK_FAILED') return 5;
  return 1;
}

/** `[ 12.3s] precheck.passed          PRECHECKING   changeflow-workflow` */
export function eventLine(event: AuditEvent, elapsedMs: number): string {
  const line = `[${(elapsedMs / 1000).toFixed(1).padStart(5)}s] ${event.type.padEnd(24)} ${(event.status ?? '').padEnd(13)} ${event.actor}`;
  // A change queued on a busy target can wait a long time: say behind whom, and where in line.
  return event.type === 'lock.queued' ? `${line} · ${summariseEvent(event)}` : line;
}

async function getJson<T>(deps: Pick<WatchDeps, 'fetch'>, url: string, schema: z.ZodMiniType<T>): Promise<T | undefined> {
  const res = await deps.fetch(url, { headers: { accept: 'application/json' } });
  if (res.status === 404) {
    await res.arrayBuffer();
    return undefined;
  }
  const text = await res.text();
  if (!res.ok) throw new ChangeWatchFailed(`expected 200 from GET ${url}, found ${res.status}: ${text.slice(0, 300)}`);
  const parsed = schema.safeParse(parseJsonText(text));
  if (!parsed.success) throw new ChangeWatchFailed(`expected the §3.2 body from GET ${url}, found ${text.slice(0, 300)}`);
  return parsed.data;
}



/** The API answered something other than the change or 404 while we waited. */
export class ChangeWatchFailed extends ChangeflowError {
  override readonly name = 'ChangeWatchFailed' as const;
}
