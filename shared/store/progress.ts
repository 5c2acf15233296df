import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import * as z from '../zod.js';
import { ChangeId } from './change-record.js';
import { withoutUndefined, type StoreContext } from './store-context.js';
import { parseInput } from './validate.js';

// A running step's progress (the connectivity test: tests done of the total), which the bastion
// agent writes while the step runs and `submit --wait`, `watch` and `status` show. Not an audit
// event — it is overwritten as it moves and outlived by the step's own result — so the agent,
// which may never write the audit trail, writes only these items (IAM dynamodb:LeadingKeys
// `PROGRESS#*`, docs/runbook.md §8). One small item per change, overwritten in place.

export const progressPartitionPrefix = 'PROGRESS#';
export const progressKey = (changeId: string) => ({ pk: `${progressPartitionPrefix}${changeId}`, sk: 'STEP' });

export const StepProgress = z.object({
  changeId: ChangeId,
  step: z.string().check(z.minLength(1), z.maxLength(64)),
  /** What is measured, as people read it: "connectivity test". */
  what: z.string().check(z.minLength(1), z.maxLength(64)),
  done: z.int().check(z.gte(0)),
  total: z.int().check(z.gte(1)),
  running: z.optional(z.string().check(z.maxLength(256))),
  at: z.iso.datetime({ offset: true }),
});
export type StepProgress = z.infer<typeof StepProgress>;

export function createProgressStore(ctx: StoreContext) {
  async function putProgress(progress: Omit<StepProgress, 'at'>): Promise<void> {
    const record = parseInput(StepProgress, { ...progress, at: ctx.now().toISOString() }, 'step progress');
    await ctx.client.send(new PutCommand({ TableName: ctx.tableName, Item: { ...progressKey(record.changeId), ...withoutUndefined(record) } }));
  }

  async function getProgress(changeId: string): Promise<StepProgress | undefined> {
    const out = await ctx.client.send(new GetCommand({ TableName: ctx.tableName, Key: progressKey(changeId) }));
    if (!out.Item) return undefined;
    const parsed = StepProgress.safeParse(out.Item);
    return parsed.success ? parsed.data : undefined;
  }

  return { putProgress, getProgress };
}
