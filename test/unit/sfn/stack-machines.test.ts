import { beforeAll, describe, expect, it } from 'vitest';
import { InvalidStateMachineDefinition, MissingTaskImplementation, UnsupportedAslFeature } from '../../../local/sfn/errors.js';
import { loadStackMachines, synthStack, validateDefinition, type LocalMachineDef } from '../../../local/sfn/stack-machines.js';
import { bindTasks } from '../../../local/sfn/task-bindings.js';
import { AslDefinition } from '../../../local/sfn/asl.js';
import { buildSampleStack } from '../../fixtures/sfn/sample-stack.js';

const lambdaArn = 'arn:aws:lambda:us-east-1:000000000000:function:CheckItemFn17CFBCEA';

// Binding needs a well-formed definition, not a validated one (asl-validator costs ~0.5 s a call).
function machineWith(definition: unknown): LocalMachineDef {
  return { ...sample, definition: AslDefinition.parse(definition) };
}
let sample: LocalMachineDef;

beforeAll(() => {
  [sample] = loadStackMachines(synthStack(buildSampleStack)) as [LocalMachineDef];
});

describe('loadStackMachines', () => {
  it('turns the CDK DefinitionString into plain ASL with local ARNs', () => {
    expect(sample.name).toBe('sample-flow');
    expect(sample.arn).toBe('arn:aws:states:us-east-1:000000000000:stateMachine:sample-flow');
    const text = JSON.stringify(sample.definition);
    expect(text).not.toMatch(/Fn::|"Ref"/);
    expect(sample.definition.States['Validate']?.Resource).toBe('arn:aws:states:::lambda:invoke');
    expect(sample.definition.States['Apply']).toMatchObject({
      Resource: 'arn:aws:states:us-east-1:000000000000:activity:sample-apply',
      HeartbeatSeconds: 1,
      TimeoutSeconds: 20,
    });
  });

  it('finds every function with changeflow metadata and the handler module behind it', () => {
    const byId = Object.fromEntries(sample.lambdas.map((l) => [l.logicalId.replace(/[0-9A-F]{8}$/, ''), l]));
    expect(Object.keys(byId).sort()).toEqual(['CheckItemFn', 'ReadClusterFn', 'ReadFabricFn', 'RecordFn', 'RollbackFn', 'SlowFn', 'ValidateFn']);
    expect(byId['ReadFabricFn']).toMatchObject({ entry: 'test/fixtures/sfn/handlers/facts.ts', exportName: 'readFabric', timeoutSeconds: 10 });
    expect(byId['ValidateFn']?.arn).toMatch(/^arn:aws:lambda:us-east-1:000000000000:function:ValidateFn[0-9A-F]{8}$/);
  });

  it('binds every Task, nested Parallel and Map states included, to a local implementation', () => {
    const bindings = bindTasks(sample);
    expect(Object.fromEntries([...bindings].map(([name, b]) => [name, b.kind]))).toEqual({
      Validate: 'lambda-invoke',
      ReadFabric: 'lambda-arn',
      ReadCluster: 'lambda-arn',
      CheckItem: 'lambda-arn',
      Apply: 'activity',
      Rollback: 'lambda-arn',
      PageHuman: 'sns-publish',
      Record: 'lambda-invoke',
    });
  });
});

describe('validateDefinition', () => {
  const task = (extra: Record<string, unknown>) => ({
    StartAt: 'Step',
    States: { Step: { Type: 'Task', Resource: lambdaArn, End: true, ...extra } },
  });

  it.each([
    ['Assign', task({ Assign: { x: 1 } }), /"Step" uses Assign/],
    ['Credentials', task({ Credentials: { RoleArn: 'arn:aws:iam::000000000000:role/x' } }), /"Step" uses Credentials/],
    ['JSONata', { QueryLanguage: 'JSONata', StartAt: 'Step', States: { Step: { Type: 'Pass', End: true } } }, /QueryLanguage JSONata/],
    ['HeartbeatSecondsPath', task({ HeartbeatSecondsPath: '$.hb' }), /"Step" uses HeartbeatSecondsPath/],
  ])('refuses %s, which the interpreter would silently ignore', (_label, definition, message) => {
    expect(() => validateDefinition('probe', definition)).toThrow(UnsupportedAslFeature);
    expect(() => validateDefinition('probe', definition)).toThrow(message);
  });

  it('refuses a Distributed Map nested inside a Parallel branch, naming the Map state', () => {
    const definition = {
      StartAt: 'Fan',
      States: {
        Fan: {
          Type: 'Parallel',
          End: true,
          Branches: [
            {
              StartAt: 'Big',
              States: {
                Big: {
                  Type: 'Map',
                  End: true,
                  ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'P', States: { P: { Type: 'Pass', End: true } } },
                },
              },
            },
          ],
        },
      },
    };
    expect(() => validateDefinition('probe', definition)).toThrow(/"Big" uses Distributed Map/);
  });

  it('refuses a definition asl-validator rejects', () => {
    expect(() => validateDefinition('probe', { StartAt: 'Nowhere', States: {} })).toThrow(InvalidStateMachineDefinition);
  });

  it('leaves the definition it validates untouched', () => {
    const definition = task({});
    validateDefinition('probe', definition);
    expect(definition.States.Step).not.toHaveProperty('QueryLanguage');
  });
});

describe('bindTasks', () => {
  it('refuses a machine whose Tasks have no local implementation, listing every such state', () => {
    const machine = machineWith({
      StartAt: 'A',
      States: {
        A: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:000000000000:function:Unknown', Next: 'B' },
        B: { Type: 'Task', Resource: 'arn:aws:states:::ecs:runTask.sync', Next: 'C' },
        C: { Type: 'Task', Resource: 'arn:aws:states:us-east-1:000000000000:activity:other-site', End: true },
      },
    });
    try {
      bindTasks(machine);
      expect.unreachable('bindTasks accepted Tasks without implementation');
    } catch (error) {
      expect(error).toBeInstanceOf(MissingTaskImplementation);
      expect((error as MissingTaskImplementation).states.map((s) => s.state)).toEqual(['A', 'B', 'C']);
      expect((error as Error).message).toMatch(/"A".*changeflow:entry/);
    }
  });

  it('needs a DynamoDB endpoint before it accepts dynamodb integrations', () => {
    const machine = machineWith({
      StartAt: 'Put',
      States: { Put: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:putItem', Parameters: { TableName: 't', Item: {} }, End: true } },
    });
    expect(() => bindTasks(machine)).toThrow(/dynamodbEndpoint/);
    expect(bindTasks(machine, { dynamodbEndpoint: 'http://127.0.0.1:1' }).get('Put')).toMatchObject({ kind: 'dynamodb', action: 'putItem' });
  });

  it('resolves lambda:invoke FunctionName given as name, ARN or qualified ARN', () => {
    for (const FunctionName of ['CheckItemFn17CFBCEA', lambdaArn, `${lambdaArn}:$LATEST`]) {
      const machine = machineWith({
        StartAt: 'Go',
        States: { Go: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName, 'Payload.$': '$' }, End: true } },
      });
      expect(bindTasks(machine).get('Go')?.kind).toBe('lambda-invoke');
    }
  });

  it('binds lambda:invoke and sns:publish .waitForTaskToken as callbacks and refuses callbacks nobody can answer', () => {
    const callback = (Resource: string, Parameters: Record<string, unknown>) => machineWith({ StartAt: 'Wait', States: { Wait: { Type: 'Task', Resource, Parameters, End: true } } });
    const token = { 'token.$': '$$.Task.Token' };
    expect(bindTasks(callback('arn:aws:states:::lambda:invoke.waitForTaskToken', { FunctionName: lambdaArn, Payload: token })).get('Wait')).toMatchObject({ kind: 'lambda-invoke', callback: true });
    expect(bindTasks(callback('arn:aws:states:::sns:publish.waitForTaskToken', { TopicArn: 't', Message: token })).get('Wait')).toMatchObject({ kind: 'sns-publish', callback: true });
    const refusals: Array<[string, Record<string, unknown>, RegExp]> = [
      ['arn:aws:states:::lambda:invoke.waitForTaskToken', { FunctionName: lambdaArn, 'Payload.$': '$' }, /must pass \$\$\.Task\.Token/],
      ['arn:aws:states:::lambda:invoke', { FunctionName: lambdaArn, Payload: token }, /only in \.waitForTaskToken tasks/],
      ['arn:aws:states:::dynamodb:putItem.waitForTaskToken', { TableName: 't', Item: token }, /dynamodb:putItem\.waitForTaskToken is not supported/],
      ['arn:aws:states:::lambda:invoke.sync', { FunctionName: lambdaArn }, /pattern \.sync is not supported/],
    ];
    for (const [resource, parameters, reason] of refusals) {
      expect(() => bindTasks(callback(resource, parameters), { dynamodbEndpoint: 'http://127.0.0.1:1' }), resource).toThrow(reason);
    }
  });
});
