import { RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { adminsButCannotSign } from './key-admin-statement.js';

// The key behind the page links in ticket notes (shared/signing/page-link.ts): a KMS HMAC_256
// key, like a presigned URL's secret that never leaves AWS. The steps that write notes may
// GenerateMac (mint a link); the public page function may only VerifyMac, so a flaw in the one
// unauthenticated route cannot mint links to other changes. The key policy denies GenerateMac
// to every other principal, whatever IAM grants elsewhere in the account.

export class PageLinkKey extends Construct {
  readonly key: kms.Key;
  private readonly minters: iam.IRole[] = [];

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', {
      description: 'changeflow page links: HMAC over change id + expiry for the read-only links in ticket notes',
      keySpec: kms.KeySpec.HMAC_256,
      keyUsage: kms.KeyUsage.GENERATE_VERIFY_MAC,
      policy: new iam.PolicyDocument({ statements: [adminsButCannotSign()] }),
      alias: 'alias/changeflow-page-links',
      // Deleting the key only makes the links already written stop opening; nothing else needs it.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.node.addValidation({ validate: () => (this.minters.length > 0 ? [] : ['the page-link key has no minting role']) });
  }

  /** A role that writes ticket notes and so mints their links. */
  grantMint(role: iam.IRole): void {
    this.minters.push(role);
    this.key.addToResourcePolicy(new iam.PolicyStatement({ principals: [role], actions: ['kms:GenerateMac'], resources: ['*'] }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['kms:GenerateMac'], resources: [this.key.keyArn] }));
  }

  /** The page function: checks links, cannot make them. */
  grantVerify(role: iam.IRole): void {
    this.key.addToResourcePolicy(new iam.PolicyStatement({ principals: [role], actions: ['kms:VerifyMac'], resources: ['*'] }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['kms:VerifyMac'], resources: [this.key.keyArn] }));
  }

  /** Denies GenerateMac to every principal but the minters; call once, after the last grantMint. */
  sealMinters(): void {
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'OnlyNoteWritersMintLinks',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['kms:GenerateMac'],
        resources: ['*'],
        conditions: { ArnNotEquals: { 'aws:PrincipalArn': this.minters.map((r) => r.roleArn) } },
      }),
    );
  }
}
