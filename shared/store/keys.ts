// Every key the store writes is built here, so the layout documented in README.md has one home.
// Prefixes keep item kinds apart inside a partition and inside the overloaded byDay index.

const seqWidth = 10;

export const keys = {
  change: (changeId: string) => ({ pk: `CHANGE#${changeId}`, sk: 'CHANGE' }),
  changePartition: (changeId: string) => `CHANGE#${changeId}`,
  eventPrefix: 'EVENT#',
  event: (changeId: string, seq: number) => ({
    pk: `CHANGE#${changeId}`,
    sk: `EVENT#${String(seq).padStart(seqWidth, '0')}`,
  }),
  documentPrefix: (name: string, digest: string) => `DOC#${name}#${digest}#`,
  documentChunk: (changeId: string, name: string, digest: string, index: number) => ({
    pk: `CHANGE#${changeId}`,
    sk: `DOC#${name}#${digest}#${String(index).padStart(5, '0')}`,
  }),
  lock: (target: string) => ({ pk: `LOCK#${target}`, sk: 'LOCK' }),
  deliveryClaim: (deliveryKey: string) => ({ pk: `DELIVERY#${deliveryKey}`, sk: 'CLAIM' }),
  deliveryPartition: (deliveryKey: string) => `DELIVERY#${deliveryKey}`,
  deliveryOutcome: (deliveryKey: string, at: string, nonce: string) => ({
    pk: `DELIVERY#${deliveryKey}`,
    sk: `OUTCOME#${at}#${nonce}`,
  }),
  bounds: { pk: 'META', sk: 'BOUNDS' },
  // GSI partition values
  ticketPk: (system: string, key: string) => `${system}#${key}`,
  changeDayPk: (day: string) => `change#${day}`,
  deliveryDayPk: (day: string) => `delivery#${day}`,
  timeSk: (at: string, id: string) => `${at}#${id}`,
} as const;

/** The wait queue of a target, beside its lease (apart from `keys`: only the lock steps bundle it). */
export const queueKeys = {
  lockPartition: (target: string) => `LOCK#${target}`,
  queuePrefix: 'QUEUE#',
  // Ordered by when the change first queued (then its id): every target's queue uses the same
  // order, and a re-armed wait keeps its place.
  queueEntry: (target: string, since: string, changeId: string) => ({ pk: `LOCK#${target}`, sk: `QUEUE#${since}#${changeId}` }),
} as const;

/** The UTC day of an ISO timestamp, the partition of the byDay index. */
export function dayOf(iso: string): string {
  return iso.slice(0, 10);
}
