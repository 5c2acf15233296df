import * as z from '../zod.js';
import { ChangeRequest } from '../spec/change-request.js';
import { DocumentRef, parseTargetRef, type Store } from '../store/index.js';
import { groupId, restoreSpecs, type InForce, type RestoreGroup } from './restore-spec.js';

// Starting the drift checks (docs/architecture.md §3.7): for every target with SUCCEEDED changes
// in force, a plan-only change of the restore spec, marked `drift`, goes through the change
// workflow — the agent gathers the facts, the planner diffs, nothing is applied. The route, the
// schedule (EventBridge on AWS, `dev --drift-every` locally) and the CLI all come through here.

export interface DriftRun {
  readonly changeId: string;
  readonly executionArn: string;
  readonly targets: readonly string[];
  readonly inForce: readonly string[];
}

export interface DriftStarter {
  start(name: string, input: string): Promise<{ executionArn: string }>;
}

const Received = z.looseObject({ request: DocumentRef });

/** SUCCEEDED apply changes, with the spec each was started with. */
async function changesInForce(store: Store, target: string | undefined): Promise<InForce[]> {
  const out: InForce[] = [];
  for await (const change of store.changes.iterate({ status: 'SUCCEEDED', ...(target ? { target } : {}) })) {
    if (change.mode !== 'apply') continue;
    const { events } = await store.audit.listEvents(change.changeId, { limit: 5 });
    const first = events.find((e) => e.type === 'change.received');
    // A large detail is kept as a document: read it whole.
    const received = Received.safeParse(first ? await store.audit.eventDetail(first) : undefined);
    if (!received.success) throw new Error(`change ${change.changeId} has no readable change.received event with its request; cannot say what it wanted`);
    const request = ChangeRequest.parse(await store.documents.getDocument(received.data.request));
    out.push({ changeId: change.changeId, at: change.updatedAt, spec: request.spec });
  }
  return out;
}

function touches(group: RestoreGroup, target: string | undefined): boolean {
  if (!target) return true;
  const ref = parseTargetRef(target);
  return ref.kind === 'fabric' ? group.spec.target.fabric === ref.name : group.spec.target.cluster === ref.name;
}

export async function startDriftRuns(store: Store, starter: DriftStarter, opts: { target?: string; by: string; now: Date }): Promise<{ runs: DriftRun[]; inForce: number }> {
  if (opts.target !== undefined) parseTargetRef(opts.target);
  const inForce = await changesInForce(store, opts.target);
  const groups = restoreSpecs(inForce).filter((g) => touches(g, opts.target));
  // To the millisecond: two checks asked for within one second are two checks.
  const stamp = opts.now.toISOString().replace(/[-:.]/g, '');
  const runs: DriftRun[] = [];
  for (const group of groups) {
    const changeId = `drift-${groupId(group)}-${stamp}`;
    const request: ChangeRequest = { source: 'api', ticket: { system: 'none' }, requestedBy: opts.by, spec: group.spec, drift: { inForce: [...group.inForce] } };
    const { executionArn } = await starter.start(changeId, JSON.stringify(ChangeRequest.parse(request)));
    runs.push({ changeId, executionArn, targets: [`fabric#${group.spec.target.fabric}`, `cluster#${group.spec.target.cluster}`], inForce: group.inForce });
  }
  return { runs, inForce: inForce.length };
}
