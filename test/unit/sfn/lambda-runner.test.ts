import { describe, expect, it } from 'vitest';
import { LambdaHandlerNotFound } from '../../../local/sfn/errors.js';
import { LambdaRunner } from '../../../local/sfn/lambda-runner.js';
import type { LocalLambdaDef } from '../../../local/sfn/stack-machines.js';
import { TaskFailure } from '../../../local/sfn/task-failure.js';

const runner = new LambdaRunner(process.cwd());

function fn(entry: string, extra: Partial<LocalLambdaDef> = {}): LocalLambdaDef {
  return {
    logicalId: 'ProbeFn',
    functionName: 'ProbeFn',
    arn: 'arn:aws:lambda:us-east-1:000000000000:function:ProbeFn',
    entry: `test/fixtures/sfn/handlers/${entry}`,
    exportName: 'handler',
    timeoutSeconds: 5,
    memoryMb: 256,
    environment: {},
    ...extra,
  };
}

describe('LambdaRunner', () => {
  it('calls the named export with the event and a Lambda context', async () => {
    const result = await runner.invoke(fn('check-item.ts'), { id: 'pool-red' });
    expect(result).toEqual({ id: 'pool-red', ok: true, checkedBy: 'ProbeFn', hasTimeLeft: true });
  });

  it('turns a thrown error into the AWS error name and a {errorType, errorMessage} cause', async () => {
    const failure = await runner.invoke(fn('validate.ts'), { ticket: 'CHG9', reject: true }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(TaskFailure);
    expect((failure as TaskFailure).name).toBe('InvalidTicket');
    expect(JSON.parse((failure as TaskFailure).message)).toEqual({
      errorType: 'InvalidTicket',
      errorMessage: 'ticket CHG9 is not approved; approve it in the ticketing system first',
    });
  });

  it('fails with Sandbox.Timedout when the function outlives its timeout', async () => {
    const failure = runner.invoke(fn('slow.ts', { timeoutSeconds: 0.2 }), { ms: 1000 });
    await expect(failure).rejects.toMatchObject({ name: 'Sandbox.Timedout', message: expect.stringMatching(/Task timed out after 0.20 seconds/) });
  });

  it("sets the function's environment variables before calling it", async () => {
    await runner.invoke(fn('slow.ts', { environment: { CHANGEFLOW_PROBE: 'from-stack' } }), {});
    expect(process.env['CHANGEFLOW_PROBE']).toBe('from-stack');
  });

  it('reports a missing handler module or export by name', async () => {
    expect(() => runner.assertEntryExists(fn('nope.ts'))).toThrow(LambdaHandlerNotFound);
    const failure = runner.invoke(fn('facts.ts', { exportName: 'readNothing' }), {});
    await expect(failure).rejects.toMatchObject({ name: 'LambdaHandlerNotFound', message: expect.stringMatching(/readFabric, readCluster/) });
  });
});
