import type * as DynamoSdkModule from '@aws-sdk/client-dynamodb';
import { randomUUID } from 'node:crypto';
import * as z from '../../shared/zod.js';
import type { DynamoAction } from './task-bindings.js';
import { TaskFailure } from './task-failure.js';

// The optimized service integrations the workflow uses, answered locally with the output shapes
// Step Functions gives on AWS (SDK response + SdkHttpMetadata/SdkResponseMetadata).

export const Alert = z.object({
  messageId: z.string(),
  topicArn: z.string(),
  subject: z.optional(z.string()),
  message: z.string(),
  executionArn: z.string(),
  stateName: z.string(),
  at: z.number(),
});
export type Alert = z.infer<typeof Alert>;

const PublishParameters = z.looseObject({
  TopicArn: z.optional(z.string()),
  TargetArn: z.optional(z.string()),
  Message: z.unknown(),
  Subject: z.optional(z.string()),
});

function sdkMetadata(requestId: string): Record<string, unknown> {
  return {
    SdkHttpMetadata: { HttpHeaders: { 'Content-Type': 'application/x-amz-json-1.0', 'x-amzn-RequestId': requestId }, HttpStatusCode: 200 },
    SdkResponseMetadata: { RequestId: requestId },
  };
}

/** sns:publish lands in an in-memory list that tests and `changeflow dev` show. */
export function publishAlert(
  parameters: unknown,
  where: { executionArn: string; stateName: string },
  alerts: Alert[],
  log: (line: string) => void,
): Record<string, unknown> {
  const parsed = PublishParameters.safeParse(parameters);
  const topicArn = parsed.success ? (parsed.data.TopicArn ?? parsed.data.TargetArn) : undefined;
  if (!parsed.success || !topicArn || parsed.data.Message === undefined) {
    throw new TaskFailure('SNS.InvalidParameterException', 'sns:publish needs TopicArn (or TargetArn) and Message in Parameters');
  }
  const message = typeof parsed.data.Message === 'string' ? parsed.data.Message : JSON.stringify(parsed.data.Message);
  const alert: Alert = { messageId: randomUUID(), topicArn, subject: parsed.data.Subject, message, ...where, at: Date.now() };
  alerts.push(alert);
  log(`sfn alert ${topicArn}${alert.subject ? ` [${alert.subject}]` : ''}: ${message}`);
  return { MessageId: alert.messageId, ...sdkMetadata(randomUUID()) };
}

export interface DynamoTarget {
  endpoint: string;
  region: string;
}

type DynamoSdk = typeof DynamoSdkModule;

/** dynamodb:putItem|updateItem|getItem|deleteItem against the local endpoint (dynalite). */
export class DynamoIntegration {
  private client?: Promise<{ sdk: DynamoSdk; client: InstanceType<DynamoSdk['DynamoDBClient']> }>;

  constructor(private readonly target: DynamoTarget) {}

  private connect(): NonNullable<DynamoIntegration['client']> {
    this.client ??= import('@aws-sdk/client-dynamodb').then((sdk) => ({
      sdk,
      client: new sdk.DynamoDBClient({
        endpoint: this.target.endpoint,
        region: this.target.region,
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      }),
    }));
    return this.client;
  }

  async call(action: DynamoAction, parameters: unknown): Promise<Record<string, unknown>> {
    const { sdk, client } = await this.connect();
    const input = parameters as never;
    try {
      const response =
        action === 'putItem'
          ? await client.send(new sdk.PutItemCommand(input))
          : action === 'updateItem'
            ? await client.send(new sdk.UpdateItemCommand(input))
            : action === 'getItem'
              ? await client.send(new sdk.GetItemCommand(input))
              : await client.send(new sdk.DeleteItemCommand(input));
      const { $metadata, ...body } = response;
      return { ...body, ...sdkMetadata($metadata.requestId ?? randomUUID()) };
    } catch (error) {
      // Step Functions prefixes service errors so that Catch can name them: DynamoDB.ConditionalCheckFailedException.
      if (error instanceof sdk.DynamoDBServiceException) {
        const status = error.$metadata.httpStatusCode ?? 400;
        throw new TaskFailure(`DynamoDB.${error.name}`, `${error.message} (Service: DynamoDb, Status Code: ${status})`);
      }
      throw error;
    }
  }

  async destroy(): Promise<void> {
    if (this.client) (await this.client).client.destroy();
  }
}
