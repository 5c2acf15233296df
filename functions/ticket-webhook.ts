import middy from '@middy/core';
import { sha256Hex } from '../shared/canonical-json.js';
import { isAuthenticatedRefusal, type Admitted } from '../shared/intake/admission.js';
import { acceptAdmitted, admitDelivery } from '../shared/intake/intake.js';
import { intakeConfigOf, type IntakeConfig } from '../shared/intake/config.js';
import { replyWithoutStart, type DeliveryVerdict } from '../shared/intake/delivery-verdict.js';
import { openChangeOfTicket } from '../shared/intake/open-change.js';
import type { Store } from '../shared/store/index.js';
import { ConfigInvalid } from './runtime/config.js';
import { httpApi, jsonReply, parseHttpEvent, type HttpApiEvent, type HttpReply } from './runtime/http.js';
import { logger as defaultLogger, type ChangeLogger } from './runtime/logger.js';
import { count, metricNames, metrics as defaultMetrics, type ChangeMetrics } from './runtime/metrics.js';
import { integrationSettings, type IntegrationSettings } from './runtime/settings.js';
import { executionStarterFromEnv, isSettledStart, startClaimed, type ExecutionStarter } from './runtime/start-execution.js';
import { storeFromEnv } from './runtime/store.js';

// POST /webhooks/servicenow and /webhooks/jira (docs/architecture.md §3.2): intake decides (shared/intake),
// this handler records the verdict, claims the delivery key and starts the change once. Intake
// runs in two halves with the claim between them: admission (signature, JSON, ticket, approval,
// window — no YAML) names the delivery from signed content, one conditional write claims it, and
// only a delivery that is not already settled has its ChangeSpec parsed and validated (once).

export interface TicketWebhookDeps {
  store: () => Store;
  starter: () => ExecutionStarter;
  settings: () => Promise<IntegrationSettings>;
  now?: () => Date;
  logger?: ChangeLogger;
  metrics?: ChangeMetrics;
  /** One ignored delivery in this many is recorded in the delivery log (by its key's digest). */
  ignoredSampleEvery?: number;
  /** The second half of intake (the spec's YAML and schema); tests count its calls. */
  accept?: (admitted: Admitted) => DeliveryVerdict;
}

const defaultIgnoredSampleEvery = 100;

type TicketSystem = 'servicenow' | 'jira';

class NotFound extends Error {
  override readonly name = 'NotFound';
}

export function createTicketWebhookHandler(deps: TicketWebhookDeps) {
  const logger = deps.logger ?? defaultLogger;
  const metrics = deps.metrics ?? defaultMetrics;
  const now = deps.now ?? (() => new Date());
  const sampleEvery = deps.ignoredSampleEvery ?? defaultIgnoredSampleEvery;
  const accept = deps.accept ?? acceptAdmitted;
  // Settings are read once per container; so is the intake configuration made from them.
  let config: Promise<IntakeConfig> | undefined;
  return middy(async (event: unknown): Promise<HttpReply> => {
    const request = parseHttpEvent(event);
    const system = systemOfPath(request.rawPath);
    if (!system) throw new NotFound(`expected /webhooks/servicenow or /webhooks/jira, found ${request.rawPath}`);
    const rawBody = rawBodyOf(request);
    config ??= intakeConfig(deps.settings).catch((err: unknown) => {
      config = undefined;
      throw err;
    });
    const admission = admitDelivery({ system, headers: request.headers, rawBody, now: now() }, await config);
    const store = deps.store();
    const answerWithoutStart = async (verdict: Exclude<DeliveryVerdict, { kind: 'accepted' }>): Promise<HttpReply> => {
      const reason = verdict.kind === 'ignored' ? verdict.reason : `${verdict.code}: ${verdict.message}`;
      const digest = sha256Hex(Buffer.from(rawBody)).slice(0, 16);
      const key = verdict.deliveryKey ?? `${system}:unkeyed:${digest}`;
      if (verdict.kind === 'refused' && !isAuthenticatedRefusal(verdict)) {
        // Anyone on the internet can send these: a metric and a log digest, never a table item.
        logger.warn('delivery refused before authentication', { system, code: verdict.code, bodyDigest: digest, bytes: Buffer.byteLength(rawBody) });
        count(metrics, metricNames.intakeRefused, { system, code: verdict.code });
      } else if (verdict.kind === 'ignored') {
        const sampled = Number.parseInt(sha256Hex(key).slice(0, 8), 16) % sampleEvery === 0;
        if (sampled) await store.deliveries.recordDelivery({ key, source: system, outcome: 'ignored', reason: reason.slice(0, 2000) });
        logger.info('delivery ignored', { system, key, reason, sampled });
        count(metrics, metricNames.intakeIgnored, { system });
      } else {
        await store.deliveries.recordDelivery({ key, source: system, outcome: 'refused', reason: reason.slice(0, 2000) });
        logger.info('delivery refused', { system, key, reason });
        count(metrics, metricNames.intakeRefused, { system, code: verdict.code });
      }
      const reply = replyWithoutStart(verdict);
      return jsonReply(reply.statusCode, reply.body);
    };
    if (admission.kind !== 'admitted') return answerWithoutStart(admission);
    // The signed delivery key decides a duplicate with one write, before any YAML is read.
    const claim = await store.deliveries.claimDelivery(admission.deliveryKey, admission.executionName);
    if (!claim.first && isSettledStart(claim)) {
      logger.info('delivery duplicate', { system, key: admission.deliveryKey, changeId: claim.changeId });
      count(metrics, metricNames.intakeDuplicate, { system });
      return jsonReply(200, { status: 'duplicate', changeId: claim.changeId });
    }
    const verdict = accept(admission);
    if (verdict.kind !== 'accepted') {
      await store.deliveries.settleDelivery(admission.deliveryKey, { outcome: 'refused', reason: verdict.kind === 'refused' ? verdict.code : verdict.reason });
      return answerWithoutStart(verdict);
    }

    const active = await openChangeOfTicket(store.changes, verdict.request);
    if (active) {
      await store.deliveries.settleDelivery(verdict.deliveryKey, { outcome: 'duplicate', changeId: active });
      await store.deliveries.recordDelivery({ key: verdict.deliveryKey, source: system, outcome: 'duplicate', changeId: active, reason: `ticket already has change ${active} in progress` });
      logger.info('delivery for a ticket with a change in progress', { system, key: verdict.deliveryKey, changeId: active });
      count(metrics, metricNames.intakeDuplicate, { system });
      return jsonReply(200, { status: 'duplicate', changeId: active });
    }
    // An ExecutionStartFailed is a 503 (httpApi): the ticketing system retries, the retry starts it.
    const result = await startClaimed(
      { store, starter: deps.starter() },
      { deliveryKey: verdict.deliveryKey, executionName: verdict.executionName, request: verdict.request, source: system },
      claim,
    );
    logger.info(`delivery ${result.status}`, { system, key: verdict.deliveryKey, changeId: result.changeId });
    if (result.status !== 'started') {
      count(metrics, metricNames.intakeDuplicate, { system });
      return jsonReply(200, { status: 'duplicate', changeId: result.changeId });
    }
    count(metrics, metricNames.changeStarted, { source: system });
    return jsonReply(202, { changeId: result.changeId, executionArn: result.executionArn, status: 'started' });
  })
    .use(httpApi(logger));
}

function systemOfPath(rawPath: string): TicketSystem | undefined {
  const m = /^\/webhooks\/(servicenow|jira)\/?$/.exec(rawPath);
  return m ? (m[1] as TicketSystem) : undefined;
}

/** The signature covers the bytes as sent, so a base64 body stays bytes (never re-decoded as text). */
function rawBodyOf(request: HttpApiEvent): string | Uint8Array {
  if (typeof request.body !== 'string') return '';
  return request.isBase64Encoded ? Buffer.from(request.body, 'base64') : request.body;
}

/** Bad settings are our fault, not the sender's: a 500 (ConfigInvalid), never a 400. */
async function intakeConfig(settings: () => Promise<IntegrationSettings>): Promise<IntakeConfig> {
  let loaded: IntegrationSettings;
  try {
    loaded = await settings();
  } catch (err) {
    throw new ConfigInvalid(`expected valid integration settings for the webhook, found: ${(err as Error).message}`, { cause: err });
  }
  const config = intakeConfigOf(loaded);
  if (!config.ok) throw new ConfigInvalid(config.message);
  return config.config;
}

export const handler = createTicketWebhookHandler({
  store: storeFromEnv,
  starter: () => executionStarterFromEnv(),
  settings: () => integrationSettings(),
});
