import { SFNClient } from '@aws-sdk/client-sfn';
import type { TaskWaker } from '../../shared/store/index.js';
import { sfnTaskWaker } from '../../shared/workflow/task-waker.js';

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
