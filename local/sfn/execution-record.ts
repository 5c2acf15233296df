import * as z from 'zod';
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
  stopDate: z.number().optional(),
  input: z.string(),
  output: z.string().optional(),
  error: z.string().optional(),
  cause: z.string().optional(),
  events: z.array(HistoryEvent),
  /** Task tokens of `.waitForTaskToken` tasks still waiting for an answer. */
  callbacks: z.array(PendingCallback).optional(),
});
export type ExecutionRecord = z.infer<typeof ExecutionRecord>;
