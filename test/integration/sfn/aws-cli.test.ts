import { SendTaskSuccessCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsCliPath, awsStepFunctions, sampleInput, startSample, takeTask, waitClosed, type SampleEndpoint } from './harness.js';

const aws = awsCliPath;
if (!aws) console.warn('SKIPPED aws-cli.test.ts: the aws command is not on PATH (CI installs Debian awscli in .ci/run)');

let sample: SampleEndpoint;

const cli = (...args: string[]): Promise<Record<string, unknown>> => awsStepFunctions(sample.sfn.endpoint, ...args);

describe.skipIf(!aws)('aws stepfunctions against the local endpoint', () => {
  beforeAll(async () => {
    sample = await startSample();
  });

  afterAll(async () => {
    await sample?.close();
  });

  it('lists state machines, starts an execution, describes it and reads its history', async () => {
    const listed = await cli('list-state-machines');
    expect(listed['stateMachines']).toEqual([expect.objectContaining({ name: 'sample-flow', stateMachineArn: sample.machineArn })]);

    const started = await cli('start-execution', '--state-machine-arn', sample.machineArn, '--name', 'from-aws-cli', '--input', sampleInput());
    const executionArn = String(started['executionArn']);
    expect(executionArn).toBe('arn:aws:states:us-east-1:000000000000:execution:sample-flow:from-aws-cli');

    const task = await takeTask(sample.client, sample.activityArn);
    await sample.client.send(new SendTaskSuccessCommand({ taskToken: task.taskToken, output: '{"applied":1}' }));
    await waitClosed(sample.client, executionArn);

    const described = await cli('describe-execution', '--execution-arn', executionArn);
    expect(described).toMatchObject({ status: 'SUCCEEDED', name: 'from-aws-cli', stateMachineArn: sample.machineArn });
    expect(JSON.parse(String(described['output']))).toMatchObject({ status: 'SUCCEEDED', applied: { applied: 1 } });
    // AWS CLI v1 prints the wire timestamp as is: epoch seconds, as AWS sends them.
    expect(Math.abs(Number(described['startDate']) - Date.now() / 1000)).toBeLessThan(60);

    const history = (await cli('get-execution-history', '--execution-arn', executionArn))['events'] as Array<{ type: string }>;
    expect(history[0]?.type).toBe('ExecutionStarted');
    expect(history.at(-1)?.type).toBe('ExecutionSucceeded');
    expect(history.map((e) => e.type)).toContain('ActivitySucceeded');
  });
});
