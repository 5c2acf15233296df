import {
  GetActivityTaskCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { historyOf, sampleInput, startSample, takeTask, waitClosed, type SampleEndpoint } from './harness.js';

let sample: SampleEndpoint;

beforeAll(async () => {
  sample = await startSample();
});

afterAll(async () => {
  await sample?.close();
});

const start = (input: string, name?: string) =>
  sample.client.send(new StartExecutionCommand({ stateMachineArn: sample.machineArn, input, ...(name ? { name } : {}) }));

describe('the sample flow over @aws-sdk/client-sfn', () => {
  it('runs to SUCCEEDED with an SDK activity worker that heartbeats past HeartbeatSeconds', async () => {
    const { executionArn, startDate } = await start(sampleInput({ settleSeconds: 1 }));
    expect(Math.abs(startDate!.getTime() - Date.now())).toBeLessThan(5000);
    const task = await takeTask(sample.client, sample.activityArn, 'agent-dc1');
    expect(JSON.parse(task.input)).toMatchObject({
      validated: true,
      facts: [{ fabric: 'dc1-aci' }, { cluster: 'prod-a' }],
      checks: [{ id: 'pool-red', ok: true, hasTimeLeft: true }, { id: 'bgp', ok: true }],
    });
    // HeartbeatSeconds is 1: working 1.6 s only survives because of the heartbeats.
    for (let i = 0; i < 4; i++) {
      await new Promise((resolve) => setTimeout(resolve, 400));
      await sample.client.send(new SendTaskHeartbeatCommand({ taskToken: task.taskToken }));
    }
    await sample.client.send(new SendTaskSuccessCommand({ taskToken: task.taskToken, output: JSON.stringify({ applied: 3 }) }));

    const done = await waitClosed(sample.client, executionArn!);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toMatchObject({ ticket: 'CHG0030001', status: 'SUCCEEDED', applied: { applied: 3 }, checks: 2 });

    const events = await historyOf(sample.client, executionArn!);
    expect(events.map((e) => e.id)).toEqual(events.map((_e, i) => i + 1));
    const types = new Set(events.map((e) => e.type));
    for (const type of [
      'ExecutionStarted', 'TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskSucceeded', 'TaskStateExited',
      'ChoiceStateEntered', 'ParallelStateEntered', 'ParallelStateSucceeded', 'LambdaFunctionScheduled', 'LambdaFunctionSucceeded',
      'MapStateEntered', 'MapIterationStarted', 'MapIterationSucceeded', 'WaitStateEntered', 'ActivityScheduled',
      'ActivityStarted', 'ActivitySucceeded', 'SucceedStateEntered', 'ExecutionSucceeded',
    ]) expect(types, type).toContain(type);
    expect(events.find((e) => e.type === 'ActivityStarted')?.activityStartedEventDetails?.workerName).toBe('agent-dc1');
    expect(events.find((e) => e.type === 'ActivityScheduled')?.activityScheduledEventDetails).toMatchObject({ heartbeatInSeconds: 1, timeoutInSeconds: 20 });
    expect(events.find((e) => e.type === 'MapStateStarted')?.mapStateStartedEventDetails?.length).toBe(2);
    const waited = events.find((e) => e.type === 'WaitStateExited')!.timestamp!.getTime() - events.find((e) => e.type === 'WaitStateEntered')!.timestamp!.getTime();
    expect(waited).toBeGreaterThanOrEqual(950);
    const invoke = events.find((e) => e.type === 'TaskSucceeded')!.taskSucceededEventDetails!;
    expect(JSON.parse(invoke.output!)).toMatchObject({ StatusCode: 200, ExecutedVersion: '$LATEST', Payload: { validated: true } });
  });

  it('takes the Choice to PlanOnly without scheduling the activity', async () => {
    const { executionArn } = await start(sampleInput({ mode: 'plan-only' }));
    const done = await waitClosed(sample.client, executionArn!);
    expect(done.status).toBe('SUCCEEDED');
    const types = (await historyOf(sample.client, executionArn!)).map((e) => e.type);
    expect(types).toContain('SucceedStateEntered');
    expect(types).not.toContain('ActivityScheduled');
  });

  it("fails with the Lambda's named error, caught as on AWS with Cause {errorType, errorMessage}", async () => {
    const { executionArn } = await start(sampleInput({ reject: true }));
    const done = await waitClosed(sample.client, executionArn!);
    expect(done.status).toBe('FAILED');
    expect(done.error).toBe('InvalidTicket');
    expect(JSON.parse(done.cause!)).toEqual({ errorType: 'InvalidTicket', errorMessage: expect.stringMatching(/CHG0030001 is not approved/) });
    const failed = (await historyOf(sample.client, executionArn!)).find((e) => e.type === 'TaskFailed');
    expect(failed?.taskFailedEventDetails).toMatchObject({ resourceType: 'lambda', resource: 'invoke', error: 'InvalidTicket' });
  });

  it('runs the rollback path and raises an alert when the worker reports failure', async () => {
    const before = sample.sfn.runtime.alerts().length;
    const { executionArn } = await start(sampleInput());
    const task = await takeTask(sample.client, sample.activityArn);
    await sample.client.send(new SendTaskFailureCommand({ taskToken: task.taskToken, error: 'ApplyFailed', cause: 'APIC answered 400' }));
    const done = await waitClosed(sample.client, executionArn!);
    expect(done).toMatchObject({ status: 'FAILED', error: 'ChangeRolledBack', cause: 'ApplyFailed' });
    const events = await historyOf(sample.client, executionArn!);
    expect(events.find((e) => e.type === 'ActivityFailed')?.activityFailedEventDetails).toEqual({ error: 'ApplyFailed', cause: 'APIC answered 400' });
    const rollback = events.find((e) => e.type === 'TaskStateExited' && e.stateExitedEventDetails?.name === 'Rollback');
    expect(JSON.parse(rollback!.stateExitedEventDetails!.output!).rollback).toEqual({ rolledBack: true, reason: 'ApplyFailed' });
    const alerts = sample.sfn.runtime.alerts().slice(before);
    expect(alerts).toEqual([expect.objectContaining({ message: 'ApplyFailed', subject: 'change rolled back', executionArn, stateName: 'PageHuman' })]);
  });

  it('fails the task with States.HeartbeatTimeout when the worker stops heartbeating, and the Catch path runs', async () => {
    const { executionArn } = await start(sampleInput());
    const task = await takeTask(sample.client, sample.activityArn, 'dies-quietly');
    const done = await waitClosed(sample.client, executionArn!);
    expect(done).toMatchObject({ status: 'FAILED', error: 'ChangeRolledBack', cause: 'States.HeartbeatTimeout' });
    const events = await historyOf(sample.client, executionArn!);
    expect(events.find((e) => e.type === 'ActivityTimedOut')?.activityTimedOutEventDetails?.error).toBe('States.HeartbeatTimeout');
    expect(events.some((e) => e.type === 'TaskStateEntered' && e.stateEnteredEventDetails?.name === 'Rollback')).toBe(true);
    await expect(sample.client.send(new SendTaskSuccessCommand({ taskToken: task.taskToken, output: '{}' }))).rejects.toMatchObject({ name: 'TaskTimedOut' });
  });

  it('answers GetActivityTask without a token when no task is waiting', async () => {
    const started = Date.now();
    const answer = await sample.client.send(new GetActivityTaskCommand({ activityArn: sample.activityArn, workerName: 'idle' }));
    expect(answer.taskToken).toBeUndefined();
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
  });

  it('does not hand a task to a worker that hung up mid-poll', async () => {
    const hangUp = new AbortController();
    const abandoned = sample.client.send(new GetActivityTaskCommand({ activityArn: sample.activityArn, workerName: 'gone' }), { abortSignal: hangUp.signal });
    abandoned.catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 50));
    hangUp.abort();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const { executionArn } = await start(sampleInput());
    const task = await takeTask(sample.client, sample.activityArn, 'alive');
    await sample.client.send(new SendTaskSuccessCommand({ taskToken: task.taskToken, output: '{}' }));
    expect((await waitClosed(sample.client, executionArn!)).status).toBe('SUCCEEDED');
  });

  it('stops an execution: ABORTED with the given error and cause, and its activity task is gone', async () => {
    const { executionArn } = await start(sampleInput());
    const task = await takeTask(sample.client, sample.activityArn);
    await sample.client.send(new StopExecutionCommand({ executionArn, error: 'Operator', cause: 'change window closed' }));
    const done = await waitClosed(sample.client, executionArn!);
    expect(done).toMatchObject({ status: 'ABORTED', error: 'Operator', cause: 'change window closed' });
    expect(done.stopDate).toBeInstanceOf(Date);
    const last = (await historyOf(sample.client, executionArn!)).at(-1);
    expect(last?.type).toBe('ExecutionAborted');
    expect(last?.executionAbortedEventDetails).toEqual({ error: 'Operator', cause: 'change window closed' });
    await expect(sample.client.send(new SendTaskHeartbeatCommand({ taskToken: task.taskToken }))).rejects.toMatchObject({ name: 'TaskTimedOut' });
  });
});

describe('StartExecution idempotency (Standard workflows)', () => {
  it('returns the original execution for the same name and input while it runs', async () => {
    const first = await start(sampleInput({ ticket: 'CHG-IDEM-1' }), 'chg-idem-1');
    const again = await start(sampleInput({ ticket: 'CHG-IDEM-1' }), 'chg-idem-1');
    expect(again.executionArn).toBe(first.executionArn);
    expect(again.startDate).toEqual(first.startDate);
    await expect(start(sampleInput({ ticket: 'CHG-IDEM-other' }), 'chg-idem-1')).rejects.toMatchObject({ name: 'ExecutionAlreadyExists' });
    const task = await takeTask(sample.client, sample.activityArn);
    await sample.client.send(new SendTaskSuccessCommand({ taskToken: task.taskToken, output: '{}' }));
    await waitClosed(sample.client, first.executionArn!);
  });

  it('refuses the same name once the execution has closed, even with the same input', async () => {
    const { executionArn } = await start(sampleInput({ mode: 'plan-only' }), 'chg-idem-2');
    await waitClosed(sample.client, executionArn!);
    await expect(start(sampleInput({ mode: 'plan-only' }), 'chg-idem-2')).rejects.toMatchObject({
      name: 'ExecutionAlreadyExists',
      $metadata: { httpStatusCode: 400 },
    });
  });
});

describe('listing and history paging', () => {
  it('lists executions newest first, filtered by status, in pages', async () => {
    const names = ['list-a', 'list-b', 'list-c'];
    for (const name of names) await waitClosed(sample.client, (await start(sampleInput({ mode: 'plan-only' }), name)).executionArn!);
    const seen: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await sample.client.send(new ListExecutionsCommand({ stateMachineArn: sample.machineArn, statusFilter: 'SUCCEEDED', maxResults: 2, nextToken }));
      expect(page.executions!.length).toBeLessThanOrEqual(2);
      expect(page.executions!.every((e) => e.status === 'SUCCEEDED')).toBe(true);
      seen.push(...page.executions!.map((e) => e.name!));
      nextToken = page.nextToken;
    } while (nextToken);
    expect(seen.slice(0, 3)).toEqual(['list-c', 'list-b', 'list-a']);
    const failed = await sample.client.send(new ListExecutionsCommand({ stateMachineArn: sample.machineArn, statusFilter: 'FAILED' }));
    expect(failed.executions!.every((e) => e.status === 'FAILED')).toBe(true);
    expect(failed.executions!.length).toBeGreaterThan(0);
  });

  it('reads history in reverse order and in pages', async () => {
    const { executionArn } = await start(sampleInput({ mode: 'plan-only' }));
    await waitClosed(sample.client, executionArn!);
    const all = await historyOf(sample.client, executionArn!);
    const reversed = await sample.client.send(new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: 3 }));
    expect(reversed.events!.map((e) => e.id)).toEqual([all.length, all.length - 1, all.length - 2]);
    expect(reversed.events![0]!.type).toBe('ExecutionSucceeded');
    const next = await sample.client.send(new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: 3, nextToken: reversed.nextToken }));
    expect(next.events![0]!.id).toBe(all.length - 3);
    const bare = await sample.client.send(new GetExecutionHistoryCommand({ executionArn, includeExecutionData: false }));
    expect(bare.events![0]!.executionStartedEventDetails?.input).toBeUndefined();
  });
});

describe('API errors', () => {
  it.each([
    ['InvalidName', () => start('{}', 'has spaces in it')],
    ['InvalidExecutionInput', () => start('{not json')],
    ['StateMachineDoesNotExist', () => sample.client.send(new StartExecutionCommand({ stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:nope' }))],
    ['InvalidArn', () => sample.client.send(new StartExecutionCommand({ stateMachineArn: 'not-an-arn' }))],
    ['ExecutionDoesNotExist', () => sample.client.send(new StopExecutionCommand({ executionArn: 'arn:aws:states:us-east-1:000000000000:execution:sample-flow:nope' }))],
    ['InvalidToken', () => sample.client.send(new SendTaskSuccessCommand({ taskToken: 'forged!', output: '{}' }))],
    ['ActivityDoesNotExist', () => sample.client.send(new GetActivityTaskCommand({ activityArn: 'arn:aws:states:us-east-1:000000000000:activity:nope' }))],
  ])('answers %s with that AWS error name and HTTP 400', async (name, call) => {
    await expect(call()).rejects.toMatchObject({ name, $metadata: { httpStatusCode: 400 } });
  });
});
