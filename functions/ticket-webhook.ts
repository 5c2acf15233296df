import middy from '@middy/core';
import type { Admitted } from '../shared/intake/admission.js';
import { acceptAdmitted } from '../shared/intake/intake.js';
import { intakeConfigOf, type IntakeConfig } from '../shared/intake/config.js';
import type { DeliveryVerdict } from '../shared/intake/delivery-verdict.js';
import { receiveWebhookDelivery } from '../shared/intake/webhook-delivery.js';
import type { Store } from '../shared/store/index.js';
import { ConfigInvalid } from './runtime/config.js';
import { httpApi, jsonReply, parseHttpEvent, type HttpApiEvent, type HttpReply } from './runtime/http.js';
import { logger as defaultLogger, type ChangeLogger } from './runtime/logger.js';
import { observeDelivery } from './runtime/delivery-telemetry.js';
import { metrics as defaultMetrics, type ChangeMetrics } from './runtime/metrics.js';
import { integrationSettings, type IntegrationSettings } from './runtime/settings.js';
import { executionStarterFromEnv, startClaimed, type ExecutionStarter } from './runtime/start-execution.js';
import { storeFromEnv } from './runtime/store.js';

// POST /webhooks/servicenow and /webhooks/jira (docs/architecture.md §3.2): the HTTP event, the
// container's settings and telemetry. What a delivery records and starts is
// shared/intake/webhook-delivery.ts (admission, the claim, the spec, one open change per ticket).

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
  // Settings are read once per container; so is the intake configuration made from them.
  let config: Promise<IntakeConfig> | undefined;
  return middy(async (event: unknown): Promise<HttpReply> => {
    const request = parseHttpEvent(event);
    const system = systemOfPath(request.rawPath);
    if (!system) throw new NotFound(`expected /webhooks/servicenow or /webhooks/jira, found ${request.rawPath}`);
    config ??= intakeConfig(deps.settings).catch((err: unknown) => {
      config = undefined;
      throw err;
    });
    const store = deps.store();
    const starter = deps.starter();
    const reply = await receiveWebhookDelivery({ system, headers: request.headers, rawBody: rawBodyOf(request), now: now() }, await config, {
      deliveries: store.deliveries,
      changes: store.changes,
      start: (input, claim) => startClaimed({ store, starter }, input, claim),
      accept: deps.accept ?? acceptAdmitted,
      ignoredSampleEvery: deps.ignoredSampleEvery ?? defaultIgnoredSampleEvery,
      observe: (o) => observeDelivery(o, system, { logger, metrics }),
    });
    return jsonReply(reply.statusCode, reply.body);
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
