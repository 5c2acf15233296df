import { InvalidInput } from '../errors.js';
import { ChangeRequest } from '../spec/change-request.js';
import { formatPath } from '../spec/parse.js';
import { IntakeConfig, type IntakeConfigInput } from './config.js';
import type { DeliveryVerdict } from './delivery-verdict.js';
import type { DeliveryHeaders } from './headers.js';
import { evaluateJira } from './jira-request.js';
import { parseJsonBody } from './json-body.js';
import { checkBodySize, checkContentType } from './limits.js';
import { evaluateServiceNow } from './servicenow-request.js';
import { verifyDeliverySignature } from './signature.js';

export interface Delivery {
  system: 'servicenow' | 'jira';
  headers: DeliveryHeaders;
  /** The body exactly as received: the signature covers these bytes, not a re-serialisation. */
  rawBody: string | Uint8Array;
  config: IntakeConfigInput;
  now: Date;
}

/**
 * Decides what to do with one webhook delivery (DESIGN.md §2 step 1), without any I/O: the caller
 * records the verdict, claims `deliveryKey` and starts `executionName` for `accepted` ones. Checks
 * run cheapest first — media type, size, signature, JSON, ticket schema, approval, ChangeSpec,
 * window — so unauthenticated input never reaches a parser.
 */
export function evaluateDelivery(delivery: Delivery): DeliveryVerdict {
  const config = intakeConfig(delivery.config);
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
  const verdict =
    delivery.system === 'servicenow'
      ? evaluateServiceNow(body.value, config, delivery.now)
      : evaluateJira(body.value, delivery.headers, delivery.rawBody, config, delivery.now);
  return verdict.kind === 'accepted' ? checkedRequest(verdict) : verdict;
}

/** The workflow's first step parses the request with the same schema; fail here, not there. */
function checkedRequest(verdict: Extract<DeliveryVerdict, { kind: 'accepted' }>): DeliveryVerdict {
  const parsed = ChangeRequest.safeParse(verdict.request);
  if (parsed.success) return { ...verdict, request: parsed.data };
  const issues = parsed.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message }));
  return {
    kind: 'refused',
    httpStatus: 400,
    code: 'InvalidTicket',
    message: `the ticket does not make a valid ChangeRequest: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
    issues,
    deliveryKey: verdict.deliveryKey,
  };
}

function intakeConfig(input: IntakeConfigInput): IntakeConfig {
  const parsed = IntakeConfig.safeParse(input);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message }));
  throw new InvalidInput(`intake configuration is invalid: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}; fix the webhook settings`, issues);
}
