import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import * as z from '../zod.js';
import { isConditionalCheckFailed, type StoreContext } from '../store/store-context.js';
import { keys } from '../store/keys.js';

// What a person asked of a running change, beside its record (`CHANGE#<id>` / `CONTROL`): the task
// token the approval wait is parked on (never shown by GET /changes/{id}), the approval once given,
// and an abort once requested. The workflow reads it at every step boundary; the approve and abort
// routes write it with conditions, so two people cannot both win a race.

export const ApprovalGrant = z.strictObject({ by: z.string(), planHash: z.string(), comment: z.optional(z.string()), at: z.string() });
export type ApprovalGrant = z.infer<typeof ApprovalGrant>;

export const AbortRequest = z.strictObject({ by: z.string(), reason: z.string(), at: z.string() });
export type AbortRequest = z.infer<typeof AbortRequest>;

export const ChangeControl = z.object({
  /** The token of the approval wait in progress (a new one each slice of the wait). */
  approvalToken: z.optional(z.string()),
  /** The plan hash the wait is for: an approval must name it. */
  awaitingPlanHash: z.optional(z.string()),
  approval: z.optional(ApprovalGrant),
  abort: z.optional(AbortRequest),
});
export type ChangeControl = z.infer<typeof ChangeControl>;

const sk = 'CONTROL';
const key = (changeId: string) => ({ pk: keys.change(changeId).pk, sk });

export function createControlStore(ctx: StoreContext) {
  async function get(changeId: string): Promise<ChangeControl> {
    const out = await ctx.client.send(new GetCommand({ TableName: ctx.tableName, Key: key(changeId), ConsistentRead: true }));
    if (!out.Item) return {};
    const { pk: _pk, sk: _sk, ...fields } = out.Item;
    return ChangeControl.parse(fields);
  }

  /** Parks the approval wait on `token` (each slice of the wait hands out a new one). */
  async function awaitApproval(changeId: string, token: string, planHash: string): Promise<void> {
    await ctx.client.send(
      new UpdateCommand({
        TableName: ctx.tableName,
        Key: key(changeId),
        UpdateExpression: 'SET approvalToken = :token, awaitingPlanHash = :hash',
        ExpressionAttributeValues: { ':token': token, ':hash': planHash },
      }),
    );
  }

  /** Records the approval once: false when someone approved first (the first approval stands). */
  async function grant(changeId: string, approval: ApprovalGrant): Promise<boolean> {
    try {
      await ctx.client.send(
        new UpdateCommand({
          TableName: ctx.tableName,
          Key: key(changeId),
          UpdateExpression: 'SET approval = :approval',
          ConditionExpression: 'attribute_not_exists(approval) AND awaitingPlanHash = :hash',
          ExpressionAttributeValues: { ':approval': ApprovalGrant.parse(approval), ':hash': approval.planHash },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionalCheckFailed(err)) return false;
      throw err;
    }
  }

  /** Records the abort once: false when it was already requested (the first reason stands). */
  async function requestAbort(changeId: string, abort: AbortRequest): Promise<boolean> {
    try {
      await ctx.client.send(
        new UpdateCommand({
          TableName: ctx.tableName,
          Key: key(changeId),
          UpdateExpression: 'SET #abort = :abort',
          ConditionExpression: 'attribute_not_exists(#abort)',
          ExpressionAttributeNames: { '#abort': 'abort' },
          ExpressionAttributeValues: { ':abort': AbortRequest.parse(abort) },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionalCheckFailed(err)) return false;
      throw err;
    }
  }

  return { get, awaitApproval, grant, requestAbort };
}

export type ControlStore = ReturnType<typeof createControlStore>;
