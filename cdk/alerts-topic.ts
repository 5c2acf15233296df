import { RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

// The alerts topic, encrypted with a customer-managed key. CloudWatch alarms cannot publish to a
// topic under the AWS-managed alias/aws/sns key (its policy cannot be changed to admit them), so
// an alarm would never page anyone; this key's policy lets cloudwatch.amazonaws.com (for alarms
// of this account only) and Step Functions' own publish via the role use it.
export class AlertsTopic extends Construct {
  readonly topic: sns.Topic;
  readonly key: kms.Key;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', {
      description: 'changeflow alerts topic encryption (admits CloudWatch alarms)',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': this.key.stack.account } },
      }),
    );
    this.topic = new sns.Topic(this, 'Topic', { displayName: 'changeflow alerts', enforceSSL: true, masterKey: this.key });
  }
}
