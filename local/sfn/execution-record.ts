import * as z from '../../shared/zod.js';
import { PendingCallback } from './callback-task.js';
import { HistoryEvent } from './history.js';

export const ExecutionStatus = z.enum(['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED']);
export type ExecutionStatus = z.infer<typeof ExecutionStatus>;

/** One execution as DescribeExecution reports it, with its history; times in epoch ms. */
export const ExecutionRecord = z.object({
  executionArn: z.string(),
  stateMachineArn: z.string(),
  name: z.string(),
  status: ExecutionStatus,
  startDate: z.number(),
  stopDate: z.optional(z.number()),
  input: z.string(),
  output: z.optional(z.string()),
  error: z.optional(z.string()),
  cause: z.optional(z.string()),
  events: z.array(HistoryEvent),
  /** Task tokens of `.waitForTaskToken` tasks still waiting for an answer. */
  callbacks: z.optional(z.array(PendingCallback)),
});
export type ExecutionRecord = z.infer<typeof ExecutionRecord>;
