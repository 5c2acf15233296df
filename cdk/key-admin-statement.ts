import * as iam from 'aws-cdk-lib/aws-iam';

/**
 * The account administers a signing key (and may verify with it) but cannot sign: who may sign
 * is granted by each key's own statement (the plan function, the audit-anchor appenders).
 */
export function adminsButCannotSign(): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: 'AccountAdministersTheKeyButCannotSign',
    principals: [new iam.AccountRootPrincipal()],
    actions: [
      'kms:Create*', 'kms:Describe*', 'kms:Enable*', 'kms:List*', 'kms:Put*', 'kms:Update*', 'kms:Revoke*', 'kms:Disable*',
      'kms:Get*', 'kms:Delete*', 'kms:TagResource', 'kms:UntagResource', 'kms:ScheduleKeyDeletion', 'kms:CancelKeyDeletion',
      'kms:Verify',
    ],
    resources: ['*'],
  });
}
