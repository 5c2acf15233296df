import middy from '@middy/core';
import { abortChange } from '../shared/control/abort-change.js';
import { approveChange } from '../shared/control/approve.js';
import { jiraAsk, resolvePlanHash, serviceNowAsk, type TicketAsk } from '../shared/control/ticket-control.js';
import { parseJsonBody } from '../shared/intake/json-body.js';
import { checkBodySize, checkContentType, defaultMaxBodyBytes } from '../shared/intake/limits.js';
import { verifyDeliverySignature } from '../shared/intake/signature.js';
import { isFinalStatus, type Store } from '../shared/store/index.js';
import { anchoredStoreFromEnv } from './runtime/anchored-store.js';
import { bodyText, errorReply, httpApi, jsonReply, parseHttpEvent, type HttpReply } from './runtime/http.js';
import { logger as defaultLogger, type ChangeLogger } from './runtime/logger.js';
import { integrationSettings, type IntegrationSettings } from './runtime/settings.js';
import { taskResponderFromEnv, type TaskResponder } from './runtime/task-responder.js';

// POST /webhooks/servicenow/control and /webhooks/jira/control: ticket updates that steer a running
// change — `/approve <planHash>` in a work note or comment by an approver, an approver moving the
// ticket to the configured implement state, the ticket cancelled or closed. Signed like the intake webhooks, but a route of its own: intake may write only delivery
// items, while approving and aborting record audit events (docs/runbook.md §7).

export interface TicketControlDeps {
  store: () => Store;
  responder: () => TaskResponder;
  settings: () => Promise<IntegrationSettings>;
  now?: () => Date;
  logger?: ChangeLogger;
}

export function createTicketControlHandler(deps: TicketControlDeps) {
  const logger = deps.logger ?? defaultLogger;
  const now = deps.now ?? (() => new Date());
  return middy(async (event: unknown): Promise<HttpReply> => {
    const request = parseHttpEvent(event);
    const system = /^\/webhooks\/(servicenow|jira)\/control\/?$/.exec(request.rawPath)?.[1] as 'servicenow' | 'jira' | undefined;
    if (!system) return errorReply(404, 'NotFound', `expected /webhooks/servicenow/control or /webhooks/jira/control, found ${request.rawPath}`);
    const raw = bodyText(request);
    const limit = checkContentType(request.headers) ?? checkBodySize(raw, defaultMaxBodyBytes);
    if (limit) return errorReply(limit.httpStatus, limit.code, limit.message);
    const settings = await deps.settings();
    const signature = verifyDeliverySignature({ headers: request.headers, rawBody: raw, secret: settings.webhookSecret, now: now(), acceptHubSignature: system === 'jira' });
    if (!signature.ok) return errorReply(401, signature.code, signature.message);
    const body = parseJsonBody(raw);
    if (!body.ok) return errorReply(400, 'InvalidJson', body.message);
    const implementState = settings.changeControl?.approval?.implementState?.[system];
    const ask = system === 'servicenow' ? serviceNowAsk(body.value, implementState) : jiraAsk(body.value, implementState);
    if (ask.kind === 'none') return ignored('no /approve note, no move to the implement state and no cancellation in this update');
    const store = deps.store();
    const changeId = await runningChangeOf(store, system, ask.ticket);
    if (!changeId) return ignored(`ticket ${ask.ticket} has no change in progress`);
    if (ask.kind === 'abort') {
      const effect = await abortChange(store, deps.responder(), changeId, { by: ask.by, reason: ask.reason }, now(), system);
      logger.info('ticket aborted its change', { system, changeId, by: ask.by });
      return jsonReply(202, { changeId, status: 'aborting', effect });
    }
    const refusal = approverRefusal(ask, settings, system);
    if (refusal) return ignored(refusal);
    const waiting = (await store.control.get(changeId)).awaitingPlanHash;
    if (ask.kind === 'approve-state') {
      if (!waiting) return ignored(`ticket ${ask.ticket} moved to ${ask.state}, but ${changeId} is not waiting for an approval`);
      await approveChange(store, deps.responder(), changeId, { planHash: waiting, by: ask.by, comment: `ticket ${ask.ticket} moved to the implement state ${ask.state}` }, now(), system);
      logger.info('ticket state approved its change', { system, changeId, by: ask.by, state: ask.state });
      return jsonReply(202, { changeId, status: 'approved', planHash: waiting, by: ask.by, via: 'state' });
    }
    const planHash = resolvePlanHash(ask, waiting);
    if (!planHash) return ignored(`/approve ${ask.planHashPrefix} does not name the plan ${changeId} is waiting with; nothing was approved`);
    await approveChange(store, deps.responder(), changeId, { planHash, by: ask.by, comment: ask.text.slice(0, 2000) }, now(), system);
    logger.info('ticket approved its change', { system, changeId, by: ask.by });
    return jsonReply(202, { changeId, status: 'approved', planHash, by: ask.by });
  })
    .use(httpApi(logger));
}

function ignored(reason: string): HttpReply {
  return jsonReply(202, { status: 'ignored', reason });
}

/** Only the configured approver group counts, and never changeflow's own integration user. */
function approverRefusal(ask: Extract<TicketAsk, { kind: 'approve' | 'approve-state' }>, settings: IntegrationSettings, system: 'servicenow' | 'jira'): string | undefined {
  const ownUser = system === 'servicenow' ? settings.servicenow?.username : settings.jira?.email;
  if (ask.by === ownUser) return `${ask.by} is changeflow's own integration user; its notes never approve`;
  const approvers = settings.changeControl?.approval?.approvers ?? [];
  if (!approvers.includes(ask.by)) return `${ask.by} is not in the approver group (changeControl.approval.approvers); nothing was approved`;
  return undefined;
}

async function runningChangeOf(store: Store, system: 'servicenow' | 'jira', ticket: string): Promise<string | undefined> {
  const page = await store.changes.list({ ticket: `${system}:${ticket}` }, { limit: 20 });
  return page.changes.find((c) => !isFinalStatus(c.status, c.mode))?.changeId;
}

export const handler = createTicketControlHandler({ store: anchoredStoreFromEnv, responder: taskResponderFromEnv, settings: () => integrationSettings() });
