import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../functions/runtime/logger.js';
import { sfnExecutionStarter } from '../../../functions/runtime/start-execution.js';
import { createTicketWebhookHandler } from '../../../functions/ticket-webhook.js';
import type { Admitted } from '../../../shared/intake/admission.js';
import { acceptAdmitted } from '../../../shared/intake/intake.js';
import { serviceNowTicket, signedHeaders, startApiStack, webhookSecret, type ApiStack } from './harness.js';

// Intake in two halves with the claim between them: a delivery whose signed key was already
// settled is answered from that one conditional write, and its ChangeSpec is never read (the
// YAML parse and the schema are the expensive half). The handler runs in-process so the second
// half can be counted; dynalite and the local Step Functions engine are real.

let stack: ApiStack;
beforeAll(async () => {
  stack = await startApiStack();
});
afterAll(async () => {
  await stack?.close();
});

function event(rawBody: string) {
  const headers = Object.fromEntries(Object.entries(signedHeaders(rawBody)).map(([k, v]) => [k.toLowerCase(), v]));
  return { rawPath: '/webhooks/servicenow', headers, body: rawBody, isBase64Encoded: false, requestContext: { http: { method: 'POST' } } };
}

function countingHandler() {
  const accepted: Admitted[] = [];
  const handler = createTicketWebhookHandler({
    store: () => stack.store,
    starter: () => sfnExecutionStarter({ client: stack.sfnClient, stateMachineArn: stack.machineArn }),
    settings: async () => ({ webhookSecret }),
    logger: createLogger({ logLevel: 'ERROR' }),
    accept: (admitted) => {
      accepted.push(admitted);
      return acceptAdmitted(admitted);
    },
  });
  const send = async (body: string) => {
    const reply = (await handler(event(body), {})) as { statusCode: number; body: string };
    return { status: reply.statusCode, body: JSON.parse(reply.body) as Record<string, unknown> };
  };
  return { send, accepted };
}

describe('webhook intake: admission, claim, acceptance', () => {
  it('answers a duplicate delivery from the claim alone, without reading its ChangeSpec', async () => {
    const { send, accepted } = countingHandler();
    const body = JSON.stringify(serviceNowTicket({ sys_id: 'aaaa1e2f1b7a4c10a8d2e0f4c6b8a901', number: 'CHG0039001', sys_mod_count: '4' }));
    const first = await send(body);
    expect(first).toMatchObject({ status: 202, body: { status: 'started', changeId: 'snow-CHG0039001-4' } });
    const again = await send(body);
    expect(again).toEqual({ status: 200, body: { status: 'duplicate', changeId: 'snow-CHG0039001-4' } });
    expect(accepted.map((a) => a.deliveryKey)).toEqual(['servicenow:aaaa1e2f1b7a4c10a8d2e0f4c6b8a901:4']);
    // The duplicate leaves no delivery record of its own: the claim counted it.
    const log = await stack.store.deliveries.listDeliveryOutcomes('servicenow:aaaa1e2f1b7a4c10a8d2e0f4c6b8a901:4');
    expect(log.map((o) => o.outcome)).toEqual(['started']);
  });

  it('reads the spec again for a retried delivery whose spec was refused, and refuses it the same way', async () => {
    const { send, accepted } = countingHandler();
    const ticket = serviceNowTicket({ sys_id: 'bbbb1e2f1b7a4c10a8d2e0f4c6b8a902', number: 'CHG0039002', sys_mod_count: '7' });
    const body = JSON.stringify({ ...ticket, u_change_spec: 'apiVersion: changeflow/v1\nkind: ChangeSpec\ntarget: [' });
    const first = await send(body);
    const retry = await send(body);
    expect(first.status).toBe(400);
    expect(retry).toEqual(first);
    expect(accepted).toHaveLength(2);
    expect(await stack.executionNames()).not.toContain('snow-CHG0039002-7');
  });
});
