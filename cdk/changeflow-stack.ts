import { ArnFormat, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventTargets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secrets from 'aws-cdk-lib/aws-secretsmanager';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { buildChangeWorkflow } from '../workflows/change-workflow.js';
import { lambdaSteps, type LambdaStep } from '../workflows/lambda-steps.js';
import { awsTiming, type WorkflowTiming } from '../workflows/timing.js';
import { ChangeAlarms } from './alarms.js';
import { AlertsTopic } from './alerts-topic.js';
import { AuditAnchor } from './audit-anchor.js';
import { ChangeApi } from './change-api.js';
import { StackOutputs } from './stack-outputs.js';
import { AgentPolicy } from './agent-policy.js';
import { ChangeTable } from './change-table.js';
import { HandlerFunction } from './handler-function.js';
import { apiHandlers, type ApiHandler } from './handler-modules.js';
import { PlanSigningKey } from './plan-signing-key.js';
import { PageLinkKey } from './page-link-key.js';

export interface ChangeflowStackProps extends StackProps {
  /** Sites with a bastion agent; one Activity each. */
  readonly sites: readonly string[];
  readonly repoRoot: string;
  readonly timing?: WorkflowTiming;
  readonly tableName?: string;
  /** Extra environment for every function (the embedded default passes endpoints here). */
  readonly environment?: Readonly<Record<string, string>>;
  /** How often the scheduled drift check runs over every target (default: hourly). */
  readonly driftEvery?: Duration;
}

export const stateMachineName = 'changeflow-change';
/** Concurrent webhook invocations: 200 req/s at ~25 ms each needs ~5; the rest is headroom. */
export const webhookReservedConcurrency = 20;

/** Concurrent page-link invocations: people opening a link from a ticket, not a flood. */
export const pageLinkReservedConcurrency = 5;

export const activityName = (site: string): string => `changeflow-agent-${site}`;

function activityOf(activities: Readonly<Record<string, sfn.Activity>>, site: string): sfn.Activity {
  const activity = activities[site];
  if (!activity) throw new Error(`site ${site} has no activity`);
  return activity;
}

function roleOf(fn: lambda.IFunction): iam.IRole {
  if (!fn.role) throw new Error(`function ${fn.node.path} has no role`);
  return fn.role;
}

export class ChangeflowStack extends Stack {
  readonly stateMachine: sfn.StateMachine;
  readonly activities: Readonly<Record<string, sfn.Activity>>;

  constructor(scope: Construct, id: string, props: ChangeflowStackProps) {
    super(scope, id, props);
    const timing = props.timing ?? awsTiming;
    const changes = new ChangeTable(this, 'Changes', { tableName: props.tableName });
    const { table } = changes;

    // Webhook secret and ticketing credentials: never in the template, never in task input.
    const integrations = new secrets.Secret(this, 'Integrations', {
      secretName: 'changeflow/integrations',
      description: 'webhookSecret, servicenow {url, username, password, timeZone}, jira {url, email, token, approvedStatus}',
    });

    const alerts = new AlertsTopic(this, 'Alerts').topic;

    const activities: Record<string, sfn.Activity> = {};
    for (const site of props.sites) activities[site] = new sfn.Activity(this, `Agent-${site}`, { activityName: activityName(site) });
    this.activities = activities;
    // Each site's bastion agent: attach this policy to its principal (docs/runbook.md §1).
    const agentPolicies: Record<string, iam.ManagedPolicy> = {};
    for (const site of props.sites) agentPolicies[site] = new AgentPolicy(this, `AgentPolicy-${site}`, { site, activity: activityOf(activities, site), table: changes }).policy;

    const environment = {
      TABLE_NAME: table.tableName,
      CHANGEFLOW_SITES: props.sites.join(','),
      CHANGEFLOW_AGENT_TIMING: JSON.stringify(timing.agent),
      CHANGEFLOW_SECRET_ARN: integrations.secretArn,
      // Signatures never outlive the execution they were made for.
      CHANGEFLOW_PLAN_TTL_SECONDS: String(timing.executionTimeoutSeconds),
      CHANGEFLOW_LOCK_WAIT_SECONDS: String(timing.lockWait.maxWaitSeconds),
      ...props.environment,
    };
    const make = (key: string, entry: string, timeout?: Duration) =>
      new HandlerFunction(this, key, { entry, repoRoot: props.repoRoot, environment, timeout }).fn;

    const stepFns = {} as Record<LambdaStep, ReturnType<typeof make>>;
    for (const [key, entry] of Object.entries(lambdaSteps) as Array<[LambdaStep, string]>) {
      stepFns[key] = make(`Step-${key}`, entry, Duration.seconds(60));
      changes.grantReadWrite(stepFns[key]);
    }
    const noteWriters = ['validateRequest', 'recheckTicket', 'notify', 'recordStep', 'recordOutcome', 'precheck', 'plan', 'requestApproval'] as const;
    for (const key of noteWriters) integrations.grantRead(stepFns[key]);
    // Only the plan function knows the signing key, and only its role may sign with it.
    const planRole = stepFns.plan.role;
    if (!planRole) throw new Error('the plan function has no role');
    const planKey = new PlanSigningKey(this, 'PlanSigning', { signer: planRole });
    stepFns.plan.addEnvironment('CHANGEFLOW_PLAN_KMS_KEY_ID', planKey.key.keyArn);

    // The steps that hand a lease to a queued change answer its task token. The ARN is built from
    // the fixed name, not taken from the state machine, which itself depends on these functions.
    const stateMachineArn = this.formatArn({ service: 'states', resource: 'stateMachine', resourceName: stateMachineName, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    for (const key of ['acquireLocks', 'waitForLock', 'releaseLocks'] as const) {
      stepFns[key].addToRolePolicy(new iam.PolicyStatement({ actions: ['states:SendTaskSuccess'], resources: [stateMachineArn] }));
    }

    const definition = buildChangeWorkflow(this, { functions: stepFns, activities, alertTopic: alerts, timing });
    const workflowLogs = new logs.LogGroup(this, 'WorkflowLogs', { retention: logs.RetentionDays.ONE_YEAR, removalPolicy: RemovalPolicy.RETAIN });
    this.stateMachine = new sfn.StateMachine(this, 'ChangeWorkflow', {
      stateMachineName,
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromChainable(definition),
      timeout: Duration.seconds(timing.executionTimeoutSeconds),
      tracingEnabled: true,
      logs: { destination: workflowLogs, level: sfn.LogLevel.ALL, includeExecutionData: false },
    });

    // Executions are named per change, so only the state machine part of their ARN is fixed.
    const executionArns = this.formatArn({ service: 'states', resource: 'execution', resourceName: `${stateMachineName}:*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    const apiFns = {} as Record<ApiHandler, ReturnType<typeof make>>;
    for (const [key, entry] of Object.entries(apiHandlers) as Array<[ApiHandler, string]>) apiFns[key] = make(`Api-${key}`, entry);
    for (const key of ['ticketWebhook', 'startChange', 'startDrift'] as const) {
      // Intake writes only its delivery items: never a change record or an audit event.
      if (key !== 'startDrift') changes.grantDeliveryWrites(apiFns[key]);
      this.stateMachine.grantStartExecution(apiFns[key]);
      // A retried delivery checks whether its execution exists before starting it again.
      apiFns[key].addToRolePolicy(new iam.PolicyStatement({ actions: ['states:DescribeExecution'], resources: [executionArns] }));
      apiFns[key].addEnvironment('STATE_MACHINE_ARN', this.stateMachine.stateMachineArn);
    }
    // The timeline page draws the workflow from the execution's ASL and history, as the console does.
    apiFns.getChange.addToRolePolicy(new iam.PolicyStatement({ actions: ['states:DescribeStateMachineForExecution', 'states:GetExecutionHistory'], resources: [executionArns] }));
    integrations.grantRead(apiFns.ticketWebhook);
    integrations.grantRead(apiFns.ticketControl);
    // Unauthenticated callers reach this function: reserve its concurrency so a flood of them can
    // neither exhaust the account's pool (starving the workflow's steps) nor scale without bound.
    (apiFns.ticketWebhook.node.defaultChild as lambda.CfnFunction).reservedConcurrentExecutions = webhookReservedConcurrency;
    for (const key of ['listChanges', 'getChange', 'getChangeEvents', 'verifyChange', 'listFreezes', 'startDrift'] as const) changes.grantRead(apiFns[key]);
    // The scheduled drift check (docs/architecture.md §3.7): one plan-only drift change per target with
    // changes in force, started by the same function as POST /drift; it reads and plans, never applies.
    new events.Rule(this, 'DriftSchedule', {
      description: 'changeflow: compare every target with the changes in force (drift check)',
      schedule: events.Schedule.rate(props.driftEvery ?? Duration.hours(1)),
      targets: [new eventTargets.LambdaFunction(apiFns.startDrift, { retryAttempts: 2 })],
    });
    // The freeze calendar: its items and its audit chain, both in the table.
    for (const key of ['addFreeze', 'removeFreeze'] as const) changes.grantReadWrite(apiFns[key]);
    // Approve and abort record what was asked, then wake the workflow's approval wait.
    for (const key of ['approveChange', 'abortChange', 'ticketControl'] as const) {
      changes.grantReadWrite(apiFns[key]);
      this.stateMachine.grantTaskResponse(apiFns[key]);
    }

    // Every audit head leaves the table's reach: the steps that append sign and put digests; the
    // query functions that verify read them; nobody else may sign (docs/runbook.md).
    const anchor = new AuditAnchor(this, 'AuditAnchor');
    // Change control appends too: approvals, abort requests and the freeze calendar's chain.
    const controlFns = (['approveChange', 'abortChange', 'ticketControl', 'addFreeze', 'removeFreeze'] as const).map((key) => apiFns[key]);
    for (const fn of [...Object.values(stepFns), ...controlFns]) anchor.grantAppend(roleOf(fn));
    for (const key of ['getChange', 'verifyChange'] as const) anchor.grantRead(roleOf(apiFns[key]));
    anchor.sealSigners();
    for (const fn of [...Object.values(stepFns), ...controlFns, apiFns.getChange, apiFns.verifyChange]) {
      fn.addEnvironment('CHANGEFLOW_ANCHOR_BUCKET', anchor.bucket.bucketName);
      fn.addEnvironment('CHANGEFLOW_ANCHOR_KMS_KEY_ID', anchor.key.keyArn);
    }

    // Ticket notes link the change's page through a signed, expiring, read-only link (no IAM on
    // that one route): the note writers mint, the page function only verifies (docs/runbook.md).
    const pageLinks = new PageLinkKey(this, 'PageLinks');
    for (const key of noteWriters) {
      pageLinks.grantMint(roleOf(stepFns[key]));
      stepFns[key].addEnvironment('CHANGEFLOW_PAGE_LINK_KMS_KEY_ID', pageLinks.key.keyArn);
    }
    pageLinks.sealMinters();
    pageLinks.grantVerify(roleOf(apiFns.pageLink));
    apiFns.pageLink.addEnvironment('CHANGEFLOW_PAGE_LINK_KMS_KEY_ID', pageLinks.key.keyArn);
    // The page it serves is the signed-in one: the table, the anchor, the execution's ASL and history.
    changes.grantRead(apiFns.pageLink);
    anchor.grantRead(roleOf(apiFns.pageLink));
    apiFns.pageLink.addEnvironment('CHANGEFLOW_ANCHOR_BUCKET', anchor.bucket.bucketName);
    apiFns.pageLink.addEnvironment('CHANGEFLOW_ANCHOR_KMS_KEY_ID', anchor.key.keyArn);
    apiFns.pageLink.addToRolePolicy(new iam.PolicyStatement({ actions: ['states:DescribeStateMachineForExecution', 'states:GetExecutionHistory'], resources: [executionArns] }));
    // Anyone on the internet reaches it: cap its concurrency like the webhook's.
    (apiFns.pageLink.node.defaultChild as lambda.CfnFunction).reservedConcurrentExecutions = pageLinkReservedConcurrency;

    const http = new ChangeApi(this, 'Http', { handlers: apiFns });
    new ChangeAlarms(this, 'Alarms', { stateMachine: this.stateMachine, topic: alerts });
    new StackOutputs(this, 'Outputs', { api: http.api, stateMachine: this.stateMachine, activities, agentPolicies, alerts });
  }
}
