import { InvalidInput } from '../errors.js';
import { ChangeRequest } from '../spec/change-request.js';
import { formatPath } from '../spec/parse.js';
import type { Admission, Admitted } from './admission.js';
import { IntakeConfig, type IntakeConfigInput } from './config.js';
import type { DeliveryVerdict } from './delivery-verdict.js';
import type { DeliveryHeaders } from './headers.js';
import { admitJira } from './jira-request.js';
import { parseJsonBody } from './json-body.js';
import { checkBodySize, checkContentType } from './limits.js';
import { admitServiceNow } from './servicenow-request.js';
import { verifyDeliverySignature } from './signature.js';
import { specFromTicket } from './ticket-spec.js';
import * as z from '../zod.js';

export interface DeliveryInput {
  system: 'servicenow' | 'jira';
  headers: DeliveryHeaders;
  /** The body exactly as received: the signature covers these bytes, not a re-serialisation. */
  rawBody: string | Uint8Array;
  now: Date;
}

export interface Delivery extends DeliveryInput {
  config: IntakeConfigInput;
}

/**
 * The first half of docs/architecture.md §2 step 1, without any I/O: media type, size, signature, JSON,
 * ticket schema, approval, window — cheapest first, so unauthenticated input never reaches a
 * parser, and no YAML at all. An admitted delivery carries its key and execution name.
 */
export function admitDelivery(delivery: DeliveryInput, config: IntakeConfig): Admission {
  const limit = checkContentType(delivery.headers) ?? checkBodySize(delivery.rawBody, config.maxBytes);
  if (limit) return { kind: 'refused', ...limit };
  const signature = verifyDeliverySignature({
    headers: delivery.headers,
    rawBody: delivery.rawBody,
    secret: config.secret,
    now: delivery.now,
    acceptHubSignature: delivery.system === 'jira',
  });
  if (!signature.ok) return { kind: 'refused', httpStatus: 401, code: signature.code, message: signature.message };
  const body = parseJsonBody(delivery.rawBody);
  if (!body.ok) return { kind: 'refused', httpStatus: 400, code: 'InvalidJson', message: body.message };
  return delivery.system === 'servicenow'
    ? admitServiceNow(body.value, config, delivery.now)
    : admitJira(body.value, signature.scheme, config, delivery.now);
}

/** The second half: the ChangeSpec, parsed and validated once, joined to the request envelope. */
export function acceptAdmitted(admitted: Admitted): DeliveryVerdict {
  const spec = specFromTicket(admitted.specSource, admitted.specText);
  if (!spec.ok) return { ...spec.verdict, deliveryKey: admitted.deliveryKey };
  // The spec is already the schema's output; only the envelope is left to check (the workflow's
  // first step validates the whole request again at its own boundary).
  const envelope = RequestEnvelope.safeParse(admitted.envelope);
  if (envelope.success) return { kind: 'accepted', deliveryKey: admitted.deliveryKey, executionName: admitted.executionName, request: { ...envelope.data, spec: spec.spec } };
  const issues = envelope.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message }));
  return {
    kind: 'refused',
    httpStatus: 400,
    code: 'InvalidTicket',
    message: `the ticket does not make a valid ChangeRequest: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
    issues,
    deliveryKey: admitted.deliveryKey,
  };
}

const RequestEnvelope = z.omit(ChangeRequest, { spec: true });

/** Both halves at once, for callers with nothing to claim in between (tests, `changeflow validate`). */
export function evaluateDelivery(delivery: Delivery): DeliveryVerdict {
  const admission = admitDelivery(delivery, intakeConfig(delivery.config));
  return admission.kind === 'admitted' ? acceptAdmitted(admission) : admission;
}

/** Parse once per container: the webhook handler keeps the result. */
export function intakeConfig(input: IntakeConfigInput): IntakeConfig {
  const parsed = IntakeConfig.safeParse(input);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message }));
  throw new InvalidInput(`intake configuration is invalid: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}; fix the webhook settings`, issues);
}
