import type { AuditEvent } from '../store/audit-event.js';
import { verdictOf } from './event-summary.js';

// The workflow's steps as a change manager names them (docs/architecture.md §2), and the tone each event and
// each step earned: the page draws a stepper from these and groups the timeline under them.

export type Tone = 'good' | 'bad' | 'warn' | 'info';

export function toneOfStatus(status: string | undefined): Tone {
  if (status === undefined) return 'info';
  if (['SUCCEEDED', 'PLANNED'].includes(status)) return 'good';
  if (['ROLLED_BACK', 'ROLLING_BACK', 'AWAITING_APPROVAL', 'ABORTED', 'OBSERVING'].includes(status)) return 'warn';
  if (['FAILED', 'ROLLBACK_FAILED', 'REJECTED'].includes(status)) return 'bad';
  return 'info';
}

export function toneOfEvent(event: Pick<AuditEvent, 'type' | 'status' | 'detail'>): Tone {
  const verdict = verdictOf(event);
  if (/\.(failed|refused|timeout|mismatch)$/.test(event.type) || verdict === 'fail') return 'bad';
  if (/^rollback\./.test(event.type) || verdict === 'unknown') return 'warn';
  if (/\.(succeeded|passed|verified|applied|established)$/.test(event.type) || verdict === 'pass') return 'good';
  return toneOfStatus(event.status);
}

export const phaseIds = ['intake', 'precheck', 'plan', 'apply', 'verify', 'rollback', 'outcome'] as const;
export type PhaseId = (typeof phaseIds)[number];

export const phaseTitles: Record<PhaseId, string> = {
  intake: 'Intake',
  precheck: 'Precheck',
  plan: 'Plan',
  apply: 'Apply',
  verify: 'Verify',
  rollback: 'Rollback',
  outcome: 'Outcome',
};

const phaseOfType: ReadonlyArray<[RegExp, PhaseId]> = [
  [/^(change\.received|lock\.acquired)/, 'intake'],
  // Gathering the facts is the first half of prechecking: the time the agent spent reading the
  // fabric and the cluster belongs to Precheck, not to Intake.
  [/^(facts\.|precheck\.)/, 'precheck'],
  [/^(plan\.|recheck\.)/, 'plan'],
  [/^(snapshot\.|apply\.)/, 'apply'],
  [/^verify\./, 'verify'],
  [/^rollback\./, 'rollback'],
  [/^(change\.|lock\.released|ticket\.closed|page\.)/, 'outcome'],
];

export interface PhaseGroup {
  readonly phase: PhaseId;
  readonly events: readonly AuditEvent[];
  readonly tone: Tone;
}

/**
 * Consecutive events grouped by step. An event of no step (a ticket note, say) belongs to the
 * step it follows: the note about the plan is part of planning.
 */
export function groupByPhase(events: readonly AuditEvent[]): PhaseGroup[] {
  const groups: Array<{ phase: PhaseId; events: AuditEvent[] }> = [];
  for (const event of events) {
    const own = phaseOfType.find(([re]) => re.test(event.type))?.[1];
    const last = groups.at(-1);
    const phase = own ?? last?.phase ?? 'intake';
    if (last && last.phase === phase) last.events.push(event);
    else groups.push({ phase, events: [event] });
  }
  return groups.map((g) => ({ ...g, tone: worstTone(g.events.map(toneOfEvent)) }));
}

/** A step that ran is good unless one of its events was bad or a warning. */
function worstTone(tones: readonly Tone[]): Tone {
  if (tones.includes('bad')) return 'bad';
  if (tones.includes('warn')) return 'warn';
  return 'good';
}

export interface Step {
  readonly phase: PhaseId;
  /** `skipped`: the change ended without reaching this step. */
  readonly tone: Tone | 'skipped';
  readonly ms?: number;
}

/** The stepper: every step of the workflow, rollback only when one happened, outcome from the status. */
export function stepsOf(groups: readonly PhaseGroup[], status: string): Step[] {
  return phaseIds
    .filter((phase) => phase !== 'rollback' || groups.some((g) => g.phase === 'rollback'))
    .map((phase) => {
      const mine = groups.filter((g) => g.phase === phase);
      if (mine.length === 0) return { phase, tone: 'skipped' as const };
      // A step's work ends in its last event and began when the step before it ended: the wait
      // for the agent before `facts.gathered` is Precheck's time, not a gap between steps.
      const ms = mine.reduce((sum, g) => {
        const index = groups.indexOf(g);
        const begun = Date.parse((index > 0 ? groups[index - 1]?.events.at(-1) : g.events[0])?.at ?? '');
        return sum + (Date.parse(g.events.at(-1)?.at ?? '') - begun);
      }, 0);
      const tone = phase === 'outcome' ? toneOfStatus(status) : worstTone(mine.map((g) => g.tone));
      return { phase, tone, ms: Number.isFinite(ms) ? ms : undefined };
    });
}
