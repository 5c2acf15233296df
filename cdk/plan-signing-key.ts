import { CfnOutput, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { adminsButCannotSign } from './key-admin-statement.js';

// The key that signs plans (docs/architecture.md §3.6): asymmetric ECC_NIST_P256, SIGN_VERIFY. Its policy is
// the whole authorisation story — the account may administer the key and read its public half,
// but kms:Sign is denied to every principal except the plan function's role, so no IAM policy
// anywhere in the account can grant it. The agent verifies offline with the public key.

export interface PlanSigningKeyProps {
  /** The only role that may sign: the plan Lambda's. */
  readonly signer: iam.IRole;
}

export class PlanSigningKey extends Construct {
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: PlanSigningKeyProps) {
    super(scope, id);
    const policy = new iam.PolicyDocument({
      statements: [
        adminsButCannotSign(),
        new iam.PolicyStatement({
          sid: 'OnlyThePlanFunctionSigns',
          principals: [props.signer],
          actions: ['kms:Sign', 'kms:GetPublicKey', 'kms:DescribeKey'],
          resources: ['*'],
        }),
        new iam.PolicyStatement({
          sid: 'NobodyElseSigns',
          effect: iam.Effect.DENY,
          principals: [new iam.AnyPrincipal()],
          actions: ['kms:Sign'],
          resources: ['*'],
          conditions: { ArnNotEquals: { 'aws:PrincipalArn': props.signer.roleArn } },
        }),
      ],
    });
    this.key = new kms.Key(this, 'Key', {
      description: 'changeflow plan signing: the bastion agent runs only tasks signed with this key',
      keySpec: kms.KeySpec.ECC_NIST_P256,
      keyUsage: kms.KeyUsage.SIGN_VERIFY,
      policy,
      alias: 'alias/changeflow-plan-signing',
      // Agents trust this key's public half: replacing it means re-configuring every bastion.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    new CfnOutput(Stack.of(this), 'PlanSigningKeyArn', {
      value: this.key.keyArn,
      description: 'keyId for planSigning.keys in the agent config; aws kms get-public-key --key-id <this> gives its public key',
    });
  }
}
