import * as z from '../../shared/zod.js';
import { systemClock, type Clock } from '../../shared/runtime/clock.js';

// `changeflow dev --drift-every SECONDS`: the local stand-in for the stack's EventBridge rule. On
// AWS the rule invokes the start-drift function with a Scheduled Event; here the schedule asks the
// same function over the local API (POST /drift), so a scheduled check and `changeflow drift` start
// exactly the same plan-only checks. One round at a time: a round still running when the next is
// due is not doubled, the next one starts an interval after it ended.

export const minDriftEverySeconds = 10;

const Started = z.object({ runs: z.array(z.object({ changeId: z.string() })), inForce: z.number() });

export interface DriftSchedule {
  /** Rounds asked for so far (answered or not). */
  readonly rounds: number;
  stop(): Promise<void>;
}

export interface DriftScheduleOptions {
  /** The local API's base URL (endpoints.json `api`). */
  api: string;
  everySeconds: number;
  log: (line: string) => void;
  clock?: Clock;
  fetch?: typeof fetch;
}

/** Parses the flag's value: whole seconds, at least minDriftEverySeconds. */
export function parseDriftEvery(text: string): { ok: true; seconds: number } | { ok: false; message: string } {
  const seconds = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(seconds) || seconds < minDriftEverySeconds) {
    return { ok: false, message: `--drift-every: expected whole seconds ≥ ${minDriftEverySeconds}, found "${text}"` };
  }
  return { ok: true, seconds };
}

export function startDriftSchedule(opts: DriftScheduleOptions): DriftSchedule {
  const clock = opts.clock ?? systemClock;
  const send = opts.fetch ?? fetch;
  const stopping = new AbortController();
  let rounds = 0;

  async function round(): Promise<void> {
    rounds += 1;
    const reply = await send(`${opts.api}/drift`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ by: `changeflow dev --drift-every ${opts.everySeconds}` }),
      signal: stopping.signal,
    });
    const text = await reply.text();
    if (reply.status !== 202) {
      opts.log(`drift schedule: POST /drift answered ${reply.status}: ${text.slice(0, 300)}`);
      return;
    }
    const started = Started.safeParse(JSON.parse(text));
    if (!started.success) {
      opts.log(`drift schedule: POST /drift answered 202 with an unexpected body: ${text.slice(0, 300)}`);
      return;
    }
    const { runs, inForce } = started.data;
    opts.log(runs.length === 0
      ? `drift schedule: nothing in force to compare (${inForce} SUCCEEDED change(s))`
      : `drift schedule: started ${runs.map((r) => r.changeId).join(', ')} against ${inForce} change(s) in force; see changeflow audit show ID`);
  }

  const loop = (async () => {
    for (;;) {
      try {
        await clock.sleep(opts.everySeconds * 1000, stopping.signal);
        await round();
      } catch (err) {
        if (stopping.signal.aborted) return;
        // A round that could not reach the API (the stack is starting or stopping) is reported and
        // the schedule goes on: drift checks are advisory and change nothing.
        opts.log(`drift schedule: round ${rounds} failed: ${(err as Error).message}`);
      }
    }
  })();

  return {
    get rounds() {
      return rounds;
    },
    async stop() {
      stopping.abort(new Error('drift schedule stopped'));
      await loop;
    },
  };
}
