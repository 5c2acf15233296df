import * as z from 'zod';
import type { AuditEvent } from '../store/audit-event.js';
import type { ChangeRecord } from '../store/change-record.js';
import { escapeHtml as e } from './html.js';

// Change control on the timeline page (docs/architecture.md §3.7): what a person can or must do
// now — approve the waiting plan (with the exact command), see who aborted and why, see which
// freeze refused the change. Read from the audit trail, like the rest of the page.

const Requested = z.looseObject({ planHash: z.string(), deadline: z.string(), approveCommand: z.string() });
const AbortAsked = z.looseObject({ by: z.string(), reason: z.string(), effect: z.string().optional() });
const FrozenRecheck = z.looseObject({ rule: z.literal('freeze'), detail: z.string() });

export function controlBox(change: ChangeRecord, events: readonly AuditEvent[]): string {
  const abort = events.findLast((ev) => ev.type === 'abort.requested');
  const asked = abort ? AbortAsked.safeParse(abort.detail) : undefined;
  if (change.status === 'AWAITING_APPROVAL' && !asked?.success) {
    const requested = Requested.safeParse(events.findLast((ev) => ev.type === 'approval.requested')?.detail);
    if (!requested.success) return '';
    const { planHash, deadline, approveCommand } = requested.data;
    return `<section class="next warn" id="approval"><h2>Waiting for approval</h2><ol>
<li>Review the plan below (hash <code>${e(planHash)}</code>); nothing has been applied and the targets stay locked.</li>
<li>Approve it before <strong>${e(deadline)}</strong>, or it ends REJECTED (approval timed out):<pre>${e(approveCommand)}</pre>or add a work note / comment <code>${e(`/approve ${planHash.slice(0, 12)}`)}</code> on the ticket (approver group).</li>
<li>To stop it instead: <code>${e(`changeflow abort ${change.changeId} --reason "…"`)}</code></li>
</ol></section>`;
  }
  if (asked?.success) {
    const { by, reason } = asked.data;
    const what =
      change.status === 'ABORTED'
        ? 'Nothing was applied; the locks were released.'
        : change.status === 'ROLLED_BACK'
          ? 'It was rolled back: the fabric and the cluster are back as before.'
          : 'It stops at its next step.';
    return `<section class="next warn" id="aborted"><h2>Aborted by ${e(by)}</h2><p>${e(reason)}. ${e(what)}</p></section>`;
  }
  const frozen = events.find((ev) => (ev.type === 'precheck.failed' && JSON.stringify(ev.detail).includes('"change.freeze"')) || FrozenRecheck.safeParse(ev.detail).success);
  if (frozen && change.status === 'REJECTED') {
    return `<section class="next bad" id="frozen"><h2>Frozen</h2><p>${e(change.outcome?.reason ?? 'a freeze covers the fabric or the cluster')}. Nothing was applied. See the calendar with <code>changeflow freeze list</code>.</p></section>`;
  }
  return '';
}
