import * as z from '../../shared/zod.js';
import { StepBudget } from './fault-timing.js';

// What the fault suite asks of a dev stack running in its own process (stack-child.ts), over the
// fork IPC channel. A stack lives in a child because the Lambda handlers read their configuration
// from process.env: two stacks in one process would share one table and one state machine.

export const BookName = z.enum(['apic', 'kubernetes', 'world', 'servicenow', 'jira']);
export type BookName = z.infer<typeof BookName>;

export const StackRequest = z.discriminatedUnion('op', [
  /** Every fault book empty, counts and taps reset. */
  z.object({ op: z.literal('clearFaults') }),
  z.object({ op: z.literal('addFault'), book: BookName, fault: z.string() }),
  /** FaultTap.setAt on the book that counts `call`: at the nth call, `target` holds just `fault`. */
  z.object({ op: z.literal('setFaultAt'), on: BookName, call: z.string(), nth: z.int().check(z.positive()), when: z.enum(['at', 'after']), target: BookName, fault: z.string() }),
  z.object({ op: z.literal('calls'), book: BookName }),
  /** GET /_lab/dump of the APIC and the cluster once jobs and controllers settled. */
  z.object({ op: z.literal('dumps') }),
  z.object({ op: z.literal('agentRestarts') }),
  /** Creates an approved change in the lab ServiceNow and returns its signed webhook. */
  z.object({ op: z.literal('serviceNowDelivery'), title: z.string(), specYaml: z.string() }),
  z.object({ op: z.literal('close') }),
]);
export type StackRequest = z.infer<typeof StackRequest>;

export const TappedCall = z.object({ call: z.string(), fired: z.optional(z.string()) });
export const CallsReply = z.object({ calls: z.array(TappedCall), sinceTrigger: z.array(TappedCall) });
export const DumpsReply = z.object({ apic: z.string(), kubernetes: z.string() });
export const DeliveryReply = z.object({ ticket: z.string(), path: z.string(), headers: z.record(z.string(), z.string()), body: z.string() });

export const ChildMessage = z.union([
  z.object({ kind: z.literal('ready'), endpointsPath: z.string() }),
  z.object({ kind: z.literal('startFailed'), error: z.string() }),
  z.object({ kind: z.literal('reply'), id: z.number(), ok: z.literal(true), value: z.unknown() }),
  z.object({ kind: z.literal('reply'), id: z.number(), ok: z.literal(false), error: z.string() }),
]);
export type ChildMessage = z.infer<typeof ChildMessage>;

/** How the parent starts a child: argv[2] of stack-child.ts, as JSON. */
export const ChildOptions = z.object({
  dataDir: z.string(),
  faults: z.array(z.string()),
  steps: StepBudget,
});
export type ChildOptions = z.infer<typeof ChildOptions>;
