import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { styleText } from 'node:util';
import * as z from '../../shared/zod.js';
import { renderTimeline } from '../../cli/audit-output.js';
import { changeDurationMs, formatDuration } from '../../shared/report/duration.js';
import { ChainVerdict, type AuditEvent } from '../../shared/store/index.js';
import { watchChange } from '../../cli/change-watch.js';
import { jiraDelivery, serviceNowDelivery, type Delivery } from './demo-tickets.js';
import { repoRoot, type DevStack } from './dev-stack.js';

// `npm start`: four changes through the real path — a ticket in the lab ServiceNow or Jira, its
// signed webhook, the workflow on the local engine, the agent against the lab fabric and cluster —
// one that succeeds, one plan-only, one a precheck refuses, one that fails verification and is
// rolled back. Each is followed live, then its audit trail is shown and its chain verified.

interface Scenario {
  readonly title: string;
  readonly system: 'servicenow' | 'jira';
  readonly spec: (examples: Examples) => string;
  readonly expect: string;
  /** A lab fault held for this scenario only, to show what a failed verification does. */
  readonly fault?: string;
}

interface Examples {
  readonly onboard: string;
  readonly poolBlue: string;
}

const scenarios: readonly Scenario[] = [
  { title: 'Onboard prod-a: BGP peering, LB pool pool-red, egress IP in an ESG', system: 'servicenow', spec: (e) => e.onboard, expect: 'SUCCEEDED' },
  { title: 'Add LB pool pool-blue, plan only', system: 'jira', spec: (e) => e.poolBlue, expect: 'PLANNED' },
  {
    title: 'Peer with the wrong fabric AS — refused by a precheck, nothing touched',
    system: 'servicenow',
    spec: (e) => e.onboard.replace('fabricAsn: 65001', 'fabricAsn: 65099'),
    expect: 'REJECTED',
  },
  {
    title: 'Add LB pool pool-green while the fabric drops BGP sessions — verification fails, rolled back',
    system: 'jira',
    spec: (e) => e.poolBlue.replace(/pool-blue/g, 'pool-green').replace('10.0.11.0/25', '10.0.12.0/24').replace('color: blue', 'color: green').replace('mode: plan-only', 'mode: apply'),
    expect: 'ROLLED_BACK',
    fault: 'bgp.establish=never',
  },
];

const ChangeReply = z.object({ changeId: z.optional(z.string()), status: z.string(), reason: z.optional(z.string()) });

export interface DemoOutcome {
  readonly title: string;
  readonly changeId?: string;
  readonly status: string;
  readonly expected: string;
  readonly seconds: number;
  readonly chainValid: boolean;
}

export async function runDemo(stack: DevStack, out: NodeJS.WritableStream & { isTTY?: boolean }): Promise<DemoOutcome[]> {
  const colour = Boolean(out.isTTY);
  const paint = (style: Parameters<typeof styleText>[0], text: string) => (colour ? styleText(style, text) : text);
  const examples: Examples = {
    onboard: await readFile(join(repoRoot, 'examples/onboard-prod-a.yaml'), 'utf8'),
    poolBlue: await readFile(join(repoRoot, 'examples/add-pool-blue.yaml'), 'utf8'),
  };
  const api = stack.endpoints.api;
  const outcomes: DemoOutcome[] = [];
  const trails: Array<{ changeId: string }> = [];
  for (const [i, scenario] of scenarios.entries()) {
    out.write(`\n${paint('bold', `▶ ${i + 1}/${scenarios.length} ${scenario.title}`)}\n`);
    if (scenario.fault) {
      stack.lab.world.faults.add(scenario.fault);
      out.write(`  (lab: fault ${scenario.fault} until this change ends)\n`);
    }
    const started = Date.now();
    try {
      const spec = scenario.spec(examples);
      const now = new Date();
      const delivery: Delivery =
        scenario.system === 'servicenow'
          ? await serviceNowDelivery(stack.lab, stack.endpoints.webhookSecret, scenario.title, spec, now)
          : await jiraDelivery(stack.lab, stack.endpoints.webhookSecret, scenario.title, spec, now);
      const res = await fetch(`${api}${delivery.path}`, { method: 'POST', headers: delivery.headers, body: delivery.body });
      const reply = ChangeReply.parse(await res.json());
      out.write(`  ${scenario.system} ${delivery.ticket} → webhook ${res.status} ${reply.status}${reply.changeId ? ` ${reply.changeId}` : ''}\n`);
      if (!reply.changeId) {
        outcomes.push({ title: scenario.title, status: `not started (${reply.reason ?? reply.status})`, expected: scenario.expect, seconds: 0, chainValid: false });
        continue;
      }
      const changeId = reply.changeId;
      let last = started;
      const result = await watchChange(
        { fetch },
        {
          api,
          changeId,
          intervalMs: 300,
          timeoutMs: 300_000,
          onEvent: (e: AuditEvent) => {
            const at = Date.parse(e.at);
            const elapsed = ((at - started) / 1000).toFixed(1).padStart(5);
            const step = `+${formatDuration(at - last)}`.padStart(7);
            last = at;
            out.write(`  [${elapsed}s] ${step}  ${e.type.padEnd(28)} ${(e.status ?? '').padEnd(12)} ${e.actor}\n`);
          },
        },
      );
      const status = result.change?.status ?? 'UNKNOWN';
      // The final status is not the last event: the lock release and the ticket close follow it.
      // Count and verify the chain once the execution has ended, so nothing is left out.
      if (result.change?.executionArn) await stack.sfn.runtime.waitForExecution(result.change.executionArn);
      const trail = await stack.store.getChangeWithEvents(changeId);
      const seconds = changeDurationMs(trail.change, trail.events) / 1000;
      const verdict = ChainVerdict.parse(await (await fetch(`${api}/changes/${encodeURIComponent(changeId)}/verify`)).json());
      const good = status === scenario.expect;
      out.write(
        `  ${paint(good ? 'green' : 'red', `■ ${status}`)} in ${formatDuration(seconds * 1000)} (expected ${scenario.expect})` +
          `${result.change?.outcome?.reason ? ` — ${result.change.outcome.reason}` : ''}\n` +
          `  audit chain ${verdict.valid ? paint('green', `verified (${verdict.events} events)`) : paint('red', `BROKEN at #${verdict.firstBadSeq}`)} · ${api}/changes/${changeId}\n`,
      );
      outcomes.push({ title: scenario.title, changeId, status, expected: scenario.expect, seconds, chainValid: verdict.valid });
      trails.push({ changeId });
    } finally {
      if (scenario.fault) stack.lab.world.faults.clear();
    }
  }
  out.write(`\n${paint('bold', 'Audit timelines')}\n`);
  for (const { changeId } of trails) {
    const { change, events } = await stack.store.getChangeWithEvents(changeId);
    const verdict = await stack.store.audit.verify(changeId);
    out.write(`\n${renderTimeline(change, events, verdict, colour)}`);
  }
  out.write(`\n${paint('bold', 'Demo summary')}\n`);
  for (const o of outcomes) {
    const ok = o.status === o.expected && o.chainValid;
    out.write(`  ${ok ? paint('green', '✓') : paint('red', '✗')} ${o.status.padEnd(12)} ${formatDuration(o.seconds * 1000).padStart(7)}  ${o.title}\n`);
  }
  return outcomes;
}
