import * as z from '../../shared/zod.js';

// Execution history in the shape of the GetExecutionHistory API (timestamps kept in epoch ms
// here; the wire layer turns them into epoch seconds).
export const HistoryEvent = z.looseObject({
  id: z.int(),
  previousEventId: z.int(),
  timestamp: z.number(),
  type: z.string(),
});
export type HistoryEvent = z.infer<typeof HistoryEvent>;

/** `TaskScheduled` → `taskScheduledEventDetails`; every `…StateEntered` shares one key, as on AWS. */
export function detailsKey(type: string): string {
  if (type.endsWith('StateEntered')) return 'stateEnteredEventDetails';
  if (type.endsWith('StateExited')) return 'stateExitedEventDetails';
  return `${type[0]!.toLowerCase()}${type.slice(1)}EventDetails`;
}

export class ExecutionHistory {
  private lastIdByState = new Map<string, number>();
  private sealed = false;

  constructor(
    readonly events: HistoryEvent[] = [],
    private readonly onAppend: () => void = () => undefined,
  ) {}

  get lastId(): number {
    return this.events.at(-1)?.id ?? 0;
  }

  /**
   * Appends one event. `previousEventId` chains a state's own events (entered → scheduled →
   * started → succeeded → exited) so that parallel branches and map iterations read apart.
   */
  record(type: string, details?: Record<string, unknown>, stateName?: string, now = Date.now()): HistoryEvent | undefined {
    if (this.sealed) return undefined;
    const id = this.lastId + 1;
    const entering = type.endsWith('StateEntered');
    const previousEventId = stateName && !entering ? (this.lastIdByState.get(stateName) ?? this.lastId) : this.lastId;
    const event: HistoryEvent = { id, previousEventId, timestamp: now, type };
    if (details) event[detailsKey(type)] = details;
    this.events.push(event);
    if (stateName) this.lastIdByState.set(stateName, id);
    this.onAppend();
    return event;
  }

  /**
   * Ends the history at the execution's closing event: a branch or task still finishing in the
   * background after a stop or failure adds nothing, as on AWS.
   */
  seal(): void {
    this.sealed = true;
  }
}

/** The payload fields of state and task events: JSON text plus the truncation flag AWS sends. */
export function jsonField(name: 'input' | 'output', value: unknown): Record<string, unknown> {
  return { [name]: JSON.stringify(value ?? null), [`${name}Details`]: { truncated: false } };
}
