import { Validations, type CfnElement } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { stateMachineName, type ChangeflowStack } from './changeflow-stack.js';
import { HandlerFunction } from './handler-function.js';

// cdk-nag (AwsSolutions) findings that stay, each with its reason. cdk-nag 3 reads CDK's own
// acknowledgements (Validations.of(…).acknowledge), which replaced v2's NagSuppressions; a
// finding is acknowledged on the construct that owns it, never for the whole stack.

const xray = 'X-Ray PutTraceSegments/PutTelemetryRecords (tracing is on) accept no resource but *';

export function acknowledgeNagFindings(stack: ChangeflowStack): void {
  const ack = (scope: IConstruct, id: string, reason: string) => Validations.of(scope).acknowledge({ id, reason });
  const handlers = stack.node.findAll().filter((c): c is HandlerFunction => c instanceof HandlerFunction);

  ack(child(stack, 'Integrations'), 'AwsSolutions-SMG4', 'holds ServiceNow/Jira credentials and the webhook secret, which only their owners can rotate (runbook)');
  for (const h of handlers) ack(h.role, 'AwsSolutions-IAM5[Resource::*]', xray);

  const machineRole = stack.stateMachine.role;
  ack(machineRole, 'AwsSolutions-IAM5[Resource::*]', `${xray}; CloudWatch Logs delivery for state machine logging does too`);
  for (const h of handlers.filter((h) => h.node.id.startsWith('Step-'))) {
    const fnId = stack.getLogicalId(h.fn.node.defaultChild as CfnElement);
    ack(machineRole, `AwsSolutions-IAM5[Resource::<${fnId}.Arn>:*]`, 'LambdaInvoke may call versions/aliases (:*) of this one step function');
  }

  const executions = `arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:${stateMachineName}:*`;
  for (const key of ['ticketWebhook', 'startChange', 'startDrift']) {
    const h = handlers.find((c) => c.node.id === `Api-${key}`);
    if (h) ack(h.role, `AwsSolutions-IAM5[Resource::${executions}]`, 'execution names are per change; DescribeExecution only, on executions of this one state machine');
  }
  for (const pageFn of handlers.filter((c) => c.node.id === 'Api-getChange' || c.node.id === 'Api-pageLink')) {
    ack(pageFn.role, `AwsSolutions-IAM5[Resource::${executions}]`, 'the timeline page reads the ASL and history of one change\'s execution; executions are named per change');
  }

  // The anchor's digests are one object per head: keys are per change and seq, so grants name the prefixes.
  const digests = stack.getLogicalId(child(stack, 'AuditAnchor', 'Digests', 'Resource') as CfnElement);
  const anchorUsers = handlers.filter((h) => h.node.id.startsWith('Step-') || ['Api-getChange', 'Api-pageLink', 'Api-verifyChange', 'Api-approveChange', 'Api-abortChange', 'Api-ticketControl', 'Api-addFreeze', 'Api-removeFreeze'].includes(h.node.id));
  for (const h of anchorUsers) {
    for (const prefix of ['heads', 'changes']) {
      ack(h.role, `AwsSolutions-IAM5[Resource::<${digests}.Arn>/${prefix}/*]`, `anchor digests are one write-once object per change and seq under ${prefix}/; only that prefix`);
    }
  }

  for (const route of ['POST--webhooks--servicenow', 'POST--webhooks--jira', 'POST--webhooks--servicenow--control', 'POST--webhooks--jira--control']) {
    ack(child(stack, 'Http', 'Api', route), 'AwsSolutions-APIG4', 'ticketing systems cannot sign SigV4: the handler verifies an HMAC over the raw body within ±300 s (docs/architecture.md §3.2)');
  }
  ack(child(stack, 'Http', 'Api', 'GET--links--changes--{id}'), 'AwsSolutions-APIG4', 'a ticket reader has no AWS credentials: the handler checks a KMS HMAC over change id + expiry and serves only that change\'s page, read-only');
}

function child(scope: IConstruct, ...path: string[]): IConstruct {
  return path.reduce((c, id) => c.node.findChild(id), scope);
}
