import * as z from '../zod.js';
import { TicketSystem } from './change-record.js';
import { keys } from './keys.js';
import type { Partition, PartitionWalk } from './partition-walk.js';
import { ChangeStatus } from './statuses.js';
import { parseInput } from './validate.js';
import { parseTargetRef, targetRef } from './targets.js';

// Turns a listing request into index partitions (docs/architecture.md §3.2 GET /changes). Which index:
// ticket → byTicket, else target → byFabric/byCluster, else the byDay walk. Status (and a
// target next to a ticket) narrow with a FilterExpression inside the chosen key: never a Scan.
export const ChangeQuery = z.object({
  ticket: z.optional(z.string().check(z.minLength(1))),
  target: z.optional(z.string().check(z.minLength(1))),
  status: z.optional(ChangeStatus),
  since: z.optional(z.iso.datetime({ offset: true })),
  until: z.optional(z.iso.datetime({ offset: true })),
});
export type ChangeQuery = z.input<typeof ChangeQuery>;

const dayMs = 86_400_000;

export interface WalkBounds {
  /** ISO time standing in for a missing `until`. */
  now: string;
  /** Earliest day any change was created, when the query gives no `since`. */
  firstDay?: string;
}

/** Only a day walk without `since` needs the table's first day. */
export function needsFirstDay(input: ChangeQuery): boolean {
  return !input.ticket && !input.target && !input.since;
}

export function changeWalk(input: ChangeQuery, order: 'asc' | 'desc', bounds: WalkBounds): PartitionWalk {
  const query = parseInput(ChangeQuery, input, 'change query (ticket, target, status, ISO 8601 since/until)');
  const since = query.since ? new Date(query.since).toISOString() : undefined;
  const until = query.until ? new Date(query.until).toISOString() : undefined;
  const range = { from: since, to: until ? `${until}#~` : undefined };
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const filters: string[] = [];
  if (query.status) {
    names['#status'] = 'status';
    values[':status'] = query.status;
    filters.push('#status = :status');
  }

  let partitions: Partition[] | ((i: number) => Partition | undefined);
  if (query.ticket) {
    partitions = ticketPartitions(query.ticket);
    if (query.target) {
      const target = parseTargetRef(query.target);
      names['#target'] = target.kind === 'fabric' ? 'fabricPk' : 'clusterPk';
      values[':target'] = target.key;
      filters.push('#target = :target');
    }
  } else if (query.target) {
    partitions = targetPartitions(query.target);
  } else {
    partitions = dayPartitions(since, until ?? bounds.now, bounds.firstDay, order);
  }
  const list = partitions;
  return {
    partition: typeof list === 'function' ? list : (i) => list[i],
    range,
    filter: filters.length > 0 ? { expression: filters.join(' AND '), names, values } : undefined,
    order,
    identity: { query: { ...query, since, until }, order },
    carry: bounds.firstDay ? { now: bounds.now, firstDay: bounds.firstDay } : { now: bounds.now },
  };
}

/** `servicenow:CHG0030001` or `jira#OPS-12` name one partition; a bare number is looked up in each system. */
function ticketPartitions(ticket: string): Partition[] {
  const match = /^([a-z]+)[:#](.+)$/.exec(ticket);
  const system = match ? TicketSystem.safeParse(match[1]) : undefined;
  if (match && system?.success) return [{ index: 'byTicket', value: keys.ticketPk(system.data, match[2] as string) }];
  return (['servicenow', 'jira'] as const).map((s) => ({ index: 'byTicket' as const, value: keys.ticketPk(s, ticket) }));
}

/** `fabric:dc1-aci` names one index; a bare name is looked up as a fabric, then as a cluster. */
function targetPartitions(target: string): Partition[] {
  if (/^(fabric|cluster)[#:/]/.test(target)) {
    const ref = parseTargetRef(target);
    return [{ index: ref.kind === 'fabric' ? 'byFabric' : 'byCluster', value: ref.key }];
  }
  const fabric = targetRef('fabric', target);
  const cluster = targetRef('cluster', target);
  return [
    { index: 'byFabric', value: fabric.key },
    { index: 'byCluster', value: cluster.key },
  ];
}

function dayPartitions(
  since: string | undefined,
  until: string,
  firstDay: string | undefined,
  order: 'asc' | 'desc',
): (i: number) => Partition | undefined {
  const first = since ? since.slice(0, 10) : firstDay;
  if (!first) return () => undefined;
  const startMs = Date.parse(`${first}T00:00:00.000Z`);
  const endMs = Date.parse(`${until.slice(0, 10)}T00:00:00.000Z`);
  const days = Math.floor((endMs - startMs) / dayMs) + 1;
  return (i) => {
    if (i < 0 || i >= days) return undefined;
    const dayMsValue = order === 'asc' ? startMs + i * dayMs : endMs - i * dayMs;
    return { index: 'byDay', value: keys.changeDayPk(new Date(dayMsValue).toISOString().slice(0, 10)) };
  };
}
