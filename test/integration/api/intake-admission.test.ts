import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../functions/runtime/logger.js';
import { sfnExecutionStarter, startClaimed } from '../../../functions/runtime/start-execution.js';
import { createTicketWebhookHandler } from '../../../functions/ticket-webhook.js';
import type { Admitted } from '../../../shared/intake/admission.js';
import { intakeConfigOf } from '../../../shared/intake/config.js';
import { signatureHeader } from '../../../shared/intake/signature.js';
import { acceptAdmitted } from '../../../shared/intake/intake.js';
import { receiveWebhookDelivery, type DeliveryObservation } from '../../../shared/intake/webhook-delivery.js';
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

describe('receiveWebhookDelivery: what a delivery records and starts, observed apart from HTTP', () => {
  async function receive(body: string, observations: DeliveryObservation[], headers = signedHeaders(body)) {
    const config = intakeConfigOf({ webhookSecret });
    if (!config.ok) throw new Error(config.message);
    const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
    const starter = sfnExecutionStarter({ client: stack.sfnClient, stateMachineArn: stack.machineArn });
    return receiveWebhookDelivery({ system: 'servicenow', headers: lower, rawBody: body, now: new Date() }, config.config, {
      deliveries: stack.store.deliveries,
      changes: stack.store.changes,
      start: (input, claim) => startClaimed({ store: stack.store, starter }, input, claim),
      accept: acceptAdmitted,
      ignoredSampleEvery: 1,
      observe: (o) => observations.push(o),
    });
  }

  it('starts once, then answers the same delivery and a later update of the running ticket as duplicates', async () => {
    const seen: DeliveryObservation[] = [];
    const ticket = { sys_id: 'cccc1e2f1b7a4c10a8d2e0f4c6b8a903', number: 'CHG0039003' };
    const first = JSON.stringify(serviceNowTicket({ ...ticket, sys_mod_count: '2' }));
    expect(await receive(first, seen)).toMatchObject({ statusCode: 202, body: { status: 'started', changeId: 'snow-CHG0039003-2' } });
    expect(await receive(first, seen)).toEqual({ statusCode: 200, body: { status: 'duplicate', changeId: 'snow-CHG0039003-2' } });
    // What the workflow's first step records for the change (the stack here only holds executions).
    await stack.store.changes.create({
      changeId: 'snow-CHG0039003-2',
      ticket: { system: 'servicenow', key: ticket.sys_id, number: ticket.number, revision: '2' },
      source: 'servicenow',
      targets: { site: 'dc1', fabric: 'dc1-aci', cluster: 'prod-a' },
      requestedBy: 'alice',
      mode: 'apply',
    });
    // Our own work notes bump sys_mod_count: a new key for a ticket whose change has not ended.
    const bumped = JSON.stringify(serviceNowTicket({ ...ticket, sys_mod_count: '3' }));
    expect(await receive(bumped, seen)).toEqual({ statusCode: 200, body: { status: 'duplicate', changeId: 'snow-CHG0039003-2' } });
    expect(seen.map((o) => (o.kind === 'duplicate' ? `${o.kind}: ${o.why}` : o.kind))).toEqual(['started', 'duplicate: delivered before', 'duplicate: ticket has an open change']);
    const bumpedLog = await stack.store.deliveries.listDeliveryOutcomes('servicenow:cccc1e2f1b7a4c10a8d2e0f4c6b8a903:3');
    expect(bumpedLog.map((o) => [o.outcome, o.changeId])).toEqual([['duplicate', 'snow-CHG0039003-2']]);
  });

  it('records an ignored and a refused delivery, and nothing for a forged one', async () => {
    const seen: DeliveryObservation[] = [];
    const unapproved = JSON.stringify(serviceNowTicket({ sys_id: 'dddd1e2f1b7a4c10a8d2e0f4c6b8a904', number: 'CHG0039004', approval: 'requested' }));
    expect(await receive(unapproved, seen)).toMatchObject({ statusCode: 202, body: { status: 'ignored' } });
    const badSpec = JSON.stringify(serviceNowTicket({ sys_id: 'eeee1e2f1b7a4c10a8d2e0f4c6b8a905', number: 'CHG0039005', u_change_spec: 'kind: [' }));
    expect(await receive(badSpec, seen)).toMatchObject({ statusCode: 400, body: { error: { code: 'InvalidChangeSpec' } } });
    const forged = JSON.stringify(serviceNowTicket({ sys_id: 'ffff1e2f1b7a4c10a8d2e0f4c6b8a906', number: 'CHG0039006' }));
    const reply = await receive(forged, seen, { ...signedHeaders(forged), [signatureHeader]: `sha256=${'0'.repeat(64)}` });
    expect(reply.statusCode).toBe(401);
    expect(seen.map((o) => o.kind)).toEqual(['ignored', 'refused', 'refused-unauthenticated']);
    expect((await stack.store.deliveries.listDeliveryOutcomes('servicenow:dddd1e2f1b7a4c10a8d2e0f4c6b8a904:7')).map((o) => o.outcome)).toEqual(['ignored']);
    expect((await stack.store.deliveries.listDeliveryOutcomes('servicenow:eeee1e2f1b7a4c10a8d2e0f4c6b8a905:7')).map((o) => o.outcome)).toEqual(['refused']);
    expect(await stack.store.deliveries.listDeliveryOutcomes('servicenow:ffff1e2f1b7a4c10a8d2e0f4c6b8a906:7')).toEqual([]);
    expect(await stack.executionNames()).not.toContain('snow-CHG0039006-7');
  });
});
