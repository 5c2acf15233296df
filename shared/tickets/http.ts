import * as z from 'zod';
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

export const RetryPolicy = z.object({
  attempts: z.number().int().min(1).max(10).default(4),
  baseDelayMs: z.number().int().min(0).default(250),
  maxDelayMs: z.number().int().min(0).default(5000),
  timeoutMs: z.number().int().positive().default(10_000),
});
export type RetryPolicy = z.infer<typeof RetryPolicy>;

export interface TicketHttp {
  fetch: TicketFetch;
  retry?: z.input<typeof RetryPolicy>;
  /** Waits between attempts; tests pass a recorder instead of real time. */
  sleep?: (ms: number) => Promise<void>;
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

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function backoffDelay(policy: RetryPolicy, attempt: number): number {
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
}

function retryable(status: number): boolean {
  return status >= 500 || status === 408 || status === 429;
}

/** Sends the call, retrying transient failures; a 2xx answer or TicketWriteFailed. */
export async function sendWithRetry(http: TicketHttp, call: TicketCall): Promise<TicketAnswer> {
  const policy = RetryPolicy.parse(http.retry ?? {});
  const sleep = http.sleep ?? realSleep;
  let last = '';
  let lastStatus: number | undefined;
  let lastError: unknown;
  for (let attempt = 1; attempt <= policy.attempts; attempt++) {
    if (attempt > 1) await sleep(backoffDelay(policy, attempt - 1));
    try {
      const response = await http.fetch(call.url, { ...call.init, signal: AbortSignal.timeout(policy.timeoutMs) });
      const text = await response.text();
      if (response.status >= 200 && response.status < 300) return { status: response.status, text };
      lastStatus = response.status;
      last = `HTTP ${response.status}: ${text.slice(0, 300)}`;
      if (!retryable(response.status)) {
        throw failure(call, attempt, `was refused (${last})`, response.status);
      }
    } catch (err) {
      if (err instanceof TicketWriteFailed) throw err;
      lastError = err;
      lastStatus = undefined;
      last = `network error: ${(err as Error).message}`;
    }
  }
  throw failure(call, policy.attempts, `failed after ${policy.attempts} attempts (last: ${last})`, lastStatus, lastError);
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
