import { InvalidToken, SendTaskSuccessCommand, TaskDoesNotExist, TaskTimedOut, type SFNClient } from '@aws-sdk/client-sfn';
import type { LockHandoff, TaskWaker } from '../store/index.js';

// Wakes a change waiting in a target's queue: SendTaskSuccess on the task token it queued with.
// A token whose task timed out, or whose execution was stopped or ended, is answered with one of
// these errors by Step Functions (and by the local engine): that waiter is gone, skip it.

const goneErrors = [TaskTimedOut, InvalidToken, TaskDoesNotExist];

/** Over an injected client: the workflow's Lambdas build theirs from the environment, the CLI from endpoints. */
export function sfnTaskWaker(client: SFNClient): TaskWaker {
  return {
    async wake(token: string, handoff: LockHandoff) {
      try {
        await client.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify(handoff) }));
        return 'woken';
      } catch (err) {
        if (goneErrors.some((kind) => err instanceof kind)) return 'gone';
        throw err;
      }
    },
  };
}
