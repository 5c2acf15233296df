import { readFileSync } from 'node:fs';
import { signDelivery } from '../../../shared/intake/signature.js';
import type { Delivery } from '../../../shared/intake/intake.js';

// Signed deliveries built from the example tickets, for the intake tests.
export const secret = 'lab-webhook-secret-0123456789abcdef';
export const now = new Date('2026-11-22T09:00:00Z');
export const config = { secret };

export function example(name: 'servicenow-approved.json' | 'jira-approved.json'): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`../../../examples/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;
}

export function fixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`../../fixtures/tickets/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;
}

export function signed(
  system: Delivery['system'],
  body: unknown,
  extra: Record<string, string> = {},
  at: Date = now,
): Delivery {
  const rawBody = typeof body === 'string' ? body : JSON.stringify(body);
  return {
    system,
    rawBody,
    headers: { 'content-type': 'application/json', ...signDelivery(secret, rawBody, at), ...extra },
    config,
    now,
  };
}
