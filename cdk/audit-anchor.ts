import { CfnOutput, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { adminsButCannotSign } from './key-admin-statement.js';

// The audit anchor outside the table (shared/anchor): an S3 bucket with Object Lock in COMPLIANCE
// mode — no principal, the account root included, can delete or overwrite a digest version before
// its retention ends — and an asymmetric KMS key that signs every digest. Like CloudTrail's digest
// files, a writer of the table cannot rewrite what was anchored, and a writer of the bucket cannot
// forge a digest without the key. Only the roles that append audit events may sign and put.

export interface AuditAnchorProps {
  /** Compliance-mode retention of every digest (default 2557 days, seven years). */
  readonly retentionDays?: number;
}

const digestPrefixes = ['heads/*', 'changes/*'];

export class AuditAnchor extends Construct {
  readonly bucket: s3.Bucket;
  readonly key: kms.Key;
  private readonly appenders: iam.IRole[] = [];

  constructor(scope: Construct, id: string, props: AuditAnchorProps = {}) {
    super(scope, id);
    const accessLogs = new s3.Bucket(this, 'AccessLogs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.bucket = new s3.Bucket(this, 'Digests', {
      objectLockEnabled: true,
      objectLockDefaultRetention: s3.ObjectLockRetention.compliance(Duration.days(props.retentionDays ?? 2557)),
      versioned: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // Server access logs by bucket policy, not the LogDeliveryWrite ACL: every read of a digest is on record.
    accessLogs.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'S3ServerAccessLogsOfTheDigests',
        principals: [new iam.ServicePrincipal('logging.s3.amazonaws.com')],
        actions: ['s3:PutObject'],
        resources: [accessLogs.arnForObjects('digests/*')],
        conditions: { ArnLike: { 'aws:SourceArn': this.bucket.bucketArn }, StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    );
    (this.bucket.node.defaultChild as s3.CfnBucket).loggingConfiguration = { destinationBucketName: accessLogs.bucketName, logFilePrefix: 'digests/' };
    // Write-once: a put must be conditional (If-None-Match), so no new version ever shadows an
    // anchored digest; and no delete marker may hide one (a hidden newest head would let a
    // truncated table look anchored).
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DigestsAreWrittenOnce',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:PutObject'],
        resources: [this.bucket.arnForObjects('*')],
        conditions: { Null: { 's3:if-none-match': 'true' } },
      }),
    );
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DigestsAreNeverDeleted',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:DeleteObject', 's3:DeleteObjectVersion', 's3:PutLifecycleConfiguration', 's3:PutBucketVersioning', 's3:PutBucketObjectLockConfiguration'],
        resources: [this.bucket.bucketArn, this.bucket.arnForObjects('*')],
      }),
    );

    this.key = new kms.Key(this, 'SigningKey', {
      description: 'changeflow audit anchor: signs each digest of an audit chain head',
      keySpec: kms.KeySpec.ECC_NIST_P256,
      keyUsage: kms.KeyUsage.SIGN_VERIFY,
      policy: new iam.PolicyDocument({
        statements: [
          adminsButCannotSign(),
        ],
      }),
      alias: 'alias/changeflow-audit-anchor',
      // Old digests stay verifiable only while the key exists.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // Decided at synth, once every appender is known: no one else may sign, whatever IAM says.
    this.node.addValidation({ validate: () => (this.appenders.length > 0 ? [] : ['the audit anchor has no appender role']) });
    new CfnOutput(Stack.of(this), 'AuditAnchorBucket', { value: this.bucket.bucketName, description: 'CHANGEFLOW_ANCHOR_BUCKET for `changeflow audit verify`' });
    new CfnOutput(Stack.of(this), 'AuditAnchorKeyArn', { value: this.key.keyArn, description: 'CHANGEFLOW_ANCHOR_KMS_KEY_ID for `changeflow audit verify`' });
  }

  /** A role that appends audit events: signs digests with the key and puts them, write-once. */
  grantAppend(role: iam.IRole): void {
    this.appenders.push(role);
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({ principals: [role], actions: ['kms:Sign', 'kms:GetPublicKey'], resources: ['*'] }),
    );
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['kms:Sign', 'kms:GetPublicKey'], resources: [this.key.keyArn] }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:PutObject', 's3:GetObject'], resources: digestPrefixes.map((p) => this.bucket.arnForObjects(p)) }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [this.bucket.bucketArn] }));
  }

  /** A role that only verifies (the audit-query functions): reads digests and the public key. */
  grantRead(role: iam.IRole): void {
    this.key.addToResourcePolicy(new iam.PolicyStatement({ principals: [role], actions: ['kms:GetPublicKey'], resources: ['*'] }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['kms:GetPublicKey'], resources: [this.key.keyArn] }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: digestPrefixes.map((p) => this.bucket.arnForObjects(p)) }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [this.bucket.bucketArn] }));
  }

  /** Denies kms:Sign to every principal but the appenders; call once, after the last grantAppend. */
  sealSigners(): void {
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'NobodyElseSigns',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['kms:Sign'],
        resources: ['*'],
        conditions: { ArnNotEquals: { 'aws:PrincipalArn': this.appenders.map((r) => r.roleArn) } },
      }),
    );
  }
}
