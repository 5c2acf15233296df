import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../../shared/runtime/retry.js';
import { sendWithRetry, TicketRetry, type TicketFetch } from '../../../shared/tickets/http.js';
import { VirtualClock } from '../../support/virtual-clock.js';
import { TicketWriteFailed } from '../../../shared/tickets/errors.js';

const call = { system: 'servicenow' as const, operation: 'work note (plan)', ticket: 'CHG0030012', url: 'http://snow/x', init: { method: 'PATCH', headers: {} } };

function scripted(answers: Array<number | Error>): { fetch: TicketFetch; calls: number } {
  const state = { calls: 0, fetch: (async () => {
    const next = answers[Math.min(state.calls++, answers.length - 1)]!;
    if (next instanceof Error) throw next;
    return { status: next, text: async () => `{"status":${next}}` };
  }) as TicketFetch };
  return state;
}

describe('ticket HTTP retries', () => {
  it('backs off exponentially up to the cap', () => {
    const policy = TicketRetry.parse({ baseDelayMs: 100, maxDelayMs: 500 });
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(policy, n))).toEqual([100, 200, 400, 500, 500]);
  });

  it('retries 5xx and network errors, then succeeds', async () => {
    const clock = new VirtualClock();
    const stub = scripted([503, new Error('ECONNRESET'), 200]);
    const answer = await sendWithRetry({ fetch: stub.fetch, retry: { baseDelayMs: 10 }, clock }, call);
    expect(answer.status).toBe(200);
    expect(stub.calls).toBe(3);
    expect(clock.waits).toEqual([10, 20]);
  });

  it('gives up after the configured attempts with a named error saying the outcome is unaffected', async () => {
    const stub = scripted([500]);
    const error = await sendWithRetry({ fetch: stub.fetch, retry: { maxAttempts: 3, baseDelayMs: 0 } }, call).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TicketWriteFailed);
    expect(error).toMatchObject({
      name: 'TicketWriteFailed',
      detail: { system: 'servicenow', operation: 'work note (plan)', ticket: 'CHG0030012', attempts: 3, status: 500 },
      message: expect.stringMatching(/failed after 3 attempts \(last: HTTP 500.*outcome is unaffected/),
    });
    expect(stub.calls).toBe(3);
  });

  it.each([400, 401, 403, 404])('does not retry HTTP %i', async (status) => {
    const stub = scripted([status, 200]);
    await expect(sendWithRetry({ fetch: stub.fetch, retry: { baseDelayMs: 0 } }, call)).rejects.toMatchObject({ detail: { attempts: 1, status } });
    expect(stub.calls).toBe(1);
  });

  it('retries 429 and 408', async () => {
    const stub = scripted([429, 408, 204]);
    await expect(sendWithRetry({ fetch: stub.fetch, retry: { baseDelayMs: 0 } }, call)).resolves.toMatchObject({ status: 204 });
  });
});
