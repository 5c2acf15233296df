import { Match, Template } from 'aws-cdk-lib/assertions';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activityName } from '../../../cdk/changeflow-stack.js';
import { buildChangeflowStack, removeSynthOutputs, sites } from './changeflow-template.js';

// Issue 18: after `cdk deploy` the stack's outputs give an operator what the CLI, the console and
// each bastion agent need: the API URL, the state machine, one Activity ARN per site, the alerts topic.

let template: Template;

beforeAll(() => {
  template = Template.fromStack(buildChangeflowStack());
});

afterAll(() => {
  removeSynthOutputs();
});

function onlyLogicalId(type: string, properties: Record<string, unknown> = {}): string {
  const ids = Object.keys(template.findResources(type, { Properties: properties }));
  expect(ids, `${type} ${JSON.stringify(properties)}`).toHaveLength(1);
  return ids[0] ?? '';
}

describe('ChangeflowStack outputs', () => {
  it('gives the HTTP API URL for `changeflow … --api`', () => {
    // HttpApi.apiEndpoint: https://<api-id>.execute-api.<region>.amazonaws.com
    template.hasOutput('ApiUrl', { Value: { 'Fn::GetAtt': [onlyLogicalId('AWS::ApiGatewayV2::Api'), 'ApiEndpoint'] } });
  });

  it('gives the state machine ARN', () => {
    template.hasOutput('StateMachineArn', { Value: { Ref: onlyLogicalId('AWS::StepFunctions::StateMachine') } });
  });

  it.each(sites.map((site) => [site, `ActivityArn${site.charAt(0).toUpperCase()}${site.slice(1)}`]))('gives the Activity ARN of site %s as %s', (site, name) => {
    template.hasOutput(name, { Value: { Ref: onlyLogicalId('AWS::StepFunctions::Activity', { Name: activityName(site) }) } });
  });

  it.each(sites.map((site) => [site, `AgentPolicyArn${site.charAt(0).toUpperCase()}${site.slice(1)}`]))('gives the bastion agent policy of site %s as %s', (site, name) => {
    const ids = Object.keys(template.findResources('AWS::IAM::ManagedPolicy', { Properties: { Description: Match.stringLikeRegexp(`site ${site}:`) } }));
    expect(ids).toHaveLength(1);
    template.hasOutput(name, { Value: { Ref: ids[0] } });
  });

  it('gives the alerts topic ARN', () => {
    template.hasOutput('AlertsTopicArn', { Value: { Ref: onlyLogicalId('AWS::SNS::Topic') } });
  });

  it('exports nothing: no other stack can pin these values', () => {
    const outputs = Object.values(template.toJSON()['Outputs'] as Record<string, { Export?: unknown }>);
    expect(outputs.length).toBeGreaterThanOrEqual(4 + sites.length);
    expect(outputs.filter((o) => o.Export !== undefined)).toEqual([]);
  });

  it('are each named in the runbook, where an operator looks for them after cdk deploy (issue 19 item 14)', () => {
    const runbook = readFileSync('docs/runbook.md', 'utf8');
    const names = Object.keys(template.toJSON()['Outputs'] as Record<string, unknown>);
    // One ActivityArn<Site> per site: the runbook names the pattern and an example.
    const unnamed = names.filter((name) => !runbook.includes(`\`${name.startsWith('ActivityArn') ? 'ActivityArn<Site>' : name.startsWith('AgentPolicyArn') ? 'AgentPolicyArn<Site>' : name}\``));
    expect(names.length).toBeGreaterThanOrEqual(4 + sites.length);
    expect(unnamed).toEqual([]);
    expect(runbook).toContain('`ActivityArn<Site>` (e.g. `ActivityArnDc1`)');
    expect(runbook).toContain('`AgentPolicyArn<Site>` (e.g. `AgentPolicyArnDc1`)');
  });
});
