import { CreateTableCommand, DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDynalite, type LocalDynamo } from '../../../local/dynamo/dynalite.js';
import { MissingTaskImplementation } from '../../../local/sfn/errors.js';
import { loadStackMachines, startLocalSfn, synthStack, type LocalMachineDef } from '../../../local/sfn/index.js';
import { buildDynamoStack, dynamoTableName } from '../../fixtures/sfn/dynamo-stack.js';
import { localCredentials, sfnClient, waitClosed } from './harness.js';

let dynamo: LocalDynamo;
let machines: LocalMachineDef[];
let ddb: DynamoDBClient;

beforeAll(async () => {
  dynamo = await startDynalite();
  ddb = new DynamoDBClient({ endpoint: dynamo.endpoint, region: 'us-east-1', credentials: localCredentials });
  await ddb.send(
    new CreateTableCommand({
      TableName: dynamoTableName,
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  machines = loadStackMachines(synthStack(buildDynamoStack));
});

afterAll(async () => {
  ddb?.destroy();
  await dynamo?.close();
});

describe('DynamoDB service integrations against dynalite', () => {
  it('refuses to start without a DynamoDB endpoint, since the Tasks would have no implementation', async () => {
    await expect(startLocalSfn({ machines, log: () => undefined })).rejects.toThrow(MissingTaskImplementation);
  });

  it('puts, updates and reads back an item, and a conditional put on a duplicate fails into Catch by its DynamoDB error name', async () => {
    const sfn = await startLocalSfn({ machines, dynamodbEndpoint: dynamo.endpoint, log: () => undefined });
    const client = sfnClient(sfn.endpoint);
    try {
      const stateMachineArn = machines[0]!.arn;
      const first = await client.send(new StartExecutionCommand({ stateMachineArn, input: '{"id":"CHG1"}' }));
      const done = await waitClosed(client, first.executionArn!);
      expect(done.status).toBe('SUCCEEDED');
      expect(JSON.parse(done.output!)).toEqual({ id: 'CHG1', stored: { status: 'SUCCEEDED' } });
      const item = await ddb.send(new GetItemCommand({ TableName: dynamoTableName, Key: { pk: { S: 'CHG1' } } }));
      expect(item.Item?.['status']).toEqual({ S: 'SUCCEEDED' });

      const duplicate = await client.send(new StartExecutionCommand({ stateMachineArn, input: '{"id":"CHG1"}' }));
      expect(await waitClosed(client, duplicate.executionArn!)).toMatchObject({ status: 'FAILED', error: 'Duplicate' });
    } finally {
      client.destroy();
      await sfn.close();
    }
  });
});
