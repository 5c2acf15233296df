import * as z from '../../shared/zod.js';
import { AgentStep } from '../../shared/agent-protocol/index.js';
import type { WorkflowDeps } from '../../shared/workflow/deps.js';
import { integrationSettings } from './settings.js';
import { anchoredWorkflowStoreFromEnv } from './anchored-store.js';

// Builds what the workflow steps need from this Lambda's environment and settings, once per
// container. The embedded default sets the same variables for its in-process handlers.

const StepLimitsEnv = z.record(AgentStep, z.strictObject({ heartbeatSeconds: z.int().check(z.positive()), timeoutSeconds: z.int().check(z.positive()) }));

let cached: Promise<WorkflowDeps> | undefined;

export function workflowDeps(env: NodeJS.ProcessEnv = process.env): Promise<WorkflowDeps> {
  cached ??= build(env);
  return cached;
}

export function forgetWorkflowDeps(): void {
  cached = undefined;
}

/**
 * What some steps add to the shared dependencies (ticket writers, readers), built once per
 * container like the rest: once per deps object, so forgetWorkflowDeps starts them anew too.
 */
export function addedOnce(add: (deps: WorkflowDeps) => Promise<WorkflowDeps>): (deps: WorkflowDeps) => Promise<WorkflowDeps> {
  const built = new WeakMap<WorkflowDeps, Promise<WorkflowDeps>>();
  return (deps) => {
    let extended = built.get(deps);
    if (!extended) {
      extended = add(deps);
      built.set(deps, extended);
    }
    return extended;
  };
}

async function build(env: NodeJS.ProcessEnv): Promise<WorkflowDeps> {
  const settings = await integrationSettings(env);
  const timing = StepLimitsEnv.parse(JSON.parse(env['CHANGEFLOW_AGENT_TIMING'] ?? '{}'));
  return {
    store: anchoredWorkflowStoreFromEnv(),
    now: () => new Date(),
    sites: (env['CHANGEFLOW_SITES'] ?? '').split(',').filter(Boolean),
    agentTiming: timing,
    // Ticket writers and readers, requester directories: only the steps that use them add them
    // (ticket-writers.ts, ticket-readers.ts), so the others do not bundle them.
    leaseTtlMs: Number(env['CHANGEFLOW_LEASE_TTL_MS'] ?? 2 * 3600 * 1000),
    lockWaitMs: Number(env['CHANGEFLOW_LOCK_WAIT_SECONDS'] ?? 6 * 3600) * 1000,
    actor: 'changeflow-workflow',
    approvalPolicy: settings.changeControl?.approval,
    driftTicketNote: settings.changeControl?.drift?.ticketNote ?? false,
    // Signed tasks and the execution both end after CHANGEFLOW_PLAN_TTL_SECONDS: waiting for an
    // approval may take at most half of it, leaving the rest to apply, verify and roll back.
    approvalMaxSeconds: env['CHANGEFLOW_PLAN_TTL_SECONDS'] ? Math.floor(Number(env['CHANGEFLOW_PLAN_TTL_SECONDS']) / 2) : undefined,
  };
}
