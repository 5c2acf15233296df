import type { AuditEvent, ChangeRecord } from '../shared/store/index.js';
import { apiFetch } from './api-signing.js';
import { ExitCode } from './exit-codes.js';
import type { Output } from './follow.js';
import { ask } from './prompt.js';

// A manual `mode: apply` from the CLI is confirmed the way `terraform apply` is: the same spec
// runs first as a plan-only change (prechecks and the plan against the live fabric and cluster,
// nothing touched), the plan is printed, and only the word `yes` starts the real change. Without
// a terminal to ask on, the operator must say `--yes` up front.

export interface Preview {
  api: string;
  changeId: string;
  timeoutSeconds: number;
  /** Where the question is read from: the terminal. */
  input: NodeJS.ReadableStream;
}

export type Confirmation = { confirmed: true; planHash?: string } | { confirmed: false; exitCode: ExitCode };

export const notOnTerminal =
  'a manual apply asks for confirmation after showing its plan, and there is no terminal to ask on; ' +
  'pass --yes to apply without asking, or submit it as mode: plan-only to see the plan first';

/** Follows the preview to its plan, prints it, and asks. */
export async function previewAndConfirm(preview: Preview, out: Output): Promise<Confirmation> {
  const [{ watchChange, exitCodeForStatus }, { createEventDetailer }, { PlanEventDetail }] = await Promise.all([
    import('./change-watch.js'),
    import('./event-details.js'),
    import('./plan-diff.js'),
  ]);
  out.say(`planning ${preview.changeId} (plan only: prechecks and the plan against the live fabric and cluster; nothing is changed)`);
  const result = await watchChange(
    { fetch: apiFetch },
    { api: preview.api, changeId: preview.changeId, intervalMs: 500, timeoutMs: preview.timeoutSeconds * 1000, onEvent: () => undefined },
  );
  if (result.kind === 'timeout') {
    out.complain(`gave up after ${preview.timeoutSeconds} s waiting for the plan of ${preview.changeId}; nothing was applied`);
    return { confirmed: false, exitCode: ExitCode.notFound };
  }
  const details = createEventDetailer();
  const shown = (e: AuditEvent) => e.type === 'change.received' || e.type.startsWith('precheck.') || e.type === 'plan.created';
  for (const event of result.events.filter(shown)) {
    const lines = details(event);
    if (event.type === 'change.received') continue;
    out.say('');
    for (const line of lines) out.say(line.replace(/^ {4}/, ''));
  }
  const planEvent = result.events.findLast((e) => e.type === 'plan.created');
  const plan = planEvent ? PlanEventDetail.safeParse(planEvent.detail) : undefined;
  if (result.change.status !== 'PLANNED') {
    out.say('');
    out.say(out.paint('red', `${result.change.status}${reasonOf(result.change)}: nothing was applied`));
    out.say(`audit: ${preview.api}/changes/${encodeURIComponent(preview.changeId)}`);
    return { confirmed: false, exitCode: exitCodeForStatus(result.change.status) };
  }
  out.say('');
  out.say('Do you want to apply this plan?');
  out.say('  changeflow will make these changes on the fabric and the cluster; only "yes" is accepted.');
  const answer = await ask(preview.input, '  Enter a value: ');
  if (answer.trim() !== 'yes') {
    out.say('apply cancelled: nothing was applied');
    return { confirmed: false, exitCode: ExitCode.rejected };
  }
  return { confirmed: true, planHash: plan?.success ? plan.data.planHash : undefined };
}

function reasonOf(change: ChangeRecord): string {
  return change.outcome?.reason ? ` — ${change.outcome.reason}` : '';
}
