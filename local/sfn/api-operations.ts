import * as z from '../../shared/zod.js';
import { InvalidToken, UnknownOperationException, ValidationException } from './api-errors.js';
import type { ExecutionRecord } from './execution-record.js';
import { ExecutionStatus } from './execution-record.js';
import type { HistoryEvent } from './history.js';
import type { RegisteredMachine } from './machine-registry.js';
import type { LocalSfnRuntime } from './runtime.js';

// AWSStepFunctions.* operations: request bodies validated with zod, answers in the AWS JSON 1.0
// shapes (timestamps as epoch seconds) that @aws-sdk/client-sfn and the AWS CLI parse.

const seconds = (ms: number): number => ms / 1000;
const Arn = z.string().check(z.minLength(1));
const Paging = { maxResults: z.optional(z.int().check(z.gte(0), z.lte(1000))), nextToken: z.optional(z.string()) };

/** Opaque paging token: the offset of the next page. */
function page<T>(items: T[], maxResults: number | undefined, nextToken: string | undefined, fallback = 100): { items: T[]; nextToken?: string } {
  const offset = nextToken === undefined ? 0 : decodeOffset(nextToken);
  const size = maxResults && maxResults > 0 ? maxResults : fallback;
  const slice = items.slice(offset, offset + size);
  if (offset + size >= items.length) return { items: slice };
  return { items: slice, nextToken: Buffer.from(`o:${offset + size}`).toString('base64url') };
}

function decodeOffset(token: string): number {
  const match = /^o:(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  if (!match) throw new InvalidToken(`Invalid Token: '${token}' is not a nextToken this endpoint issued`);
  return Number(match[1]);
}

function machineSummary(m: RegisteredMachine): Record<string, unknown> {
  return { stateMachineArn: m.def.arn, name: m.def.name, type: m.def.type, creationDate: seconds(m.creationDate) };
}

function executionSummary(r: ExecutionRecord): Record<string, unknown> {
  return {
    executionArn: r.executionArn,
    stateMachineArn: r.stateMachineArn,
    name: r.name,
    status: r.status,
    startDate: seconds(r.startDate),
    ...(r.stopDate !== undefined ? { stopDate: seconds(r.stopDate) } : {}),
  };
}

function wireEvent(event: HistoryEvent, includeData: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = { ...event, timestamp: seconds(event.timestamp) };
  if (!includeData) {
    for (const [key, details] of Object.entries(out)) {
      if (!key.endsWith('EventDetails') || typeof details !== 'object' || details === null) continue;
      const { input: _input, output: _output, ...rest } = details as Record<string, unknown>;
      out[key] = rest;
    }
  }
  return out;
}

type Operation = (runtime: LocalSfnRuntime, body: unknown, signal: AbortSignal) => unknown;

function op<S extends z.ZodMiniType>(schema: S, handler: (runtime: LocalSfnRuntime, input: z.infer<S>, signal: AbortSignal) => unknown): Operation {
  return (runtime, body, signal) => {
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ');
      throw new ValidationException(`request does not match the API: ${issues}`);
    }
    return handler(runtime, parsed.data, signal);
  };
}

const operations: Record<string, Operation> = {
  CreateStateMachine: op(
    z.looseObject({ name: z.string(), definition: z.string(), roleArn: z.string(), type: z.optional(z.enum(['STANDARD', 'EXPRESS'])) }),
    (rt, input) => {
      const m = rt.registry.createStateMachine(input);
      return { stateMachineArn: m.def.arn, creationDate: seconds(m.creationDate) };
    },
  ),
  ListStateMachines: op(z.looseObject(Paging), (rt, input) => {
    const { items, nextToken } = page(rt.registry.listStateMachines(), input.maxResults, input.nextToken);
    return { stateMachines: items.map(machineSummary), ...(nextToken ? { nextToken } : {}) };
  }),
  DescribeStateMachine: op(z.looseObject({ stateMachineArn: Arn }), (rt, input) => {
    const m = rt.registry.stateMachine(input.stateMachineArn);
    return { ...machineSummary(m), status: 'ACTIVE', definition: JSON.stringify(m.def.definition), roleArn: m.def.roleArn, loggingConfiguration: { level: 'OFF', includeExecutionData: false } };
  }),
  DescribeStateMachineForExecution: op(z.looseObject({ executionArn: Arn }), (rt, input) => {
    const m = rt.registry.stateMachine(rt.execution(input.executionArn).stateMachineArn);
    return { stateMachineArn: m.def.arn, name: m.def.name, definition: JSON.stringify(m.def.definition), roleArn: m.def.roleArn, updateDate: seconds(m.creationDate) };
  }),
  CreateActivity: op(z.looseObject({ name: z.string() }), (rt, input) => {
    const a = rt.registry.createActivity(input.name);
    return { activityArn: a.arn, creationDate: seconds(a.creationDate) };
  }),
  ListActivities: op(z.looseObject(Paging), (rt, input) => {
    const { items, nextToken } = page(rt.registry.listActivities(), input.maxResults, input.nextToken);
    return { activities: items.map((a) => ({ activityArn: a.arn, name: a.name, creationDate: seconds(a.creationDate) })), ...(nextToken ? { nextToken } : {}) };
  }),
  DescribeActivity: op(z.looseObject({ activityArn: Arn }), (rt, input) => {
    const a = rt.registry.activity(input.activityArn);
    return { activityArn: a.arn, name: a.name, creationDate: seconds(a.creationDate) };
  }),
  GetActivityTask: op(z.looseObject({ activityArn: Arn, workerName: z.optional(z.string()) }), async (rt, input, signal) => {
    rt.registry.activity(input.activityArn);
    const task = await rt.activities.poll(input.activityArn, input.workerName ?? '', signal);
    return task ? { taskToken: task.taskToken, input: JSON.stringify(task.input) } : {};
  }),
  SendTaskSuccess: op(z.looseObject({ taskToken: z.string(), output: z.string() }), (rt, input) => {
    let output: unknown;
    try {
      output = JSON.parse(input.output);
    } catch (error) {
      throw new ValidationException(`output is not JSON (${(error as Error).message}); send the task result as a JSON string`);
    }
    rt.tokens.succeed(input.taskToken, output);
    return {};
  }),
  SendTaskFailure: op(z.looseObject({ taskToken: z.string(), error: z.optional(z.string()), cause: z.optional(z.string()) }), (rt, input) => {
    rt.tokens.fail(input.taskToken, input.error ?? '', input.cause ?? '');
    return {};
  }),
  SendTaskHeartbeat: op(z.looseObject({ taskToken: z.string() }), (rt, input) => {
    rt.tokens.heartbeat(input.taskToken);
    return {};
  }),
  StartExecution: op(z.looseObject({ stateMachineArn: Arn, name: z.optional(z.string()), input: z.optional(z.string()) }), (rt, input) => {
    const r = rt.startExecution(input);
    return { executionArn: r.executionArn, startDate: seconds(r.startDate) };
  }),
  DescribeExecution: op(z.looseObject({ executionArn: Arn }), (rt, input) => {
    const r = rt.execution(input.executionArn);
    return {
      ...executionSummary(r),
      input: r.input,
      inputDetails: { included: true },
      ...(r.output !== undefined ? { output: r.output, outputDetails: { included: true } } : {}),
      ...(r.error !== undefined ? { error: r.error } : {}),
      ...(r.cause !== undefined ? { cause: r.cause } : {}),
      redriveCount: 0,
      redriveStatus: 'NOT_REDRIVABLE',
    };
  }),
  ListExecutions: op(z.looseObject({ stateMachineArn: Arn, statusFilter: z.optional(ExecutionStatus), ...Paging }), (rt, input) => {
    const { items, nextToken } = page(rt.listExecutions(input.stateMachineArn, input.statusFilter), input.maxResults, input.nextToken);
    return { executions: items.map(executionSummary), ...(nextToken ? { nextToken } : {}) };
  }),
  GetExecutionHistory: op(
    z.looseObject({ executionArn: Arn, reverseOrder: z.optional(z.boolean()), includeExecutionData: z.optional(z.boolean()), ...Paging }),
    (rt, input) => {
      const events = [...rt.execution(input.executionArn).events];
      if (input.reverseOrder) events.reverse();
      const { items, nextToken } = page(events, input.maxResults, input.nextToken);
      return { events: items.map((e) => wireEvent(e, input.includeExecutionData ?? true)), ...(nextToken ? { nextToken } : {}) };
    },
  ),
  StopExecution: op(z.looseObject({ executionArn: Arn, error: z.optional(z.string()), cause: z.optional(z.string()) }), (rt, input) => {
    const r = rt.stopExecution(input.executionArn, input.error, input.cause);
    return { stopDate: seconds(r.stopDate ?? Date.now()) };
  }),
};

export const supportedOperations = Object.keys(operations);

export async function callOperation(runtime: LocalSfnRuntime, operation: string, body: unknown, signal: AbortSignal): Promise<unknown> {
  const handler = operations[operation];
  if (!handler) {
    throw new UnknownOperationException(
      `operation ${operation} is not served by the local Step Functions runtime; supported: ${supportedOperations.join(', ')}`,
    );
  }
  return handler(runtime, body, signal);
}
