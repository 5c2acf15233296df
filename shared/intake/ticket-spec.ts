import { parseChangeSpecText } from '../spec/parse.js';
import type { ChangeSpec } from '../spec/change-spec.js';
import type { ChangeWindow } from '../spec/change-request.js';
import type { DeliveryVerdict } from './delivery-verdict.js';

// Steps both ticket systems share once a ticket is known to be approved: validate the ChangeSpec
// found in the ticket, and decide whether its window still allows a run.

/** Issue paths name the ticket field first, so the person knows the error is inside the spec. */
export function specFromTicket(source: string, text: string): { ok: true; spec: ChangeSpec } | { ok: false; verdict: DeliveryVerdict } {
  const parsed = parseChangeSpecText(text);
  if (parsed.ok) return parsed;
  const issues = parsed.issues.map((i) => ({ path: i.path ? `${source}: ${i.path}` : source, message: i.message }));
  const first = issues[0];
  return {
    ok: false,
    verdict: {
      kind: 'refused',
      httpStatus: 400,
      code: 'InvalidChangeSpec',
      message: `the ChangeSpec in ${source} is invalid${first ? ` (${first.path}: ${first.message})` : ''}; fix the ticket and approve it again`,
      issues,
    },
  };
}

/**
 * A window that has already ended cannot be run any more: ignored, with the reason, rather than
 * refused, because the delivery itself is well-formed. A window that has not started yet is
 * accepted; the workflow re-checks the window before applying (docs/architecture.md §2 step 6).
 */
export function windowEnded(window: ChangeWindow | undefined, now: Date): string | undefined {
  if (!window || Date.parse(window.end) > now.getTime()) return undefined;
  return `window ended at ${window.end}; reschedule the ticket to run it`;
}
