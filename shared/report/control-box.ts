import * as z from '../zod.js';
import type { AuditEvent } from '../store/audit-event.js';
import type { ChangeRecord } from '../store/change-record.js';
import { escapeHtml as e } from './html.js';

// Change control on the timeline page (docs/architecture.md §3.7): what a person can or must do
// now — approve the waiting plan (with the exact command), see who aborted and why, see which
// freeze refused the change, how long the observation window still runs, which check regressed,
// what a drift check found. Read from the audit trail, like the rest of the page.

const Requested = z.looseObject({ planHash: z.string(), deadline: z.string(), approveCommand: z.string() });
const AbortAsked = z.looseObject({ by: z.string(), reason: z.string(), effect: z.optional(z.string()) });
const FrozenRecheck = z.looseObject({ rule: z.literal('freeze'), detail: z.string() });
const ObserveStarted = z.looseObject({ seconds: z.number(), intervalSeconds: z.number(), checks: z.number(), until: z.string() });
const ObserveRound = z.looseObject({ round: z.number() });
const ObserveRegressed = z.looseObject({ reason: z.string() });
const DriftFound = z.looseObject({
  target: z.string(),
  drift: z.array(z.looseObject({ ref: z.string(), path: z.string(), expected: z.string(), found: z.string() })),
  inForce: z.optional(z.array(z.string())),
});

/** Items shown per target before "… and N more" (the whole list is in the event and `changeflow drift --json`). */
const driftItemsShown = 20;

/**
 * A drift check's page: per target, what differs from the changes in force (or that nothing
 * does), that nothing was changed, and the command that prints the restoring ChangeSpec.
 */
function driftBox(events: readonly AuditEvent[]): string {
  const results = events.filter((ev) => ev.type === 'drift.detected' || ev.type === 'drift.clear').flatMap((ev) => {
    const parsed = DriftFound.safeParse(ev.detail);
    return parsed.success ? [parsed.data] : [];
  });
  if (results.length === 0) return '';
  const drifted = results.filter((r) => r.drift.length > 0);
  const count = drifted.reduce((n, r) => n + r.drift.length, 0);
  const inForce = [...new Set(results.flatMap((r) => r.inForce ?? []))];
  const targetOf = (t: string) => t.replace(/^(fabric|cluster)#/, '$1:');
  const perTarget = results.map((r) => {
    if (r.drift.length === 0) return `<li><strong>${e(r.target)}</strong>: no drift — it reads as the changes in force left it.</li>`;
    const items = r.drift.slice(0, driftItemsShown).map((d) => `<li><code>${e(d.ref)}</code>${d.path ? ` <code>${e(d.path)}</code>` : ''}: expected <code>${e(d.expected)}</code>, found <code>${e(d.found)}</code></li>`);
    const more = r.drift.length > driftItemsShown ? `<li>… and ${r.drift.length - driftItemsShown} more: <code>${e(`changeflow drift --target ${targetOf(r.target)} --json`)}</code></li>` : '';
    return `<li><strong>${e(r.target)}</strong>: ${r.drift.length} difference${r.drift.length === 1 ? '' : 's'}<ul>${items.join('')}${more}</ul></li>`;
  });
  const since = inForce.length > 0 ? ` from ${inForce.length} change${inForce.length === 1 ? '' : 's'} in force (${inForce.map((id) => e(id)).join(', ')})` : '';
  if (drifted.length === 0) {
    return `<section class="next good" id="drift"><h2>No drift</h2><p>The live state matches the desired state${since}.</p><ul>${perTarget.join('')}</ul></section>`;
  }
  const first = drifted[0]?.target ?? '';
  return `<section class="next bad" id="drift"><h2>Drift — ${count} object${count === 1 ? '' : 's'} differ${count === 1 ? 's' : ''}</h2><p>The live state differs from the desired state${since}. Nothing was changed.</p><ul>${perTarget.join('')}</ul>
<p>To print the ChangeSpec that restores it (submit it as a ticket like any change): <code>${e(`changeflow drift --target ${targetOf(first)}`)}</code></p></section>`;
}

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
  const drift = driftBox(events);
  if (drift) return drift;
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
