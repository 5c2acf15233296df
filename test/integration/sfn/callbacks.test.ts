import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SendTaskFailureCommand, SendTaskHeartbeatCommand, SendTaskSuccessCommand, StartExecutionCommand, type HistoryEvent, type SFNClient } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCallbackStack, callbackHeartbeatSeconds, callbackTimeoutSeconds } from '../../fixtures/sfn/callback-stack.js';
import { ManualTimers } from '../../support/manual-timers.js';
import { awsCliPath, awsStepFunctions, historyOf, startStack, waitClosed, type SampleEndpoint } from './harness.js';

// `.waitForTaskToken` over the AWS JSON protocol: the token the Lambda (or SNS message) received
// is read back from the TaskScheduled parameters, as an operator would, and answered with the
// SDK or the AWS CLI. The engine's deadlines run on a manual clock: a timeout is a step the test
// takes, never a wait.

const timers = new ManualTimers();
const dataDir = mkdtempSync(join(tmpdir(), 'changeflow-callbacks-'));
let stack: SampleEndpoint;
let runs = 0;

beforeAll(async () => {
  stack = await startStack(buildCallbackStack, { timers, dataDir });
});

afterAll(async () => {
  await stack?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function start(input: Record<string, unknown>, client: SFNClient = stack.client): Promise<string> {
  runs += 1;
  const out = await client.send(new StartExecutionCommand({ stateMachineArn: stack.machineArn, name: `callback-${runs}`, input: JSON.stringify(input) }));
  return out.executionArn!;
}

/** Waits until the execution's `nth` callback was submitted and returns the token it carried. */
async function submittedToken(client: SFNClient, executionArn: string, nth = 1): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const events = await historyOf(client, executionArn);
    const submitted = events.filter((e) => e.type === 'TaskSubmitted');
    if (submitted.length >= nth) {
      const scheduled = events.filter((e) => e.type === 'TaskScheduled')[nth - 1]!;
      const parameters = JSON.parse(scheduled.taskScheduledEventDetails!.parameters!) as { Payload?: { token: string }; Message?: { token: string } };
      return (parameters.Payload ?? parameters.Message)!.token;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`no TaskSubmitted #${nth} in ${executionArn}`);
}

/** Heartbeats keep the task alive so that only TimeoutSeconds can end it; ends past the deadline. */
async function heartbeatPastTimeout(token: string): Promise<void> {
  const step = (callbackHeartbeatSeconds - 1) * 1000;
  for (let t = 0; t + step < callbackTimeoutSeconds * 1000; t += step) {
    timers.advance(step);
    await stack.client.send(new SendTaskHeartbeatCommand({ taskToken: token }));
  }
  timers.advance(step);
}

const types = (events: HistoryEvent[]) => events.map((e) => e.type);

describe('.waitForTaskToken on the local engine (SDK)', () => {
  it('passes $$.Task.Token to the Lambda and continues with the SendTaskSuccess output', async () => {
    const arn = await start({ ticket: 'CHG1' });
    const token = await submittedToken(stack.client, arn);
    await stack.client.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify({ approvedBy: 'jane' }) }));
    const done = await waitClosed(stack.client, arn);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toEqual({ ticket: 'CHG1', answer: { approvedBy: 'jane' } });
    const history = await historyOf(stack.client, arn);
    expect(types(history)).toEqual([
      'ExecutionStarted', 'TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskSubmitted', 'TaskSucceeded', 'TaskStateExited',
      'ChoiceStateEntered', 'ChoiceStateExited', 'SucceedStateEntered', 'SucceedStateExited', 'ExecutionSucceeded',
    ]);
    const scheduled = history.find((e) => e.type === 'TaskScheduled')!.taskScheduledEventDetails!;
    expect(scheduled).toMatchObject({ resourceType: 'lambda', resource: 'invoke.waitForTaskToken', timeoutInSeconds: callbackTimeoutSeconds, heartbeatInSeconds: callbackHeartbeatSeconds });
    // What the Lambda answered is recorded as submitted; it is not the task's result.
    expect(JSON.parse(history.find((e) => e.type === 'TaskSubmitted')!.taskSubmittedEventDetails!.output!)).toMatchObject({ Payload: { asked: 'CHG1' }, StatusCode: 200 });
    // The token is spent: answering again is TaskTimedOut, as on AWS.
    await expect(stack.client.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' }))).rejects.toMatchObject({ name: 'TaskTimedOut' });
  });

  it('fails the task with the SendTaskFailure error, which States.TaskFailed catches', async () => {
    const arn = await start({ ticket: 'CHG2' });
    const token = await submittedToken(stack.client, arn);
    await stack.client.send(new SendTaskFailureCommand({ taskToken: token, error: 'ApprovalDenied', cause: 'jane said no' }));
    const done = await waitClosed(stack.client, arn);
    expect(done).toMatchObject({ status: 'FAILED', error: 'ApprovalDenied', cause: 'jane said no' });
    expect(types(await historyOf(stack.client, arn))).toContain('TaskFailed');
  });

  it('times out after TimeoutSeconds with States.Timeout, which States.TaskFailed does not catch', async () => {
    const arn = await start({ ticket: 'CHG3' });
    const token = await submittedToken(stack.client, arn);
    await heartbeatPastTimeout(token);
    const done = await waitClosed(stack.client, arn);
    expect(done).toMatchObject({ status: 'FAILED', error: 'NoAnswer' });
    const history = await historyOf(stack.client, arn);
    expect(history.find((e) => e.type === 'TaskTimedOut')?.taskTimedOutEventDetails).toMatchObject({ error: 'States.Timeout' });
    await expect(stack.client.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' }))).rejects.toMatchObject({ name: 'TaskTimedOut' });
  });

  it('fails with States.HeartbeatTimeout when heartbeats stop, and heartbeats keep the task alive', async () => {
    const arn = await start({ ticket: 'CHG4' });
    const token = await submittedToken(stack.client, arn);
    timers.advance((callbackHeartbeatSeconds - 1) * 1000);
    await stack.client.send(new SendTaskHeartbeatCommand({ taskToken: token }));
    timers.advance((callbackHeartbeatSeconds - 1) * 1000);
    await stack.client.send(new SendTaskHeartbeatCommand({ taskToken: token }));
    timers.advance(callbackHeartbeatSeconds * 1000 + 1);
    const done = await waitClosed(stack.client, arn);
    expect(done).toMatchObject({ status: 'FAILED', error: 'States.HeartbeatTimeout' });
    expect(types(await historyOf(stack.client, arn))).toContain('TaskTimedOut');
  });

  it('fails at once when the call that should hand the token on fails', async () => {
    const arn = await start({ ticket: 'unreachable' });
    const done = await waitClosed(stack.client, arn);
    expect(done.status).toBe('FAILED');
    expect(done.cause).toMatch(/approver service is unreachable/);
    expect(types(await historyOf(stack.client, arn))).not.toContain('TaskSubmitted');
  });

  it('refuses tokens it never issued', async () => {
    await expect(stack.client.send(new SendTaskSuccessCommand({ taskToken: 'forged!', output: '{}' }))).rejects.toMatchObject({ name: 'InvalidToken' });
    const unknown = Buffer.from(JSON.stringify({ v: 1, id: 'x'.repeat(32) })).toString('base64url');
    await expect(stack.client.send(new SendTaskHeartbeatCommand({ taskToken: unknown }))).rejects.toMatchObject({ name: 'TaskDoesNotExist' });
  });
});

describe.skipIf(!awsCliPath)('.waitForTaskToken answered with the AWS CLI', () => {
  it('send-task-heartbeat, send-task-success on a Lambda callback, then send-task-failure on an SNS callback', async () => {
    const cli = (...args: string[]) => awsStepFunctions(stack.sfn.endpoint, ...args);
    const arn = await start({ ticket: 'CHG5', announce: true });
    const first = await submittedToken(stack.client, arn, 1);
    expect(await cli('send-task-heartbeat', '--task-token', first)).toEqual({});
    await cli('send-task-success', '--task-token', first, '--task-output', '{"approved":true}');
    const second = await submittedToken(stack.client, arn, 2);
    // The SNS message carried the token too.
    expect(stack.sfn.runtime.alerts().some((a) => JSON.stringify(a).includes(second))).toBe(true);
    await cli('send-task-failure', '--task-token', second, '--error', 'NobodyListening', '--cause', 'topic has no subscribers');
    const done = await waitClosed(stack.client, arn);
    expect(done).toMatchObject({ status: 'FAILED', error: 'NobodyListening', cause: 'topic has no subscribers' });
    const history = await historyOf(stack.client, arn);
    expect(history.filter((e) => e.type === 'TaskScheduled').map((e) => e.taskScheduledEventDetails?.resource)).toEqual(['invoke.waitForTaskToken', 'publish.waitForTaskToken']);
  });
});

describe('an outstanding token across a restart of the engine (--data-dir)', () => {
  it('keeps the execution RUNNING, accepts the answer afterwards and still honours TimeoutSeconds', async () => {
    const answered = await start({ ticket: 'CHG6' });
    const expiring = await start({ ticket: 'CHG7' });
    const token = await submittedToken(stack.client, answered);
    const expiringToken = await submittedToken(stack.client, expiring);
    const before = await historyOf(stack.client, answered);
    await stack.close();
    stack = await startStack(buildCallbackStack, { timers, dataDir });

    expect((await stack.client.send(new SendTaskHeartbeatCommand({ taskToken: token })))).toBeDefined();
    await stack.client.send(new SendTaskSuccessCommand({ taskToken: token, output: '{"after":"restart"}' }));
    const done = await waitClosed(stack.client, answered);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toMatchObject({ ticket: 'CHG6', answer: { after: 'restart' } });
    const after = await historyOf(stack.client, answered);
    // One history: the events before the restart unchanged, then the rest; ids keep counting.
    expect(after.slice(0, before.length)).toEqual(before);
    expect(types(after.slice(before.length))).toEqual(['TaskSucceeded', 'TaskStateExited', 'ChoiceStateEntered', 'ChoiceStateExited', 'SucceedStateEntered', 'SucceedStateExited', 'ExecutionSucceeded']);
    expect(after.map((e) => e.id)).toEqual(after.map((_, i) => i + 1));

    await heartbeatPastTimeout(expiringToken);
    expect(await waitClosed(stack.client, expiring)).toMatchObject({ status: 'FAILED', error: 'NoAnswer' });
  });
});
