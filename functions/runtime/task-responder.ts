import { SendTaskFailureCommand, SendTaskSuccessCommand, SFNClient } from '@aws-sdk/client-sfn';

// Answers the workflow's approval wait. A token may already be spent — its slice of the wait
// ended a moment ago — and that is fine: the approval or abort is recorded in the table first,
// and the next slice picks it up. Only a spent token is tolerated; anything else is an error.

export interface TaskResponder {
  succeed(token: string, output: unknown): Promise<boolean>;
  fail(token: string, error: string, cause: string): Promise<boolean>;
}

const spentToken = new Set(['TaskTimedOut', 'TaskDoesNotExist', 'InvalidToken']);

export function sfnTaskResponder(client: SFNClient): TaskResponder {
  const answered = async (send: () => Promise<unknown>): Promise<boolean> => {
    try {
      await send();
      return true;
    } catch (err) {
      if (err instanceof Error && spentToken.has(err.name)) return false;
      throw err;
    }
  };
  return {
    succeed: (token, output) => answered(() => client.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify(output) }))),
    fail: (token, error, cause) => answered(() => client.send(new SendTaskFailureCommand({ taskToken: token, error, cause: cause.slice(0, 32_000) }))),
  };
}

const responders = new Map<string, TaskResponder>();

/** The container's responder, for SFN_ENDPOINT locally or the real service on AWS. */
export function taskResponderFromEnv(env: NodeJS.ProcessEnv = process.env): TaskResponder {
  const endpoint = env['SFN_ENDPOINT'] || undefined;
  const key = endpoint ?? 'aws';
  let responder = responders.get(key);
  if (!responder) {
    const client = new SFNClient({
      region: env['AWS_REGION'] ?? 'us-east-1',
      endpoint,
      ...(endpoint && !env['AWS_ACCESS_KEY_ID'] ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
    });
    responder = sfnTaskResponder(client);
    responders.set(key, responder);
  }
  return responder;
}
