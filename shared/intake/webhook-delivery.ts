import { sha256Hex } from '../canonical-json.js';
import type { ChangeRequest } from '../spec/change-request.js';
import { isSettledStart, type DeliveryClaim, type Store } from '../store/index.js';
import { isAuthenticatedRefusal, type Admitted } from './admission.js';
import type { IntakeConfig } from './config.js';
import { replyWithoutStart, type DeliveryVerdict, type RefusalCode } from './delivery-verdict.js';
import { admitDelivery, type DeliveryInput } from './intake.js';
import { openChangeOfTicket } from './open-change.js';

// What one webhook delivery does to the delivery log and whether it starts a change
// (docs/architecture.md §3.2), apart from HTTP, the environment and telemetry: the handler parses
// the event, hands the delivery here and turns each observation into a log line and a metric.
// Intake runs in two halves with the claim between them: admission (signature, JSON, ticket,
// approval, window — no YAML) names the delivery from signed content, one conditional write
// claims it, and only a delivery that is not already settled has its ChangeSpec parsed (once).

export interface ClaimedStart {
  deliveryKey: string;
  executionName: string;
  request: ChangeRequest;
  source: DeliveryInput['system'];
}

export type StartResult = { status: 'started'; changeId: string; executionArn: string } | { status: 'duplicate'; changeId: string };

/** What happened to a delivery, for the handler's logs and metrics (never for the sender). */
export type DeliveryObservation =
  | { kind: 'refused-unauthenticated'; code: RefusalCode; bodyDigest: string; bytes: number }
  | { kind: 'refused'; key: string; code: RefusalCode; reason: string }
  | { kind: 'ignored'; key: string; reason: string; sampled: boolean }
  | { kind: 'duplicate'; key: string; changeId: string; why: 'delivered before' | 'ticket has an open change' | 'execution exists' }
  | { kind: 'started'; key: string; changeId: string };

export interface WebhookDeliveryDeps {
  deliveries: Store['deliveries'];
  changes: Pick<Store['changes'], 'list'>;
  /** Starts the change of a claimed delivery exactly once (functions/runtime/start-execution.ts). */
  start: (input: ClaimedStart, claim: DeliveryClaim) => Promise<StartResult>;
  /** The second half of intake (the spec's YAML and schema); tests count its calls. */
  accept: (admitted: Admitted) => DeliveryVerdict;
  /** One ignored delivery in this many is recorded in the delivery log (by its key's digest). */
  ignoredSampleEvery: number;
  observe: (observation: DeliveryObservation) => void;
}

export interface WebhookReply {
  statusCode: number;
  body: Record<string, unknown>;
}

/** Decides one delivery, records what the audit of intake needs, and starts its change once. */
export async function receiveWebhookDelivery(delivery: DeliveryInput, config: IntakeConfig, deps: WebhookDeliveryDeps): Promise<WebhookReply> {
  const { system, rawBody } = delivery;
  const admission = admitDelivery(delivery, config);
  if (admission.kind !== 'admitted') return answerWithoutStart(admission);
  // The signed delivery key decides a duplicate with one write, before any YAML is read.
  const claim = await deps.deliveries.claimDelivery(admission.deliveryKey, admission.executionName);
  if (!claim.first && isSettledStart(claim)) return duplicate(admission.deliveryKey, claim.changeId, 'delivered before');
  const verdict = deps.accept(admission);
  if (verdict.kind !== 'accepted') {
    await deps.deliveries.settleDelivery(admission.deliveryKey, { outcome: 'refused', reason: verdict.kind === 'refused' ? verdict.code : verdict.reason });
    return answerWithoutStart(verdict);
  }
  const active = await openChangeOfTicket(deps.changes, verdict.request);
  if (active) {
    await deps.deliveries.settleDelivery(verdict.deliveryKey, { outcome: 'duplicate', changeId: active });
    await deps.deliveries.recordDelivery({ key: verdict.deliveryKey, source: system, outcome: 'duplicate', changeId: active, reason: `ticket already has change ${active} in progress` });
    return duplicate(verdict.deliveryKey, active, 'ticket has an open change');
  }
  // An ExecutionStartFailed propagates: the handler answers 503, the sender retries and the retry starts it.
  const result = await deps.start({ deliveryKey: verdict.deliveryKey, executionName: verdict.executionName, request: verdict.request, source: system }, claim);
  if (result.status !== 'started') return duplicate(verdict.deliveryKey, result.changeId, 'execution exists');
  deps.observe({ kind: 'started', key: verdict.deliveryKey, changeId: result.changeId });
  return { statusCode: 202, body: { changeId: result.changeId, executionArn: result.executionArn, status: 'started' } };

  function duplicate(key: string, changeId: string, why: Extract<DeliveryObservation, { kind: 'duplicate' }>['why']): WebhookReply {
    deps.observe({ kind: 'duplicate', key, changeId, why });
    return { statusCode: 200, body: { status: 'duplicate', changeId } };
  }

  async function answerWithoutStart(answer: Exclude<DeliveryVerdict, { kind: 'accepted' }>): Promise<WebhookReply> {
    const digest = sha256Hex(Buffer.from(rawBody)).slice(0, 16);
    const key = answer.deliveryKey ?? `${system}:unkeyed:${digest}`;
    if (answer.kind === 'refused' && !isAuthenticatedRefusal(answer)) {
      // Anyone on the internet can send these: a metric and a log digest, never a table item.
      deps.observe({ kind: 'refused-unauthenticated', code: answer.code, bodyDigest: digest, bytes: Buffer.byteLength(rawBody) });
    } else if (answer.kind === 'ignored') {
      const sampled = Number.parseInt(sha256Hex(key).slice(0, 8), 16) % deps.ignoredSampleEvery === 0;
      if (sampled) await deps.deliveries.recordDelivery({ key, source: system, outcome: 'ignored', reason: answer.reason.slice(0, 2000) });
      deps.observe({ kind: 'ignored', key, reason: answer.reason, sampled });
    } else {
      const reason = `${answer.code}: ${answer.message}`;
      await deps.deliveries.recordDelivery({ key, source: system, outcome: 'refused', reason: reason.slice(0, 2000) });
      deps.observe({ kind: 'refused', key, code: answer.code, reason });
    }
    return replyWithoutStart(answer);
  }
}
