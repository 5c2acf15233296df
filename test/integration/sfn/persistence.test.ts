import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListExecutionsCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually } from '../../support/eventually.js';
import { historyOf, sampleInput, startSample, waitClosed, type SampleEndpoint } from './harness.js';

const dataDir = mkdtempSync(join(tmpdir(), 'changeflow-sfn-'));
const open: SampleEndpoint[] = [];

afterAll(async () => {
  for (const endpoint of open) await endpoint.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('executions kept under the data dir', () => {
  it('shows past executions after a restart, and closes the ones that were running as ABORTED', async () => {
    const first = await startSample({ dataDir });
    open.push(first);
    const finished = await first.client.send(new StartExecutionCommand({ stateMachineArn: first.machineArn, name: 'before-restart', input: sampleInput({ mode: 'plan-only' }) }));
    await waitClosed(first.client, finished.executionArn!);
    // This one waits at the Apply activity when the runtime goes away.
    const waiting = await first.client.send(new StartExecutionCommand({ stateMachineArn: first.machineArn, name: 'cut-off', input: sampleInput() }));
    await eventually(async () => (await historyOf(first.client, waiting.executionArn!)).some((e) => e.type === 'ActivityScheduled'), 'cut-off never reached the Apply activity');
    const historyBefore = await historyOf(first.client, finished.executionArn!);
    await first.close();
    open.pop();
    expect(readdirSync(join(dataDir, 'sfn', 'executions')).filter((f) => f.endsWith('.json'))).toHaveLength(2);

    const second = await startSample({ dataDir });
    open.push(second);
    const listed = await second.client.send(new ListExecutionsCommand({ stateMachineArn: second.machineArn }));
    expect(listed.executions!.map((e) => [e.name, e.status])).toEqual([
      ['cut-off', 'ABORTED'],
      ['before-restart', 'SUCCEEDED'],
    ]);
    const cutOff = await waitClosed(second.client, waiting.executionArn!);
    expect(cutOff.cause).toBe('local runtime restarted');
    const cutHistory = await historyOf(second.client, waiting.executionArn!);
    expect(cutHistory.map((e) => e.type)).toContain('ActivityScheduled');
    expect(cutHistory.at(-1)?.executionAbortedEventDetails?.cause).toBe('local runtime restarted');
    expect(await historyOf(second.client, finished.executionArn!)).toEqual(historyBefore);
    // Names stay taken, as on AWS while the history is retained.
    const reuse = second.client.send(new StartExecutionCommand({ stateMachineArn: second.machineArn, name: 'before-restart', input: sampleInput({ mode: 'plan-only' }) }));
    await expect(reuse).rejects.toMatchObject({ name: 'ExecutionAlreadyExists' });
  });
});
