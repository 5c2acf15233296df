import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { forgetSettings } from '../../../functions/runtime/settings.js';
import { withRequesterDirectories, withTicketReaders } from '../../../functions/runtime/ticket-readers.js';
import { withTicketWriters } from '../../../functions/runtime/ticket-writers.js';
import type { WorkflowDeps } from '../../../shared/workflow/deps.js';

// The ticket writers and readers some steps add are built once per container, as the shared
// dependencies are — not on every invocation — and anew when those are (a new deps object).

const settings = {
  webhookSecret: 'step-deps-once-secret-0123456789',
  servicenow: { url: 'https://snow.example.test', username: 'u', password: 'p' },
  jira: { url: 'https://jira.example.test', email: 'e@example.test', token: 't' },
};
const base = () => ({ actor: 'test' }) as unknown as WorkflowDeps;
let saved: string | undefined;

beforeEach(() => {
  saved = process.env['CHANGEFLOW_SETTINGS'];
  process.env['CHANGEFLOW_SETTINGS'] = JSON.stringify(settings);
  forgetSettings();
});
afterEach(() => {
  if (saved === undefined) delete process.env['CHANGEFLOW_SETTINGS'];
  else process.env['CHANGEFLOW_SETTINGS'] = saved;
  forgetSettings();
});

describe.each([
  ['withTicketWriters', withTicketWriters, 'ticketWriters'],
  ['withTicketReaders', withTicketReaders, 'ticketReaders'],
  ['withRequesterDirectories', withRequesterDirectories, 'requesterDirectories'],
] as const)('%s', (_name, add, key) => {
  it('adds one per configured system, built once for the same deps and anew for new ones', async () => {
    const deps = base();
    const first = await add(deps);
    expect(Object.keys(first[key] ?? {}).sort()).toEqual(['jira', 'servicenow']);
    expect(first.actor).toBe('test');
    expect(await add(deps)).toBe(first);
    const again = await add(base());
    expect(again).not.toBe(first);
    expect(again[key]?.servicenow).not.toBe(first[key]?.servicenow);
  });
});
