import { Match, Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiRoutes } from '../../../cdk/api-routes.js';
import { apiThrottle } from '../../../cdk/change-api.js';
import { activityName, pageLinkReservedConcurrency, stateMachineName, webhookReservedConcurrency } from '../../../cdk/changeflow-stack.js';
import { handlerBundling } from '../../../cdk/handler-bundling.js';
import { apiHandlers, entryMetadataKey, type ApiHandler } from '../../../cdk/handler-modules.js';
import { tableDefinition } from '../../../shared/store/table.js';
import { lambdaSteps } from '../../../workflows/lambda-steps.js';
import { buildChangeflowStack, ofType, removeSynthOutputs, resourcesOf, sites } from './changeflow-template.js';

afterAll(removeSynthOutputs);

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
  Principal?: unknown;
  Sid?: string;
}

let template: Template;

beforeAll(() => {
  template = Template.fromStack(buildChangeflowStack());
});

const actionsOf = (s: Statement): string[] => (Array.isArray(s.Action) ? s.Action : [s.Action]);
const resourcesIn = (s: Statement): unknown[] => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]);

/** Every Allow statement of the policies attached to a role, by the role's logical id. */
function statementsOfRole(roleId: string): Statement[] {
  return ofType(template, 'AWS::IAM::Policy')
    .filter(([, p]) => JSON.stringify(p.Properties?.['Roles']).includes(`"Ref":"${roleId}"`))
    .flatMap(([, p]) => (p.Properties?.['PolicyDocument'] as { Statement: Statement[] }).Statement);
}

/** Functions by the handler module in their `changeflow:entry` metadata. */
function functionsByEntry(): Map<string, { id: string; roleId: string }> {
  return new Map(
    ofType(template, 'AWS::Lambda::Function').map(([id, fn]) => {
      const role = fn.Properties?.['Role'] as { 'Fn::GetAtt': [string, string] };
      return [String(fn.Metadata?.[entryMetadataKey]), { id, roleId: role['Fn::GetAtt'][0] }];
    }),
  );
}

function statementsOfHandler(handler: ApiHandler): Statement[] {
  const fn = functionsByEntry().get(apiHandlers[handler]);
  if (!fn) throw new Error(`no function has ${entryMetadataKey} ${apiHandlers[handler]}`);
  return statementsOfRole(fn.roleId);
}

const tableWrites = /^dynamodb:(PutItem|UpdateItem|DeleteItem|BatchWriteItem|PartiQL(Insert|Update|Delete)|\*)$/;

describe('ChangeflowStack template', () => {
  it('has the one table keyed pk/sk with the four GSIs of shared/store/table.ts and point-in-time recovery', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      GlobalSecondaryIndexes: Object.values(tableDefinition.indexes).map((index) => ({
        IndexName: index.name,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: 'HASH' },
          { AttributeName: index.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      })),
    });
    expect(Object.keys(tableDefinition.indexes).sort()).toEqual(['byCluster', 'byDay', 'byFabric', 'byTicket']);
  });

  it('builds one function per handler module, each on nodejs22.x or newer, bundled for its runtime, tagged with its entry', () => {
    const functions = ofType(template, 'AWS::Lambda::Function');
    const entries = functions.map(([, fn]) => fn.Metadata?.[entryMetadataKey]);
    expect(entries.sort()).toEqual([...Object.values(lambdaSteps), ...Object.values(apiHandlers)].sort());
    for (const [id, fn] of functions) {
      const runtime = String(fn.Properties?.['Runtime']);
      const major = Number(/^nodejs(\d+)\.x$/.exec(runtime)?.[1]);
      expect(major, `${id} runs on ${runtime}`).toBeGreaterThanOrEqual(22);
      expect(handlerBundling.target, `${id}: esbuild target vs runtime ${runtime}`).toBe(`node${major}`);
      expect(fn.Properties?.['TracingConfig']).toEqual({ Mode: 'Active' });
    }
  });

  it('declares one activity per configured site', () => {
    const activities = ofType(template, 'AWS::StepFunctions::Activity').map(([, a]) => a.Properties?.['Name']);
    expect(activities.sort()).toEqual(sites.map(activityName));
  });

  it('runs the workflow as a STANDARD state machine with ALL logging and tracing, polling both activities', () => {
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 1);
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineName: stateMachineName,
      StateMachineType: 'STANDARD',
      LoggingConfiguration: { Level: 'ALL', Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: Match.anyValue() } }] },
      TracingConfiguration: { Enabled: true },
    });
    const [[, machine] = ['', { Type: '' }]] = ofType(template, 'AWS::StepFunctions::StateMachine');
    const definition = JSON.stringify(machine.Properties?.['DefinitionString']);
    for (const [id] of ofType(template, 'AWS::StepFunctions::Activity')) expect(definition).toContain(`{"Ref":"${id}"}`);
  });

  it('routes every API path to its handler: webhooks without an authorizer, manual start and audit queries behind IAM', () => {
    const resources = resourcesOf(template);
    const routes = ofType(template, 'AWS::ApiGatewayV2::Route').map(([, r]) => {
      const target = JSON.stringify(r.Properties?.['Target']);
      const integrationId = /"Ref":"([^"]+)"/.exec(target)?.[1] ?? '';
      const uri = resources[integrationId]?.Properties?.['IntegrationUri'] as { 'Fn::GetAtt': [string, string] };
      const fn = resources[uri['Fn::GetAtt'][0]];
      return { key: r.Properties?.['RouteKey'], auth: r.Properties?.['AuthorizationType'], entry: fn?.Metadata?.[entryMetadataKey] };
    });
    expect(routes.sort((a, b) => String(a.key).localeCompare(String(b.key)))).toEqual(
      apiRoutes
        .map((r) => ({ key: `${r.method} ${r.path}`, auth: r.auth === 'iam' ? 'AWS_IAM' : 'NONE', entry: apiHandlers[r.handler] }))
        .sort((a, b) => a.key.localeCompare(b.key)),
    );
    const authOf = new Map(routes.map((r) => [r.key, r.auth]));
    expect(authOf.get('POST /webhooks/servicenow')).toBe('NONE');
    expect(authOf.get('POST /webhooks/jira')).toBe('NONE');
    expect(authOf.get('POST /changes')).toBe('AWS_IAM');
    const gets = routes.filter((r) => String(r.key).startsWith('GET '));
    expect(gets.map((r) => r.key).sort()).toEqual(['GET /', 'GET /changes', 'GET /changes/{id}', 'GET /changes/{id}/events', 'GET /changes/{id}/verify', 'GET /freezes', 'GET /links/changes/{id}']);
    // Change control (freezes, approve, abort) is for operators: behind IAM like the audit queries.
    for (const key of ['POST /freezes', 'DELETE /freezes/{id}', 'POST /changes/{id}/approve', 'POST /changes/{id}/abort']) expect(authOf.get(key), key).toBe('AWS_IAM');
    // One GET opens without IAM: a ticket note's signed page link, checked by its handler (item 11).
    expect(gets.filter((r) => r.auth !== 'AWS_IAM').map((r) => r.key)).toEqual(['GET /links/changes/{id}']);
    expect(routes.filter((r) => r.auth === 'NONE').map((r) => r.key).sort()).toEqual(['GET /links/changes/{id}', 'POST /webhooks/jira', 'POST /webhooks/jira/control', 'POST /webhooks/servicenow', 'POST /webhooks/servicenow/control']);
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', { StageName: '$default', AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('requestId') } });
  });

  it('throttles the API stage and reserves the webhook function\'s concurrency', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', { StageName: '$default', DefaultRouteSettings: { ThrottlingRateLimit: apiThrottle.ratePerSecond, ThrottlingBurstLimit: apiThrottle.burst } });
    const webhook = functionsByEntry().get(apiHandlers.ticketWebhook);
    expect(webhook).toBeDefined();
    expect(resourcesOf(template)[webhook!.id]?.Properties?.['ReservedConcurrentExecutions']).toBe(webhookReservedConcurrency);
  });

  it('pages through the SNS topic on failed and timed-out executions', () => {
    const [[topicId] = ['']] = ofType(template, 'AWS::SNS::Topic');
    const [[machineId] = ['']] = ofType(template, 'AWS::StepFunctions::StateMachine');
    for (const metric of ['ExecutionsFailed', 'ExecutionsTimedOut']) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/States',
        MetricName: metric,
        Dimensions: [{ Name: 'StateMachineArn', Value: { Ref: machineId } }],
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        Threshold: 1,
        AlarmActions: [{ Ref: topicId }],
      });
    }
  });
});

describe('ChangeflowStack IAM', () => {
  it('lets the audit-query handlers read the table but never write it or start executions', () => {
    for (const handler of ['listChanges', 'getChange', 'pageLink', 'getChangeEvents', 'verifyChange'] as const) {
      const actions = statementsOfHandler(handler).flatMap(actionsOf);
      expect(actions, handler).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:Query']));
      // The timeline page only reads an execution's ASL and history (its workflow graph).
      const reads = handler === 'getChange' || handler === 'pageLink' ? ['states:DescribeStateMachineForExecution', 'states:GetExecutionHistory'] : [];
      expect(actions.filter((a) => tableWrites.test(a) || (a.startsWith('states:') && !reads.includes(a))), handler).toEqual([]);
    }
  });

  it('lets only ticketWebhook, startChange and startDrift (the drift checks) start executions, of the change workflow only', () => {
    const [[machineId] = ['']] = ofType(template, 'AWS::StepFunctions::StateMachine');
    const starters = ofType(template, 'AWS::IAM::Policy').flatMap(([, p]) => {
      const roles = (p.Properties?.['Roles'] as Array<{ Ref: string }>).map((r) => r.Ref);
      const statements = (p.Properties?.['PolicyDocument'] as { Statement: Statement[] }).Statement;
      return statements.filter((s) => actionsOf(s).some((a) => a === 'states:StartExecution')).map((s) => ({ roles, s }));
    });
    const roleOf = functionsByEntry();
    const expected = (['ticketWebhook', 'startChange', 'startDrift'] as const).map((h) => roleOf.get(apiHandlers[h])?.roleId);
    expect(starters.flatMap((x) => x.roles).sort()).toEqual(expected.sort());
    for (const { s } of starters) expect(s.Resource).toEqual({ Ref: machineId });
  });

  it('grants no wildcard action, no AWS managed policy, and Resource * only where the service allows nothing narrower', () => {
    const statements = ofType(template, 'AWS::IAM::Policy').flatMap(([, p]) => (p.Properties?.['PolicyDocument'] as { Statement: Statement[] }).Statement);
    expect(statements.length).toBeGreaterThan(16);
    expect(statements.flatMap(actionsOf).filter((a) => a === '*' || a.endsWith(':*'))).toEqual([]);
    const starActions = statements.filter((s) => resourcesIn(s).includes('*')).flatMap(actionsOf);
    expect(starActions.filter((a) => !/^xray:|^logs:(Create|Get|Update|Delete|List)LogDelivery|^logs:ListLogDeliveries$|^logs:(PutResourcePolicy|DescribeResourcePolicies|DescribeLogGroups)$/.test(a))).toEqual([]);
    for (const [id, role] of ofType(template, 'AWS::IAM::Role')) expect(role.Properties?.['ManagedPolicyArns'], id).toBeUndefined();
    // GSIs by name: a grant on index/* would also cover any index added later.
    expect(JSON.stringify(statements)).not.toContain('/index/*');
  });
});

describe('ChangeflowStack page links (signed, expiring, read-only links in ticket notes)', () => {
  const noteWriters = ['validateRequest', 'recheckTicket', 'notify', 'recordStep', 'recordOutcome', 'precheck', 'plan', 'requestApproval'] as const;
  const roleIdOfStep = (step: (typeof noteWriters)[number]) => functionsByEntry().get(lambdaSteps[step])?.roleId;
  const rolesWith = (action: string) =>
    ofType(template, 'AWS::IAM::Policy')
      .filter(([, p]) => (p.Properties?.['PolicyDocument'] as { Statement: Statement[] }).Statement.some((st) => st.Effect === 'Allow' && actionsOf(st).includes(action)))
      .flatMap(([, p]) => (p.Properties?.['Roles'] as Array<{ Ref: string }>).map((r) => r.Ref))
      .sort();

  it('signs links with a KMS HMAC key: the note writers may only GenerateMac, the page function may only VerifyMac, nobody else either', () => {
    const keys = ofType(template, 'AWS::KMS::Key').filter(([, k]) => String(k.Properties?.['Description']).includes('page links'));
    expect(keys).toHaveLength(1);
    const [[keyId, key] = ['', {}]] = keys;
    expect(key.Properties).toMatchObject({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' });
    const writers = noteWriters.map(roleIdOfStep).sort();
    const page = functionsByEntry().get(apiHandlers.pageLink)?.roleId;
    expect(rolesWith('kms:GenerateMac')).toEqual(writers);
    expect(rolesWith('kms:VerifyMac')).toEqual([page]);
    const statements = (key.Properties?.['KeyPolicy'] as { Statement: Statement[] }).Statement;
    const deny = statements.find((st) => st.Sid === 'OnlyNoteWritersMintLinks');
    expect(deny).toMatchObject({ Effect: 'Deny', Action: 'kms:GenerateMac', Principal: { AWS: '*' } });
    const allowed = (deny?.Condition?.['ArnNotEquals']?.['aws:PrincipalArn'] as Array<{ 'Fn::GetAtt': [string, string] }>).map((r) => r['Fn::GetAtt'][0]).sort();
    expect(allowed).toEqual(writers);
    const admin = statements.find((st) => st.Sid === 'AccountAdministersTheKeyButCannotSign');
    expect(admin ? actionsOf(admin) : ['missing']).not.toContain('kms:GenerateMac');
    // Both sides find the key in their environment; the page function's concurrency is capped.
    const fns = resourcesOf(template);
    for (const id of [...noteWriters.map((s) => functionsByEntry().get(lambdaSteps[s])?.id), functionsByEntry().get(apiHandlers.pageLink)?.id]) {
      const env = (fns[id ?? '']?.Properties?.['Environment'] as { Variables: Record<string, unknown> }).Variables;
      expect(env['CHANGEFLOW_PAGE_LINK_KMS_KEY_ID'], id).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
    }
    expect(fns[functionsByEntry().get(apiHandlers.pageLink)?.id ?? '']?.Properties?.['ReservedConcurrentExecutions']).toBe(pageLinkReservedConcurrency);
  });
});

describe('ChangeflowStack audit anchor and least privilege on the audit trail', () => {
  // The workflow steps and the change-control routes (approvals, aborts, the freeze calendar) append.
  const appenderEntries = () => [...Object.values(lambdaSteps), ...(['approveChange', 'abortChange', 'ticketControl', 'addFreeze', 'removeFreeze'] as const).map((h) => apiHandlers[h])];
  const stepRoleIds = () => appenderEntries().map((entry) => functionsByEntry().get(entry)?.roleId).sort();
  const handlerRoleId = (handler: ApiHandler) => functionsByEntry().get(apiHandlers[handler])?.roleId;

  it('keeps digests in a bucket with Object Lock in COMPLIANCE mode, versioned, private, access-logged', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockEnabled: true,
      ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 2557 } } },
      VersioningConfiguration: { Status: 'Enabled' },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      LoggingConfiguration: Match.objectLike({ LogFilePrefix: 'digests/' }),
    });
  });

  it('lets no one put a digest unconditionally or delete one (no delete markers hiding a head)', () => {
    const statements = ofType(template, 'AWS::S3::BucketPolicy').flatMap(([, p]) => (p.Properties?.['PolicyDocument'] as { Statement: Statement[] }).Statement);
    const once = statements.find((st) => st.Sid === 'DigestsAreWrittenOnce');
    expect(once).toMatchObject({ Effect: 'Deny', Principal: { AWS: '*' }, Action: 's3:PutObject', Condition: { Null: { 's3:if-none-match': 'true' } } });
    const never = statements.find((st) => st.Sid === 'DigestsAreNeverDeleted');
    expect(never?.Effect).toBe('Deny');
    expect(never ? actionsOf(never) : []).toEqual(expect.arrayContaining(['s3:DeleteObject', 's3:DeleteObjectVersion', 's3:PutLifecycleConfiguration']));
  });

  it('signs digests with an asymmetric KMS key only the appenders (workflow steps, change-control routes) may use for kms:Sign', () => {
    const keys = ofType(template, 'AWS::KMS::Key').filter(([, k]) => String(k.Properties?.['Description']).includes('audit anchor'));
    expect(keys).toHaveLength(1);
    const [[, key] = ['', {}]] = keys;
    expect(key.Properties).toMatchObject({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
    const statements = (key.Properties?.['KeyPolicy'] as { Statement: Statement[] }).Statement;
    const admin = statements.find((st) => st.Sid === 'AccountAdministersTheKeyButCannotSign');
    expect(admin ? actionsOf(admin) : ['missing']).not.toContain('kms:Sign');
    const deny = statements.find((st) => st.Sid === 'NobodyElseSigns');
    expect(deny).toMatchObject({ Effect: 'Deny', Action: 'kms:Sign', Principal: { AWS: '*' } });
    const allowed = (deny?.Condition?.['ArnNotEquals']?.['aws:PrincipalArn'] as Array<{ 'Fn::GetAtt': [string, string] }>).map((r) => r['Fn::GetAtt'][0]).sort();
    expect(allowed).toEqual(stepRoleIds());
  });

  it('lets only the appenders (workflow steps, change-control routes) put digests and sign; the verifying query functions only read them', () => {
    const rolesWith = (action: string) =>
      ofType(template, 'AWS::IAM::Policy')
        .filter(([, p]) => (p.Properties?.['PolicyDocument'] as { Statement: Statement[] }).Statement.some((st) => st.Effect === 'Allow' && actionsOf(st).includes(action)))
        .flatMap(([, p]) => (p.Properties?.['Roles'] as Array<{ Ref: string }>).map((r) => r.Ref))
        .sort();
    expect(rolesWith('s3:PutObject')).toEqual(stepRoleIds());
    expect(rolesWith('kms:Sign')).toEqual(stepRoleIds());
    expect(rolesWith('s3:GetObject')).toEqual([...stepRoleIds(), handlerRoleId('getChange'), handlerRoleId('pageLink'), handlerRoleId('verifyChange')].sort());
  });

  it('confines intake (ticketWebhook, startChange) to delivery items: no delete, no change record, no audit event', () => {
    for (const handler of ['ticketWebhook', 'startChange'] as const) {
      const writes = statementsOfHandler(handler).filter((st) => actionsOf(st).some((a) => tableWrites.test(a)));
      expect(writes.flatMap(actionsOf).sort(), handler).toEqual(['dynamodb:PutItem', 'dynamodb:UpdateItem']);
      for (const st of writes) expect(st.Condition, handler).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['DELIVERY#*'] } });
      expect(statementsOfHandler(handler).flatMap(actionsOf).filter((a) => /^s3:|^kms:Sign/.test(a)), handler).toEqual([]);
    }
  });

  it('lets each site\'s bastion agent take its own Activity\'s tasks and put only PROGRESS# and RESULT# items (agent results by reference, issue 20)', () => {
    const policies = ofType(template, 'AWS::IAM::ManagedPolicy');
    expect(policies).toHaveLength(sites.length);
    for (const site of sites) {
      const found = policies.filter(([, p]) => String(p.Properties?.['Description']).includes(`site ${site}:`));
      expect(found, site).toHaveLength(1);
      const statements = (found[0]?.[1].Properties?.['PolicyDocument'] as { Statement: Statement[] }).Statement;
      expect(statements.every((st) => st.Effect === 'Allow'), site).toBe(true);
      const states = statements.filter((st) => actionsOf(st).some((a) => a.startsWith('states:')));
      expect(states.flatMap(actionsOf).sort()).toEqual(['states:GetActivityTask', 'states:SendTaskFailure', 'states:SendTaskHeartbeat', 'states:SendTaskSuccess']);
      const activityIds = Object.keys(template.findResources('AWS::StepFunctions::Activity', { Properties: { Name: activityName(site) } }));
      expect(states.flatMap(resourcesIn)).toEqual([{ Ref: activityIds[0] }]);
      const table = statements.filter((st) => actionsOf(st).some((a) => a.startsWith('dynamodb:')));
      expect(table.flatMap(actionsOf)).toEqual(['dynamodb:PutItem']);
      expect(table.map((st) => st.Condition)).toEqual([{ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['PROGRESS#*', 'RESULT#*'] } }]);
      expect(JSON.stringify(table.flatMap(resourcesIn))).not.toContain('/index/');
      expect(statements.flatMap(actionsOf).filter((a) => !a.startsWith('states:') && !a.startsWith('dynamodb:'))).toEqual([]);
    }
  });
});
