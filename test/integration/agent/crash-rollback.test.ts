import { DescribeExecutionCommand, GetExecutionHistoryCommand, SFNClient, type HistoryEvent } from '@aws-sdk/client-sfn';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevStack, type DevStack } from '../../../local/dev/dev-stack.js';

// Issue 8 acceptance on the whole dev stack: the real change workflow on the local engine, the
// lab, and a supervised agent PROCESS given agent.crash=apply.aci. The agent dies mid-apply, its
// heartbeats stop, Step Functions times the task out, and the restarted agent rolls back: the
// APIC and the cluster read exactly as before, and no secret reached a result, event or log.

const onboard = readFileSync('examples/onboard-prod-a.yaml', 'utf8');

let dir: string;
let stack: DevStack;
const logLines: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'changeflow-crash-'));
  stack = await startDevStack({ port: 0, dataDir: dir, faults: ['agent.crash=apply.aci'], log: (line) => logLines.push(line) });
}, 60_000);

afterAll(async () => {
  await stack?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function dumps(): Promise<{ apic: string; kubernetes: string }> {
  await stack.lab.kubernetes.settle();
  const [apic, kubernetes] = await Promise.all([
    fetch(`${stack.lab.apic.url}/_lab/dump`).then((r) => r.text()),
    fetch(`${stack.lab.kubernetes.httpUrl}/_lab/dump`).then((r) => r.text()),
  ]);
  return { apic, kubernetes };
}

async function historyOf(sfn: SFNClient, executionArn: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(new GetExecutionHistoryCommand({ executionArn, nextToken, maxResults: 1000 }));
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return events;
}

describe('an agent killed mid-apply (agent.crash=apply.aci)', () => {
  it('is timed out by its heartbeat and a restarted agent rolls the change back to the exact state before', async () => {
    const before = await dumps();
    const started = await fetch(`${stack.api.url}/changes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ source: 'api', requestedBy: 'agent-crash-test', ticket: { system: 'none' }, spec: onboard }),
    });
    expect(started.status).toBe(202);
    const { changeId, executionArn } = (await started.json()) as { changeId: string; executionArn: string };

    const sfn = new SFNClient({ endpoint: stack.sfn.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    try {
      let described;
      for (const deadline = Date.now() + 90_000; ; ) {
        described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
        if (described.status !== 'RUNNING' || Date.now() > deadline) break;
        await new Promise((r) => setTimeout(r, 250));
      }
      expect(described.status).toBe('FAILED');
      expect(described.error).toBe('ROLLED_BACK');
      expect((await stack.store.changes.require(changeId)).status).toBe('ROLLED_BACK');

      // The first agent died right after its first APIC write; the supervisor started one more.
      const agentLines = logLines.filter((l) => l.startsWith('agent: {'));
      expect(agentLines.find((l) => l.includes('agent.crash'))).toMatch(/"step":"apply-aci","checkpoint":"[^"]+ sent"/);
      expect(stack.agent?.restarts).toBe(1);

      // Step Functions noticed by itself: no answer from the dead agent, a heartbeat timeout.
      const history = await historyOf(sfn, executionArn);
      const timedOut = history.filter((e) => e.type === 'ActivityTimedOut');
      expect(timedOut.map((e) => e.activityTimedOutEventDetails?.error)).toEqual(['States.HeartbeatTimeout']);
      expect(history.filter((e) => e.type === 'ActivityStarted').length).toBe(4); // gather-facts, snapshot, apply-aci, rollback
      // The rollback task went to the second process, which never resumed the half-done apply.
      const lastStart = agentLines.map((l) => l.includes('"agent started"')).lastIndexOf(true);
      const afterRestart = agentLines.slice(lastStart).filter((l) => l.includes('"task started"'));
      expect(afterRestart.map((l) => /"step":"([^"]+)"/.exec(l)?.[1])).toEqual(['rollback']);
      const { events } = await stack.store.getChangeWithEvents(changeId);
      const types = events.map((e) => e.type);
      expect(types).toContain('apply.aci.op.before');
      expect(types).not.toContain('apply.aci.op');
      const rollbackStarted = events.find((e) => e.type === 'rollback.started');
      expect(rollbackStarted?.detail).toMatchObject({ error: 'States.HeartbeatTimeout' });
      expect(types.indexOf('rollback.verified')).toBeGreaterThan(types.indexOf('rollback.started'));
      // The crash came after the APIC write, so the inverse had real work: applied, not unchanged.
      const undone = events.filter((e) => e.type === 'rollback.op').map((e) => e.detail as { opId: string; outcome: string; readback: string });
      expect(undone.filter((op) => op.opId.startsWith('aci.'))).toEqual([expect.objectContaining({ outcome: 'applied', readback: 'matched' })]);
      expect(await stack.store.audit.verify(changeId)).toMatchObject({ valid: true });

      const after = await dumps();
      expect(after.apic).toBe(before.apic);
      expect(after.kubernetes).toBe(before.kubernetes);

      // No secret in any agent result, audit event or log line.
      const results = history.flatMap((e) => [e.activitySucceededEventDetails?.output, e.activityFailedEventDetails?.cause].filter(Boolean));
      expect(results.length).toBeGreaterThanOrEqual(3);
      const everything = [JSON.stringify(results), JSON.stringify(events), logLines.join('\n')].join('\n');
      for (const secret of [stack.lab.apic.password, stack.lab.kubernetes.token]) expect(everything).not.toContain(secret);
    } finally {
      sfn.destroy();
    }
  }, 120_000);
});
