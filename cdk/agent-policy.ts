import * as iam from 'aws-cdk-lib/aws-iam';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { agentResultPartitionPrefix } from '../shared/store/agent-results.js';
import { progressPartitionPrefix } from '../shared/store/progress.js';
import type { ChangeTable } from './change-table.js';

// What a site's bastion agent may do, as a customer-managed policy to attach to its principal
// (an instance profile or IAM Roles Anywhere role outside this stack; docs/runbook.md §1, §8):
// take and answer tasks of its own site's Activity, and PutItem on two partitions of the table —
// PROGRESS#<changeId> (a long step's progress) and RESULT#<changeId> (results too large to send
// inline, shared/store/agent-results.ts) — by dynamodb:LeadingKeys. Never a change record, an
// audit event, a lease or a document: a stolen agent credential cannot touch the audit trail,
// and a stored result it rewrites is refused by the sha256 its task token carried.

export const agentWritablePrefixes = [`${progressPartitionPrefix}*`, `${agentResultPartitionPrefix}*`] as const;

export class AgentPolicy extends Construct {
  readonly policy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: { site: string; activity: sfn.IActivity; table: ChangeTable }) {
    super(scope, id);
    this.policy = new iam.ManagedPolicy(this, 'Policy', {
      description: `changeflow bastion agent of site ${props.site}: its Activity, and PutItem on PROGRESS#/RESULT# items only`,
      statements: [
        new iam.PolicyStatement({
          actions: ['states:GetActivityTask', 'states:SendTaskSuccess', 'states:SendTaskFailure', 'states:SendTaskHeartbeat'],
          resources: [props.activity.activityArn],
        }),
        new iam.PolicyStatement({
          actions: ['dynamodb:PutItem'],
          resources: [props.table.table.tableArn],
          conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...agentWritablePrefixes] } },
        }),
      ],
    });
  }
}
