import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { keys } from '../shared/store/keys.js';
import { defaultTableName, tableDefinition } from '../shared/store/table.js';

const deliveryPartitionPrefix = keys.deliveryPartition('');

// What shared/store sends (Get/Query/Put/Update/Delete through the document client) plus their
// batch forms. No Scan: every listing goes through a key or a GSI.
const readActions = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'];
const writeActions = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];

// The one table, built from the shared definition that local/ also uses for dynalite.
export class ChangeTable extends Construct {
  readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string, props: { tableName?: string } = {}) {
    super(scope, id);
    const key = (name: string) => ({ name, type: dynamodb.AttributeType.STRING });
    this.table = new dynamodb.Table(this, 'Table', {
      tableName: props.tableName ?? defaultTableName,
      partitionKey: key(tableDefinition.partitionKey),
      sortKey: key(tableDefinition.sortKey),
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      // The audit trail is the record auditors rely on: recoverable and never deleted with the stack.
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
    });
    for (const index of Object.values(tableDefinition.indexes)) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: key(index.partitionKey),
        sortKey: key(index.sortKey),
        projectionType: dynamodb.ProjectionType.ALL,
      });
    }
  }

  /** Reads on the table and its named GSIs (rather than the `index/*` of Table.grantReadData). */
  grantRead(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions: readActions, resourceArns: this.arns() });
  }

  /** Reads as above; writes on the table itself (GSIs follow it and take no writes). */
  grantReadWrite(grantee: iam.IGrantable): iam.Grant {
    return this.grantRead(grantee).combine(iam.Grant.addToPrincipal({ grantee, actions: writeActions, resourceArns: [this.table.tableArn] }));
  }

  /**
   * Reads as above; Put/Update only on webhook-delivery items (partition `DELIVERY#…`), by the IAM
   * condition dynamodb:LeadingKeys. Intake (webhook, manual start) thus cannot delete anything nor
   * write a change record or an audit event: the audit trail has no writer reachable from outside.
   */
  grantDeliveryWrites(grantee: iam.IGrantable): iam.Grant {
    return this.grantRead(grantee).combine(
      iam.Grant.addToPrincipal({
        grantee,
        actions: ['dynamodb:PutItem', 'dynamodb:UpdateItem'],
        resourceArns: [this.table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${deliveryPartitionPrefix}*`] } },
      }),
    );
  }

  private arns(): string[] {
    const indexes = Object.values(tableDefinition.indexes).map((index) => `${this.table.tableArn}/index/${index.name}`);
    return [this.table.tableArn, ...indexes];
  }
}
