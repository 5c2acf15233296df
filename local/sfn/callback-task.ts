import * as z from '../../shared/zod.js';
import { lambdaErrorCause } from './lambda-runner.js';
import { statesTimeout } from './states-timeout.js';
import { afterStateEvents, type TaskEvents } from './task-events.js';
import { TaskFailure } from './task-failure.js';
import type { TaskTokenTable } from './task-tokens.js';

// `.waitForTaskToken` tasks: the state's Parameters read `$$.Task.Token`, the call (a Lambda
// invoke, an SNS publish) hands it to whoever will answer, and the task then waits in the
// engine's token table for SendTaskSuccess / SendTaskFailure, bounded by HeartbeatSeconds and
// TimeoutSeconds on the table's clock. The open token is persisted with its execution, so a
// restarted `changeflow dev --data-dir` still accepts the answer.

/** One outstanding callback, as persisted with its execution record. */
export const PendingCallback = z.object({
  token: z.string(),
  stateName: z.string(),
  /** Epoch ms on the engine's clock when the task times out (TimeoutSeconds). */
  deadline: z.optional(z.number()),
  heartbeatSeconds: z.optional(z.number()),
});
export type PendingCallback = z.infer<typeof PendingCallback>;

/**
 * What `$$.Task` reads in the interpreter's context object. The interpreter evaluates a state's
 * Parameters and calls the state's task override in one synchronous stretch, so the token the
 * Parameters read is still the pending one when the override claims it. Reading it twice in one
 * evaluation gives the same token; a state that never claims it leaves a token nobody registered.
 */
export class TaskTokenSource {
  private pending: string | undefined;
  readonly context: { readonly Token: string };

  constructor(tokens: TaskTokenTable) {
    const current = (): string => (this.pending ??= tokens.mint());
    this.context = {
      get Token(): string {
        return current();
      },
    };
  }

  claim(): string | undefined {
    const token = this.pending;
    this.pending = undefined;
    return token;
  }
}

export interface CallbackContext {
  executionArn: string;
  tokens: TaskTokenTable;
  taskTokens: TaskTokenSource;
  /** Persistence of outstanding tokens (the runtime saves them with the execution record). */
  opened(callback: PendingCallback): void;
  closed(token: string): void;
  /** The token a restarted runtime re-attaches to instead of calling again (first attempt only). */
  takeResume(stateName: string): PendingCallback | undefined;
}

type Override = (input: unknown) => Promise<unknown>;

export function callbackOverride(
  state: { stateName: string; timeoutSeconds?: number; heartbeatSeconds?: number },
  events: TaskEvents,
  ctx: CallbackContext,
  call: (input: unknown) => Promise<unknown>,
): Override {
  return async (input) => {
    // Both synchronous, before the first await: see TaskTokenSource. A resumed task re-evaluated
    // its Parameters (minting a token nobody saw) and waits on the token it handed out before.
    const resumed = ctx.takeResume(state.stateName);
    const minted = ctx.taskTokens.claim();
    const token = resumed?.token ?? minted;
    if (token === undefined || (!resumed && !JSON.stringify(input).includes(token))) {
      throw new TaskFailure('States.Runtime', `state ${state.stateName}: its Parameters did not pass $$.Task.Token, so nobody could answer the callback`);
    }
    const pending: PendingCallback = resumed ?? {
      token,
      stateName: state.stateName,
      ...(state.timeoutSeconds !== undefined ? { deadline: ctx.tokens.timers.now() + state.timeoutSeconds * 1000 } : {}),
      ...(state.heartbeatSeconds !== undefined ? { heartbeatSeconds: state.heartbeatSeconds } : {}),
    };
    const answer = ctx.tokens.wait(token, {
      executionArn: ctx.executionArn,
      heartbeatSeconds: pending.heartbeatSeconds,
      heartbeatFromOpen: true,
      deadline: pending.deadline,
      timeoutError: () => new TaskFailure('States.Timeout', `no SendTaskSuccess or SendTaskFailure within TimeoutSeconds ${state.timeoutSeconds ?? '?'}`),
      onClose: () => ctx.closed(token),
    });
    // Settled below; an answer that arrives while the call is still running must not go unhandled.
    answer.catch(() => undefined);
    ctx.opened(pending);
    await afterStateEvents();
    if (!resumed) {
      events.scheduled(input);
      events.started();
      try {
        const submitted = await call(input);
        events.submitted(submitted);
      } catch (error) {
        const failure = error instanceof TaskFailure ? error : new TaskFailure('States.TaskFailed', JSON.stringify(lambdaErrorCause(error)));
        // The call itself failed: nobody holds the token, so close it with the task.
        if (ctx.tokens.isOpen(token)) ctx.tokens.fail(token, failure.name, failure.message);
        events.failed(failure.name, failure.message);
        throw failure;
      }
    }
    try {
      const output = await answer;
      events.succeeded(output);
      return output;
    } catch (error) {
      if (!(error instanceof TaskFailure)) throw error;
      if (error.name === 'States.Timeout' || error.name === 'States.HeartbeatTimeout') {
        events.timedOut(error.name, error.message);
        // Retry/Catch must see the interpreter's own timeout error (States.TaskFailed never matches it).
        if (error.name === 'States.Timeout') throw await statesTimeout(error.message);
      } else events.failed(error.name, error.message);
      throw error;
    }
  };
}
