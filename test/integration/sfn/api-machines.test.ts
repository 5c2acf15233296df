import {
  CreateActivityCommand,
  CreateStateMachineCommand,
  DescribeStateMachineCommand,
  GetActivityTaskCommand,
  ListActivitiesCommand,
  ListStateMachinesCommand,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { eventually } from '../../support/eventually.js';
import { historyOf, startSample, waitClosed, type SampleEndpoint } from './harness.js';

let sample: SampleEndpoint;
let checkItemArn: string;
let slowArn: string;
const roleArn = 'arn:aws:iam::000000000000:role/probe';

beforeAll(async () => {
  sample = await startSample();
  const lambdas = sample.sfn.runtime.registry.stateMachine(sample.machineArn).def.lambdas;
  checkItemArn = lambdas.find((l) => l.logicalId.startsWith('CheckItemFn'))!.arn;
  slowArn = lambdas.find((l) => l.logicalId.startsWith('SlowFn'))!.arn;
});

afterAll(async () => {
  await sample?.close();
});

describe('state machines and activities over the API', () => {
  it('lists and describes the stack machine with its plain ASL definition', async () => {
    const listed = await sample.client.send(new ListStateMachinesCommand({}));
    expect(listed.stateMachines).toEqual([expect.objectContaining({ name: 'sample-flow', type: 'STANDARD', stateMachineArn: sample.machineArn })]);
    expect(listed.stateMachines![0]!.creationDate).toBeInstanceOf(Date);
    const described = await sample.client.send(new DescribeStateMachineCommand({ stateMachineArn: sample.machineArn }));
    expect(described.status).toBe('ACTIVE');
    expect(described.roleArn).toMatch(/^arn:aws:iam::000000000000:role\/SampleFlowRole/);
    const definition = JSON.parse(described.definition!);
    expect(definition.StartAt).toBe('Validate');
    expect(described.definition).not.toContain('Fn::');
  });

  it('creates a machine from a definition whose Tasks use the stack functions and activity; an activity nobody takes times out into Catch', async () => {
    const definition = JSON.stringify({
      StartAt: 'Check',
      States: {
        Check: { Type: 'Task', Resource: checkItemArn, Parameters: { 'id.$': '$.id' }, ResultPath: '$.check', Next: 'AwaitWorker' },
        AwaitWorker: {
          Type: 'Task',
          Resource: sample.activityArn,
          TimeoutSeconds: 1,
          // States.TaskFailed must not match a timeout; only the explicit catcher does.
          Catch: [
            { ErrorEquals: ['States.TaskFailed'], Next: 'WrongCatcher' },
            { ErrorEquals: ['States.Timeout'], ResultPath: '$.error', Next: 'TimedOut' },
          ],
          End: true,
        },
        WrongCatcher: { Type: 'Fail', Error: 'WrongCatcher' },
        TimedOut: { Type: 'Pass', End: true },
      },
    });
    const created = await sample.client.send(new CreateStateMachineCommand({ name: 'probe-timeout', definition, roleArn }));
    expect(created.stateMachineArn).toBe('arn:aws:states:us-east-1:000000000000:stateMachine:probe-timeout');
    const again = await sample.client.send(new CreateStateMachineCommand({ name: 'probe-timeout', definition, roleArn }));
    expect(again.stateMachineArn).toBe(created.stateMachineArn);

    const { executionArn } = await sample.client.send(new StartExecutionCommand({ stateMachineArn: created.stateMachineArn, input: '{"id":"x1"}' }));
    const done = await waitClosed(sample.client, executionArn!);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toMatchObject({ check: { id: 'x1', ok: true }, error: { Error: 'States.Timeout' } });
    const timedOut = (await historyOf(sample.client, executionArn!)).find((e) => e.type === 'ActivityTimedOut');
    expect(timedOut?.activityTimedOutEventDetails?.error).toBe('States.Timeout');
    const late = await sample.client.send(new GetActivityTaskCommand({ activityArn: sample.activityArn, workerName: 'late' }));
    expect(late.taskToken).toBeUndefined();
  });

  it('times a slow Lambda Task out at its TimeoutSeconds and records no late success', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'changeflow-slow-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const returned = join(dir, 'returned');
    const definition = JSON.stringify({
      StartAt: 'Slow',
      States: {
        Slow: {
          Type: 'Task',
          Resource: slowArn,
          Parameters: { ms: 1600, doneFile: returned },
          TimeoutSeconds: 1,
          Catch: [{ ErrorEquals: ['States.Timeout'], ResultPath: '$.error', Next: 'Caught' }],
          End: true,
        },
        Caught: { Type: 'Pass', End: true },
      },
    });
    const { stateMachineArn } = await sample.client.send(new CreateStateMachineCommand({ name: 'probe-slow', definition, roleArn }));
    const { executionArn } = await sample.client.send(new StartExecutionCommand({ stateMachineArn, input: '{}' }));
    const done = await waitClosed(sample.client, executionArn!);
    expect(JSON.parse(done.output!).error.Error).toBe('States.Timeout');
    // The Lambda returns after its Task timed out; what it returns must not enter the history.
    await eventually(() => existsSync(returned), 'the slow Lambda never returned');
    const types = (await historyOf(sample.client, executionArn!)).map((e) => e.type);
    expect(types).toContain('LambdaFunctionTimedOut');
    expect(types).not.toContain('LambdaFunctionSucceeded');
  });

  it('ends an execution that outlives the machine TimeoutSeconds as TIMED_OUT', async () => {
    const definition = JSON.stringify({ TimeoutSeconds: 1, StartAt: 'Linger', States: { Linger: { Type: 'Wait', Seconds: 5, End: true } } });
    const { stateMachineArn } = await sample.client.send(new CreateStateMachineCommand({ name: 'probe-deadline', definition, roleArn }));
    const { executionArn } = await sample.client.send(new StartExecutionCommand({ stateMachineArn }));
    const done = await waitClosed(sample.client, executionArn!);
    expect(done).toMatchObject({ status: 'TIMED_OUT', error: 'States.Timeout' });
    expect((await historyOf(sample.client, executionArn!)).at(-1)?.type).toBe('ExecutionTimedOut');
  });

  it('refuses a different definition under an existing name', async () => {
    const definition = JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });
    await sample.client.send(new CreateStateMachineCommand({ name: 'probe-pass', definition, roleArn }));
    const other = JSON.stringify({ StartAt: 'Q', States: { Q: { Type: 'Pass', End: true } } });
    await expect(sample.client.send(new CreateStateMachineCommand({ name: 'probe-pass', definition: other, roleArn }))).rejects.toMatchObject({
      name: 'StateMachineAlreadyExists',
    });
  });

  it.each([
    ['uses JSONata', { QueryLanguage: 'JSONata', StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }, /JSONata/],
    ['calls a function with no local handler', { StartAt: 'T', States: { T: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:000000000000:function:Elsewhere', End: true } } }, /"T".*changeflow:entry/],
  ])('refuses a definition that %s with InvalidDefinition', async (_label, definition, message) => {
    const create = sample.client.send(new CreateStateMachineCommand({ name: 'probe-refused', definition: JSON.stringify(definition), roleArn }));
    await expect(create).rejects.toMatchObject({ name: 'InvalidDefinition', message });
  });

  it('creates activities idempotently and lists them with the stack activity', async () => {
    const first = await sample.client.send(new CreateActivityCommand({ name: 'dc2-agent' }));
    const second = await sample.client.send(new CreateActivityCommand({ name: 'dc2-agent' }));
    expect(second.activityArn).toBe(first.activityArn);
    const listed = await sample.client.send(new ListActivitiesCommand({}));
    expect(listed.activities!.map((a) => a.name).sort()).toEqual(['dc2-agent', 'sample-apply']);
  });
});
