import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

// The one table, as plain data: cdk/ builds `dynamodb.Table` from it and local/ creates it in
// dynalite from it, so the two can never disagree. Key layout: shared/store/README.md.
export const defaultTableName = 'changeflow';

export interface IndexDefinition {
  readonly name: string;
  readonly partitionKey: string;
  readonly sortKey: string;
}

export const tableDefinition = {
  partitionKey: 'pk',
  sortKey: 'sk',
  billingMode: 'PAY_PER_REQUEST',
  indexes: {
    byTicket: { name: 'byTicket', partitionKey: 'ticketPk', sortKey: 'timeSk' },
    byFabric: { name: 'byFabric', partitionKey: 'fabricPk', sortKey: 'timeSk' },
    byCluster: { name: 'byCluster', partitionKey: 'clusterPk', sortKey: 'timeSk' },
    byDay: { name: 'byDay', partitionKey: 'dayPk', sortKey: 'timeSk' },
  },
} as const satisfies {
  partitionKey: string;
  sortKey: string;
  billingMode: 'PAY_PER_REQUEST';
  indexes: Record<string, IndexDefinition>;
};

export type IndexName = keyof typeof tableDefinition.indexes;

/** Every key attribute is a string; each GSI projects ALL so a listing never needs a GetItem. */
export function createTableInput(tableName: string = defaultTableName): CreateTableCommandInput {
  const indexes = Object.values(tableDefinition.indexes);
  const keyAttributes = new Set<string>([tableDefinition.partitionKey, tableDefinition.sortKey]);
  for (const index of indexes) {
    keyAttributes.add(index.partitionKey);
    keyAttributes.add(index.sortKey);
  }
  return {
    TableName: tableName,
    BillingMode: tableDefinition.billingMode,
    AttributeDefinitions: [...keyAttributes].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
    KeySchema: [
      { AttributeName: tableDefinition.partitionKey, KeyType: 'HASH' },
      { AttributeName: tableDefinition.sortKey, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: indexes.map((index) => ({
      IndexName: index.name,
      KeySchema: [
        { AttributeName: index.partitionKey, KeyType: 'HASH' },
        { AttributeName: index.sortKey, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    })),
  };
}
