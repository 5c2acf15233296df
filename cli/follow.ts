import type { styleText } from 'node:util';
import { apiFetch } from './api-signing.js';
import { ExitCode } from './exit-codes.js';

// Follows one change live over the HTTP API — `submit --wait` and `watch ID` — one line per audit
// event, then the outcome. Ctrl-C stops following, not the change: the workflow runs on, and the
// line printed says how to pick it up again.

export interface Output {
  startedAt: number;
  tty: boolean;
  paint: (colour: Parameters<typeof styleText>[0], text: string) => string;
  say: (line: string) => void;
  complain: (line: string) => void;
}

export interface FollowOptions {
  timeoutSeconds: number;
  json: boolean;
  /** The plan the operator said yes to: a different plan on the real run is called out. */
  confirmedPlanHash?: string;
}

export async function followChange(api: string, changeId: string, opts: FollowOptions, out: Output): Promise<ExitCode> {
  const { watchChange, eventLine, exitCodeForStatus } = await import('./change-watch.js');
  const { toneOfStatus } = await import('../shared/report/timeline-page.js');
  const { createEventDetailer } = await import('./event-details.js');
  const { PlanEventDetail } = await import('./plan-diff.js');
  const details = createEventDetailer();
  const toneColour = { good: 'green', bad: 'red', warn: 'yellow', info: 'cyan' } as const;
  const elapsed = () => Date.now() - out.startedAt;
  const clearStatus = () => {
    if (out.tty) process.stdout.write('\r\x1b[2K');
  };
  const onInterrupt = () => {
    clearStatus();
    out.complain(`stopped following; change ${changeId} keeps running. Follow it again with \`changeflow watch ${changeId}\` or open ${api}/changes/${encodeURIComponent(changeId)}`);
    process.exit(ExitCode.notFound);
  };
  process.once('SIGINT', onInterrupt);
  try {
    const result = await watchChange(
      { fetch: apiFetch },
      {
        api,
        changeId,
        intervalMs: 700,
        timeoutMs: opts.timeoutSeconds * 1000,
        onEvent: (event) => {
          if (opts.json) return;
          clearStatus();
          out.say(out.paint(toneColour[toneOfStatus(event.status)], eventLine(event, elapsed())));
          for (const line of details(event)) out.say(line);
          const plan = event.type === 'plan.created' ? PlanEventDetail.safeParse(event.detail) : undefined;
          if (opts.confirmedPlanHash && plan?.success && plan.data.planHash !== opts.confirmedPlanHash) {
            out.complain(out.paint('yellow', `warning: this plan (${plan.data.planHash.slice(0, 12)}) differs from the one you confirmed (${opts.confirmedPlanHash.slice(0, 12)}): the fabric or the cluster changed in between`));
          }
        },
        // The connectivity test runs for minutes: say how far it got instead of nothing.
        onProgress: (p) => {
          if (opts.json) return;
          clearStatus();
          out.say(out.paint('cyan', `  ${p.what}: ${p.done}/${p.total} tests done${p.running ? ` · running ${p.running}` : ''}`));
        },
        // A live line on a terminal only; logs and pipes get one line per event.
        onPoll: (change) => {
          if (out.tty) process.stdout.write(`\r\x1b[2K[${(elapsed() / 1000).toFixed(1).padStart(5)}s] waiting · ${change?.status ?? 'not recorded yet'}`);
        },
      },
    );
    clearStatus();
    if (result.kind === 'timeout') {
      const where = result.change ? `still ${result.change.status}` : 'its record never appeared (is the workflow running?)';
      out.complain(`gave up after ${opts.timeoutSeconds} s waiting for ${changeId}: ${where}; follow it at ${api}/changes/${changeId}`);
      return ExitCode.notFound;
    }
    const { change } = result;
    if (opts.json) {
      out.say(JSON.stringify(change, null, 2));
    } else {
      const reason = change.outcome?.reason ? `: ${change.outcome.reason}` : '';
      out.say(out.paint(toneColour[toneOfStatus(change.status)], `${change.status}${reason} after ${(elapsed() / 1000).toFixed(1)} s`));
      out.say(`audit: ${api}/changes/${encodeURIComponent(change.changeId)}`);
    }
    return exitCodeForStatus(change.status);
  } finally {
    process.off('SIGINT', onInterrupt);
  }
}
