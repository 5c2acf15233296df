import { CfnOutput, Stack } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';

export interface StackOutputsProps {
  readonly api: apigw.HttpApi;
  readonly stateMachine: sfn.StateMachine;
  readonly activities: Readonly<Record<string, sfn.Activity>>;
  /** Each site's bastion agent policy (agent-policy.ts). */
  readonly agentPolicies: Readonly<Record<string, iam.ManagedPolicy>>;
  readonly alerts: sns.ITopic;
}

/** `dc-1.east` → `Dc1east`: output logical ids are alphanumeric. */
const outputSuffix = (site: string): string => site.replace(/[^A-Za-z0-9]/g, '').replace(/^./, (c) => c.toUpperCase());

// What an operator needs after `cdk deploy` (docs/runbook.md): the API for `changeflow … --api`,
// the state machine for console starts, each site's Activity ARN for its bastion agent's config and the policy its principal needs,
// and the alerts topic to subscribe on-call to. Outputs, not exports: no other stack may pin them.
export class StackOutputs extends Construct {
  constructor(scope: Construct, id: string, props: StackOutputsProps) {
    super(scope, id);
    // On the stack itself, so the output names are exactly these (no construct-path hash).
    const stack = Stack.of(this);
    new CfnOutput(stack, 'ApiUrl', { value: props.api.apiEndpoint, description: 'changeflow API (IAM, SigV4): changeflow submit|status|… --api <this>' });
    new CfnOutput(stack, 'StateMachineArn', { value: props.stateMachine.stateMachineArn, description: 'the change workflow: start a change from the console or aws stepfunctions start-execution' });
    for (const [site, activity] of Object.entries(props.activities)) {
      new CfnOutput(stack, `ActivityArn${outputSuffix(site)}`, { value: activity.activityArn, description: `sites.${site}.activityArn in the bastion agent config of site ${site}` });
      const policy = props.agentPolicies[site];
      if (policy) new CfnOutput(stack, `AgentPolicyArn${outputSuffix(site)}`, { value: policy.managedPolicyArn, description: `attach to the IAM principal of the bastion agent of site ${site}` });
    }
    new CfnOutput(stack, 'AlertsTopicArn', { value: props.alerts.topicArn, description: 'subscribe on-call here: ROLLBACK_FAILED pages and the alarms' });
  }
}
