import { describe, expect, it } from 'vitest';
import { InvalidStackMachine } from '../../../local/sfn/errors.js';
import { evaluateIntrinsics, type IntrinsicScope } from '../../../local/sfn/intrinsics.js';
import { CfnTemplate } from '../../../local/sfn/template.js';

const scope: IntrinsicScope = {
  stackName: 'Demo',
  account: { region: 'eu-west-1', accountId: '111122223333' },
  template: CfnTemplate.parse({
    Resources: {
      PrecheckFn: { Type: 'AWS::Lambda::Function', Properties: { FunctionName: 'ignored-real-name' } },
      AgentActivity: { Type: 'AWS::StepFunctions::Activity', Properties: { Name: 'dc1-agent' } },
      Alerts: { Type: 'AWS::SNS::Topic', Properties: {} },
      Changes: { Type: 'AWS::DynamoDB::Table', Properties: { TableName: 'changeflow' } },
      FlowRole: { Type: 'AWS::IAM::Role', Properties: {} },
    },
  }),
};

describe('evaluateIntrinsics', () => {
  it.each([
    ['Fn::GetAtt of a function', { 'Fn::GetAtt': ['PrecheckFn', 'Arn'] }, 'arn:aws:lambda:eu-west-1:111122223333:function:PrecheckFn'],
    ['Ref of a function (its local name is the logical id)', { Ref: 'PrecheckFn' }, 'PrecheckFn'],
    ['Ref of an activity (its ARN, as on AWS)', { Ref: 'AgentActivity' }, 'arn:aws:states:eu-west-1:111122223333:activity:dc1-agent'],
    ['Ref of a topic (its ARN)', { Ref: 'Alerts' }, 'arn:aws:sns:eu-west-1:111122223333:Alerts'],
    ['Ref of a table (its TableName)', { Ref: 'Changes' }, 'changeflow'],
    ['GetAtt of a table ARN', { 'Fn::GetAtt': 'Changes.Arn' }, 'arn:aws:dynamodb:eu-west-1:111122223333:table/changeflow'],
    ['GetAtt of a role ARN', { 'Fn::GetAtt': ['FlowRole', 'Arn'] }, 'arn:aws:iam::111122223333:role/FlowRole'],
    ['pseudo parameters', { 'Fn::Join': [':', [{ Ref: 'AWS::Partition' }, { Ref: 'AWS::Region' }, { Ref: 'AWS::AccountId' }]] }, 'aws:eu-west-1:111122223333'],
    ['Fn::Sub with resource and attribute references', { 'Fn::Sub': '${AWS::StackName}/${PrecheckFn}/${Changes.Arn}' }, 'Demo/PrecheckFn/arn:aws:dynamodb:eu-west-1:111122223333:table/changeflow'],
    ['Fn::Sub with its own variables', { 'Fn::Sub': ['${X}-${AWS::Region}', { X: { Ref: 'Changes' } }] }, 'changeflow-eu-west-1'],
    ['Fn::Select over Fn::Split', { 'Fn::Select': [1, { 'Fn::Split': ['/', 'a/b/c'] }] }, 'b'],
  ])('resolves %s', (_label, input, expected) => {
    expect(evaluateIntrinsics(input, scope)).toBe(expected);
  });

  it('evaluates intrinsics nested anywhere in a value and drops AWS::NoValue', () => {
    const value = { env: { TABLE: { Ref: 'Changes' }, GONE: { Ref: 'AWS::NoValue' } }, list: [{ Ref: 'PrecheckFn' }, 'x'] };
    expect(evaluateIntrinsics(value, scope)).toEqual({ env: { TABLE: 'changeflow' }, list: ['PrecheckFn', 'x'] });
  });

  it('refuses a reference to a resource outside the stack, naming it', () => {
    expect(() => evaluateIntrinsics({ 'Fn::GetAtt': ['Elsewhere', 'Arn'] }, scope)).toThrow(/Elsewhere.*not in stack Demo/);
  });

  it('refuses intrinsics it cannot evaluate locally instead of passing them through', () => {
    expect(() => evaluateIntrinsics({ 'Fn::ImportValue': 'shared-arn' }, scope)).toThrow(InvalidStackMachine);
  });
});
