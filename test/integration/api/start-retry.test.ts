import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../functions/runtime/logger.js';
import { ExecutionStartFailed, sfnExecutionStarter, type ExecutionStarter } from '../../../functions/runtime/start-execution.js';
import { createTicketWebhookHandler } from '../../../functions/ticket-webhook.js';
import { serviceNowTicket, signedHeaders, startApiStack, webhookSecret, type ApiStack } from './harness.js';

// A StartExecution that fails after the delivery was claimed must answer 5xx (so the ticketing
// system retries) and the retry — which finds the claim taken — must start the change itself.
// The handler runs in-process here so the first start can be made to fail; dynalite and the local
// Step Functions engine are real.

let stack: ApiStack;
beforeAll(async () => {
  stack = await startApiStack();
});
afterAll(async () => {
  await stack?.close();
});

function flakyStarter(real: ExecutionStarter, failures: number): ExecutionStarter {
  let left = failures;
  return {
    exists: (name) => real.exists(name),
    start: async (name, input) => {
      if (left-- > 0) throw new ExecutionStartFailed(`expected StartExecution of ${name} to succeed, found ThrottlingException: rate exceeded`);
      return real.start(name, input);
    },
  };
}

function event(rawBody: string) {
  const headers = Object.fromEntries(Object.entries(signedHeaders(rawBody)).map(([k, v]) => [k.toLowerCase(), v]));
  return { rawPath: '/webhooks/servicenow', headers, body: rawBody, isBase64Encoded: false, requestContext: { http: { method: 'POST' } } };
}

describe('a failed start after the claim', () => {
  it('answers 503 and the retry of the same delivery starts the execution', async () => {
    const starter = flakyStarter(sfnExecutionStarter({ client: stack.sfnClient, stateMachineArn: stack.machineArn }), 1);
    const handler = createTicketWebhookHandler({
      store: () => stack.store,
      starter: () => starter,
      settings: async () => ({ webhookSecret }),
      logger: createLogger({ logLevel: 'SILENT' }),
    });
    const body = JSON.stringify(serviceNowTicket({ sys_mod_count: '21' }));
    const first = (await handler(event(body), {})) as { statusCode: number; body: string };
    expect(first.statusCode).toBe(503);
    expect(JSON.parse(first.body)).toMatchObject({ error: { code: 'ExecutionStartFailed', message: expect.stringContaining('ThrottlingException') } });
    expect(await stack.executionNames()).not.toContain('snow-CHG0030012-21');

    const retry = (await handler(event(body), {})) as { statusCode: number; body: string };
    expect(retry.statusCode).toBe(202);
    expect(JSON.parse(retry.body)).toMatchObject({ status: 'started', changeId: 'snow-CHG0030012-21' });
    expect(await stack.executionNames()).toContain('snow-CHG0030012-21');

    const third = (await handler(event(body), {})) as { statusCode: number; body: string };
    expect(JSON.parse(third.body)).toEqual({ status: 'duplicate', changeId: 'snow-CHG0030012-21' });
    const log = await stack.store.deliveries.listDeliveryOutcomes('servicenow:9d3c1e2f1b7a4c10a8d2e0f4c6b8a901:21');
    // The third delivery is decided by the claim alone: no further record.
    expect(log.map((o) => o.outcome)).toEqual(['refused', 'started']);
  });

  it('answers 500 without revealing internals when the webhook settings are broken', async () => {
    const handler = createTicketWebhookHandler({
      store: () => stack.store,
      starter: () => sfnExecutionStarter({ client: stack.sfnClient, stateMachineArn: stack.machineArn }),
      settings: async () => {
        throw new Error('no integration settings');
      },
      logger: createLogger({ logLevel: 'SILENT' }),
    });
    const reply = (await handler(event(JSON.stringify(serviceNowTicket())), {})) as { statusCode: number; body: string };
    expect(reply.statusCode).toBe(500);
    expect(JSON.parse(reply.body)).toEqual({ error: { code: 'InternalError', message: expect.not.stringContaining('settings') } });
  });
});
