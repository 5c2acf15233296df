import * as z from 'zod';
import { ChangeflowError } from '../../shared/errors.js';

// Lambda configuration comes only from the environment the stack sets; read once and validated,
// so a missing variable fails the first invocation with a clear message instead of a deep error.
export const RuntimeEnv = z.object({
  TABLE_NAME: z.string().min(3),
  DYNAMODB_ENDPOINT: z.url().optional(),
  AWS_REGION: z.string().min(1).default('us-east-1'),
});

export interface RuntimeConfig {
  readonly tableName: string;
  /** Set for the local stack (dynalite); absent on AWS. */
  readonly dynamodbEndpoint?: string;
  readonly region: string;
}

export class ConfigInvalid extends ChangeflowError {
  override readonly name = 'ConfigInvalid' as const;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): RuntimeConfig {
  const parsed = RuntimeEnv.safeParse({ ...env, DYNAMODB_ENDPOINT: env['DYNAMODB_ENDPOINT'] || undefined });
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigInvalid(`expected TABLE_NAME (and optionally DYNAMODB_ENDPOINT, AWS_REGION) in the environment, found ${fields}; fix the function's environment`);
  }
  return {
    tableName: parsed.data.TABLE_NAME,
    dynamodbEndpoint: parsed.data.DYNAMODB_ENDPOINT,
    region: parsed.data.AWS_REGION,
  };
}
