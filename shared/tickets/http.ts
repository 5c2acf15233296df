import * as z from '../zod.js';
import type { Clock } from '../runtime/clock.js';
import { backoffWithDefaults, retry } from '../runtime/retry.js';
import { TicketWriteFailed } from './errors.js';

// Ticket APIs are reached through an injected fetch (the global one in Lambda and the CLI, a stub
// in unit tests), with bounded exponential backoff on 5xx, 408, 429 and network errors. 4xx
// answers are final: retrying a refused state move or a bad credential cannot help.

export interface TicketRequestInit {
  method: string;
  headers: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
}
export type TicketFetch = (url: string, init: TicketRequestInit) => Promise<{ status: number; text(): Promise<string> }>;

/** Four attempts in all, 250 ms doubling up to 5 s between them; each attempt has its own timeout. */
export const TicketRetry = z.extend(backoffWithDefaults({ maxAttempts: 4, baseDelayMs: 250, factor: 2, maxDelayMs: 5000, jitter: 0 }), {
  timeoutMs: z._default(z.int().check(z.positive()), 10_000),
});
export type TicketRetry = z.infer<typeof TicketRetry>;

export interface TicketHttp {
  fetch: TicketFetch;
  retry?: z.input<typeof TicketRetry>;
  /** Waits between attempts; tests pass a clock they move or record instead of real time. */
  clock?: Clock;
}

export interface TicketCall {
  system: 'servicenow' | 'jira';
  operation: string;
  ticket: string;
  url: string;
  init: Omit<TicketRequestInit, 'signal'>;
}

export interface TicketAnswer {
  status: number;
  text: string;
}

function retryable(status: number): boolean {
  return status >= 500 || status === 408 || status === 429;
}

/** A transient answer (5xx, 408, 429) or a network error: worth another attempt. */
class TransientTicketAnswer extends Error {
  override readonly name = 'TransientTicketAnswer';
  constructor(readonly problem: string, readonly status?: number, readonly reason?: unknown) {
    super(problem);
  }
}

/** Sends the call, retrying transient failures; a 2xx answer or TicketWriteFailed. */
export async function sendWithRetry(http: TicketHttp, call: TicketCall): Promise<TicketAnswer> {
  const policy = TicketRetry.parse(http.retry ?? {});
  return retry(
    async (attempt) => {
      let response: Awaited<ReturnType<TicketFetch>>;
      let text: string;
      try {
        response = await http.fetch(call.url, { ...call.init, signal: AbortSignal.timeout(policy.timeoutMs) });
        text = await response.text();
      } catch (err) {
        throw new TransientTicketAnswer(`network error: ${(err as Error).message}`, undefined, err);
      }
      if (response.status >= 200 && response.status < 300) return { status: response.status, text };
      const last = `HTTP ${response.status}: ${text.slice(0, 300)}`;
      if (!retryable(response.status)) throw failure(call, attempt, `was refused (${last})`, response.status);
      throw new TransientTicketAnswer(last, response.status);
    },
    {
      policy,
      clock: http.clock,
      retryable: (err) => err instanceof TransientTicketAnswer,
      exhausted: (last, attempts) => {
        const t = last as TransientTicketAnswer;
        return failure(call, attempts, `failed after ${attempts} attempts (last: ${t.problem})`, t.status, t.reason);
      },
    },
  );
}

function failure(call: TicketCall, attempts: number, what: string, status?: number, cause?: unknown): TicketWriteFailed {
  const system = call.system === 'servicenow' ? 'ServiceNow' : 'Jira';
  return new TicketWriteFailed(
    `${system} ${call.operation} on ${call.ticket} ${what}; the change's outcome is unaffected — check the ${system} instance and credentials, then add the update by hand`,
    { system: call.system, operation: call.operation, ticket: call.ticket, attempts, ...(status !== undefined ? { status } : {}) },
    cause === undefined ? undefined : { cause },
  );
}

export function basicAuth(user: string, secret: string): string {
  return `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}`;
}
