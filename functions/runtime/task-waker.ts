import { InvalidToken, SendTaskSuccessCommand, SFNClient, TaskDoesNotExist, TaskTimedOut } from '@aws-sdk/client-sfn';
import type { LockHandoff, TaskWaker } from '../../shared/store/index.js';

// Wakes a change waiting in a target's queue: SendTaskSuccess on the task token it queued with.
// A token whose task timed out, or whose execution was stopped or ended, is answered with one of
// these errors by Step Functions (and by the local engine): that waiter is gone, skip it.

const goneErrors = [TaskTimedOut, InvalidToken, TaskDoesNotExist];

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

let cached: { key: string; waker: TaskWaker } | undefined;

/** The container's waker: the local engine when SFN_ENDPOINT is set, else Step Functions itself. */
export function taskWakerFromEnv(env: NodeJS.ProcessEnv = process.env): TaskWaker {
  const endpoint = env['SFN_ENDPOINT'] || undefined;
  const region = env['AWS_REGION'] || 'us-east-1';
  const key = `${region} ${endpoint ?? ''}`;
  if (cached?.key !== key) {
    const client = new SFNClient({
      region,
      endpoint,
      // The local engine accepts any signature; on AWS the default chain provides credentials.
      ...(endpoint && !env['AWS_ACCESS_KEY_ID'] ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
    });
    cached = { key, waker: sfnTaskWaker(client) };
  }
  return cached.waker;
}
