import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { mapStates, walkStates, type AslDefinition } from './asl.js';
import { TaskTokenSource, type CallbackContext, type PendingCallback } from './callback-task.js';
import type { ExecutionRecord, ExecutionStatus } from './execution-record.js';
import { ExecutionHistory, jsonField } from './history.js';
import type { LocalMachineDef } from './stack-machines.js';
import type { TaskBinding } from './task-bindings.js';
import { taskOverride, TaskAttempts, type DispatchContext } from './task-dispatch.js';
import { taskEvents } from './task-events.js';
import type { TaskTokenTable } from './task-tokens.js';

type Run = ReturnType<StateMachine['run']>;
type EventLog = Run['eventLogs'] extends AsyncGenerator<infer E> ? E : never;
type Closing = { status: ExecutionStatus; fields: Partial<ExecutionRecord> };

// Longest timer Node can arm (~24.8 days); stands in for AWS's "no TimeoutSeconds" where the
// interpreter would otherwise time a Task out after 60 s.
const unboundedTaskSeconds = 2_147_483;

/**
 * The interpreter's copy of the definition: every Task without TimeoutSeconds gets the cap, and
 * so does every callback Task, whose TimeoutSeconds the token table enforces on its own clock.
 */
export function interpreterDefinition(definition: AslDefinition): AslDefinition {
  return mapStates(definition, (_name, state) =>
    state.Type === 'Task' && (state.TimeoutSeconds === undefined || String(state.Resource).endsWith('.waitForTaskToken'))
      ? { ...state, TimeoutSeconds: unboundedTaskSeconds }
      : state,
  );
}

export function interpreterMachine(definition: AslDefinition): StateMachine {
  // validateDefinition already ran asl-validator on the original; it costs up to a second a call.
  return new StateMachine(interpreterDefinition(definition) as unknown as StateMachineDefinition, { validationOptions: { noValidate: true } });
}

/** Where a restarted runtime picks an execution up: a top-level callback state and its input. */
export interface ResumePoint {
  callback: PendingCallback;
  input: unknown;
}

/** The machine from `stateName` on, with what is left of the execution's TimeoutSeconds. */
function resumedMachine(definition: AslDefinition, stateName: string, startDate: number): StateMachine {
  const base = interpreterDefinition(definition);
  const left = definition.TimeoutSeconds === undefined ? undefined : Math.max(1, Math.ceil(definition.TimeoutSeconds - (Date.now() - startDate) / 1000));
  const resumed = { ...base, StartAt: stateName, ...(left !== undefined ? { TimeoutSeconds: left } : {}) };
  return new StateMachine(resumed as unknown as StateMachineDefinition, { validationOptions: { noValidate: true } });
}

export interface RunningExecution {
  stop(error?: string, cause?: string): void;
  /** Abandons the run without closing it (runtime shutdown): the record stays RUNNING. */
  halt(): void;
  /** Settles once the record holds its final status and closing history event. */
  done: Promise<ExecutionRecord>;
}

export interface RunDeps extends Omit<DispatchContext, 'executionArn' | 'history' | 'attempts' | 'callbacks'> {
  machine: LocalMachineDef;
  interpreter: StateMachine;
  bindings: Map<string, TaskBinding>;
  tokens: TaskTokenTable;
  /** `urgent`: save now (a task token was just handed out), not on the next batched flush. */
  changed: (record: ExecutionRecord, urgent?: boolean) => void;
  /** Milliseconds a named Wait state pauses instead of what its definition says (tests). */
  waitTimeOverrides?: Readonly<Record<string, number>>;
}

/**
 * Starts the interpreter on `record` (status RUNNING, no events yet) and keeps the record current.
 * With `resume`, picks up a restored execution at its outstanding callback instead.
 */
export function runExecution(record: ExecutionRecord, deps: RunDeps, resume?: ResumePoint): RunningExecution {
  const history = new ExecutionHistory(record.events, () => deps.changed(record));
  const taskTokens = new TaskTokenSource(deps.tokens);
  let pendingResume = resume?.callback;
  const callbacks: CallbackContext = {
    executionArn: record.executionArn,
    tokens: deps.tokens,
    taskTokens,
    opened: (callback) => {
      record.callbacks = [...(record.callbacks ?? []).filter((c) => c.token !== callback.token), callback];
      deps.changed(record, true);
    },
    closed: (token) => {
      record.callbacks = (record.callbacks ?? []).filter((c) => c.token !== token);
      if (record.callbacks.length === 0) delete record.callbacks;
      deps.changed(record);
    },
    takeResume: (stateName) => {
      if (pendingResume?.stateName !== stateName) return undefined;
      const taken = pendingResume;
      pendingResume = undefined;
      return taken;
    },
  };
  const ctx: DispatchContext = { ...deps, executionArn: record.executionArn, history, attempts: new TaskAttempts(), callbacks };
  const overrides = Object.fromEntries([...deps.bindings].map(([name, binding]) => [name, taskOverride(binding, ctx)]));
  const states = new Map([...walkStates(deps.machine.definition)].map((v) => [v.name, v.state]));
  let stopRequest: { error?: string; cause?: string } | undefined;
  let halted = false;

  const interpreter = resume ? resumedMachine(deps.machine.definition, resume.callback.stateName, record.startDate) : deps.interpreter;
  const run = interpreter.run(resume ? resume.input : JSON.parse(record.input), {
    overrides: { taskResourceLocalHandlers: overrides as never, ...(deps.waitTimeOverrides ? { waitTimeOverrides: { ...deps.waitTimeOverrides } } : {}) },
    noThrowOnAbort: true,
    context: {
      Execution: { Id: record.executionArn, Name: record.name, RoleArn: deps.machine.roleArn, RedriveCount: 0 },
      StateMachine: { Id: deps.machine.arn, Name: deps.machine.name },
      // A getter object: the interpreter copies the context per run, shallowly (callback-task.ts).
      Task: taskTokens.context,
    },
  });

  const finish = ({ status, fields }: Closing): void => {
    if (record.status !== 'RUNNING' || halted) return;
    Object.assign(record, { status, stopDate: Date.now() }, fields);
    history.seal();
    deps.tokens.cancelExecution(record.executionArn, `execution ${record.name} ended ${status}`);
    deps.changed(record);
  };

  const mapper: EventMapper = {
    history,
    // A resumed run starts again with ExecutionStarted and the callback state's StateEntered,
    // both already in the history.
    replayed: resume ? 2 : 0,
    input: record.input,
    machine: deps.machine,
    states,
    stopRequest: () => stopRequest,
    taskTimedOut: (name, error, cause) => {
      const binding = deps.bindings.get(name);
      // Activities record their own timeout; other tasks only if the local work was still open.
      if (binding && binding.kind !== 'activity' && ctx.attempts.abandonOldest(name)) {
        taskEvents(binding, history, deps.region).timedOut(error, cause);
      }
    },
  };
  const consume = (async () => {
    for await (const event of run.eventLogs) {
      const closing = mapEvent(event, mapper);
      if (closing) finish(closing);
    }
  })();

  const done = Promise.allSettled([run.result, consume]).then(([result, consumed]) => {
    if (consumed.status === 'rejected') deps.log(`history of ${record.executionArn} stopped early: ${String(consumed.reason)}`);
    // The closing event normally arrives on the log; this covers a log that ended without one.
    if (stopRequest) finish({ status: 'ABORTED', fields: stopRequest });
    else if (result.status === 'fulfilled') finish({ status: 'SUCCEEDED', fields: { output: JSON.stringify(result.value) } });
    else {
      const reason = result.reason as { name?: string; cause?: { name?: string; message?: string } };
      if (reason.name === 'ExecutionTimeoutError') finish({ status: 'TIMED_OUT', fields: { error: 'States.Timeout' } });
      else finish({ status: 'FAILED', fields: { error: reason.cause?.name ?? reason.name, cause: reason.cause?.message } });
    }
    return record;
  });

  return {
    stop(error, cause) {
      if (record.status !== 'RUNNING' || stopRequest) return;
      stopRequest = { ...(error !== undefined ? { error } : {}), ...(cause !== undefined ? { cause } : {}) };
      run.abort();
    },
    halt() {
      halted = true;
      history.seal();
      run.abort();
    },
    done,
  };
}

interface EventMapper {
  history: ExecutionHistory;
  /** How many leading interpreter events to skip (already recorded before a restart). */
  replayed: number;
  input: string;
  machine: LocalMachineDef;
  states: Map<string, { Type: string; [key: string]: unknown }>;
  stopRequest: () => { error?: string; cause?: string } | undefined;
  taskTimedOut: (stateName: string, error: string, cause: string) => void;
}

const containerEvents: Record<string, { started: string; succeeded: string; failed: string }> = {
  Parallel: { started: 'ParallelStateStarted', succeeded: 'ParallelStateSucceeded', failed: 'ParallelStateFailed' },
  Map: { started: 'MapStateStarted', succeeded: 'MapStateSucceeded', failed: 'MapStateFailed' },
};

function causeText(cause: unknown): string | undefined {
  return typeof cause === 'string' ? cause : cause === undefined ? undefined : JSON.stringify(cause);
}

/** Maps one interpreter event onto AWS history events; returns the closing status, if any. */
function mapEvent(event: EventLog, m: EventMapper): Closing | undefined {
  const { history } = m;
  if (m.replayed > 0 && (event.type === 'ExecutionStarted' || event.type === 'StateEntered')) {
    m.replayed -= 1;
    return undefined;
  }
  switch (event.type) {
    case 'ExecutionStarted':
      history.record('ExecutionStarted', { input: m.input, inputDetails: { truncated: false }, roleArn: m.machine.roleArn });
      return undefined;
    case 'ExecutionSucceeded':
      history.record('ExecutionSucceeded', jsonField('output', event.output));
      return { status: 'SUCCEEDED', fields: { output: JSON.stringify(event.output ?? null) } };
    case 'ExecutionFailed': {
      const cause = causeText(event.Cause);
      history.record('ExecutionFailed', { error: event.Error, ...(cause !== undefined ? { cause } : {}) });
      return { status: 'FAILED', fields: { error: event.Error, cause } };
    }
    case 'ExecutionAborted': {
      const stop = m.stopRequest() ?? {};
      history.record('ExecutionAborted', stop);
      return { status: 'ABORTED', fields: stop };
    }
    case 'ExecutionTimeout': {
      const cause = `execution exceeded the state machine's TimeoutSeconds (${m.machine.definition.TimeoutSeconds ?? '?'})`;
      history.record('ExecutionTimedOut', { error: 'States.Timeout', cause });
      return { status: 'TIMED_OUT', fields: { error: 'States.Timeout', cause } };
    }
    case 'StateEntered': {
      const { name, type, input } = event.state;
      history.record(`${type}StateEntered`, { name, ...jsonField('input', input) }, name);
      if (type === 'Map') history.record('MapStateStarted', mapLength(m.states.get(name), input), name);
      if (type === 'Parallel') history.record('ParallelStateStarted', undefined, name);
      return undefined;
    }
    case 'StateExited': {
      const { name, type, output } = event.state;
      const container = containerEvents[type];
      if (container) history.record(container.succeeded, undefined, name);
      if (type !== 'Fail') history.record(`${type}StateExited`, { name, ...jsonField('output', output) }, name);
      return undefined;
    }
    case 'StateFailed': {
      const { name, type } = event.state;
      const cause = causeText(event.Cause) ?? '';
      if (type === 'Task' && event.Error === 'States.Timeout') m.taskTimedOut(name, event.Error, cause);
      const container = containerEvents[type];
      if (container) history.record(container.failed, { error: event.Error, cause }, name);
      return undefined;
    }
    case 'MapIterationStarted':
    case 'MapIterationSucceeded':
    case 'MapIterationFailed':
      history.record(event.type, { name: event.parentState.name, index: event.index }, event.parentState.name);
      return undefined;
    default:
      // Retried and caught states and parallel branches have no history event of their own on AWS.
      return undefined;
  }
}

/** MapStateStarted's `length`, when ItemsPath is a plain `$.a.b` path (what CDK emits). */
function mapLength(state: { [key: string]: unknown } | undefined, input: unknown): Record<string, unknown> | undefined {
  const path = typeof state?.['ItemsPath'] === 'string' ? state['ItemsPath'] : '$';
  if (!/^\$(\.[A-Za-z0-9_]+)*$/.test(path)) return undefined;
  let items: unknown = input;
  for (const key of path.split('.').slice(1)) items = (items as Record<string, unknown> | null)?.[key];
  return Array.isArray(items) ? { length: items.length } : undefined;
}
