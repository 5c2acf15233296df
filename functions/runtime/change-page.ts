import * as z from 'zod';
import { DiffLine } from '../../shared/plan/plan-op.js';
import { Plan } from '../../shared/plan/plan.js';
import { renderTimelinePage, type TimelinePageInput } from '../../shared/report/timeline-page.js';
import type { Store } from '../../shared/store/index.js';
import { executionWorkflow } from './execution-path.js';
import { htmlReply } from './html-reply.js';
import type { HttpReply } from './http.js';
import type { ChangeLogger } from './logger.js';

// A change's timeline page as the API serves it: to a signed-in browser (GET /changes/{id}) and
// through a ticket note's signed link (GET /links/changes/{id}), from the same reads.

const PlanDetail = z.object({ diff: z.array(DiffLine), totals: Plan.shape.totals.optional() });

export async function timelinePage(store: Store, changeId: string, logger: ChangeLogger, link?: TimelinePageInput['link']): Promise<HttpReply> {
  const { change, events } = await store.getChangeWithEvents(changeId);
  const chain = await store.audit.verify(changeId);
  // The plan.created event carries the diff; a large one is summarised, so read the full detail.
  const planEvent = events.findLast((e) => e.type === 'plan.created');
  const plan = planEvent ? PlanDetail.safeParse(await store.audit.eventDetail(planEvent)) : undefined;
  const workflow = change.executionArn ? await executionWorkflow(change.executionArn, process.env, logger) : undefined;
  const html = renderTimelinePage({ change, events, diff: plan?.success ? plan.data.diff : undefined, planTotals: plan?.success ? plan.data.totals : undefined, chain, workflow, link, now: new Date() });
  return htmlReply(200, html);
}

