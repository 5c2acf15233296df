import * as z from 'zod';
import type { AuditEvent } from '../store/audit-event.js';
import type { ChangeRecord } from '../store/change-record.js';
import { escapeHtml as e } from './html.js';

// Change control on the timeline page (docs/architecture.md §3.7): what a person can or must do
// now — approve the waiting plan (with the exact command), see who aborted and why, see which
// freeze refused the change, how long the observation window still runs, which check regressed. Read from the audit trail, like the rest of the page.

const Requested = z.looseObject({ planHash: z.string(), deadline: z.string(), approveCommand: z.string() });
const AbortAsked = z.looseObject({ by: z.string(), reason: z.string(), effect: z.string().optional() });
const FrozenRecheck = z.looseObject({ rule: z.literal('freeze'), detail: z.string() });
const ObserveStarted = z.looseObject({ seconds: z.number(), intervalSeconds: z.number(), checks: z.number(), until: z.string() });
const ObserveRound = z.looseObject({ round: z.number() });
const ObserveRegressed = z.looseObject({ reason: z.string() });

/**
 * While OBSERVING: how long the window still runs, as a countdown the browser keeps running with
 * no script (a CSS animation of an integer custom property shown through a counter, allowed by
 * its style hash like the page's own CSS), which check this is, and how to stop it.
 */
function observingBox(change: ChangeRecord, events: readonly AuditEvent[], now: Date): string {
  const started = ObserveStarted.safeParse(events.findLast((ev) => ev.type === 'observe.started')?.detail);
  if (!started.success) return '';
  const { seconds, intervalSeconds, checks, until } = started.data;
  const done = ObserveRound.safeParse(events.findLast((ev) => ev.type === 'observe.check')?.detail);
  const left = Math.max(0, Math.ceil((Date.parse(until) - now.getTime()) / 1000));
  const countdown = `<style>@property --observe-left{syntax:'<integer>';inherits:false;initial-value:0}
.countdown{animation:observe-left ${left}s steps(${Math.max(1, left)},end) forwards;counter-reset:left var(--observe-left)}
.countdown::after{content:counter(left) " s"}
@keyframes observe-left{from{--observe-left:${left}}to{--observe-left:0}}</style>`;
  return `<section class="next warn" id="observing"><h2>Observing — <span class="countdown" role="timer" aria-label="${left} seconds left"></span> left</h2>${countdown}<ol>
<li>Verified; the change is watched for ${e(String(seconds))} s, its cheap checks (BGP sessions on both sides, pools, egress, L2 leases) every ${e(String(intervalSeconds))} s, check ${e(String(done.success ? done.data.round : 0))} of ${e(String(checks))} done; the targets stay locked.</li>
<li>The window ends at <strong>${e(until)}</strong> (${e(String(left))} s after this page was drawn); then it is SUCCEEDED and the ticket is closed. A check that regresses rolls it back at once.</li>
<li>To roll it back now: <code>${e(`changeflow abort ${change.changeId} --reason "…"`)}</code></li>
</ol></section>`;
}

/** A change rolled back late: which check regressed, when. */
function regressedBox(events: readonly AuditEvent[]): string {
  const regressed = ObserveRegressed.safeParse(events.findLast((ev) => ev.type === 'observe.regressed')?.detail);
  if (!regressed.success) return '';
  return `<section class="next bad" id="regressed"><h2>Regressed while observing</h2><p>${e(regressed.data.reason)}. It was rolled back: the fabric and the cluster are back as before the change.</p></section>`;
}

export function controlBox(change: ChangeRecord, events: readonly AuditEvent[], now: Date = new Date(change.updatedAt)): string {
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
  if (change.status === 'OBSERVING') return observingBox(change, events, now);
  if (change.status === 'ROLLED_BACK' || change.status === 'ROLLING_BACK' || change.status === 'ROLLBACK_FAILED') {
    const box = regressedBox(events);
    if (box) return box;
  }
  const frozen = events.find((ev) => (ev.type === 'precheck.failed' && JSON.stringify(ev.detail).includes('"change.freeze"')) || FrozenRecheck.safeParse(ev.detail).success);
  if (frozen && change.status === 'REJECTED') {
    return `<section class="next bad" id="frozen"><h2>Frozen</h2><p>${e(change.outcome?.reason ?? 'a freeze covers the fabric or the cluster')}. Nothing was applied. See the calendar with <code>changeflow freeze list</code>.</p></section>`;
  }
  return '';
}
