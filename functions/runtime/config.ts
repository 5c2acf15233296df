import * as z from '../../shared/zod.js';
import { ChangeflowError } from '../../shared/errors.js';

// Lambda configuration comes only from the environment the stack sets; read once and validated,
// so a missing variable fails the first invocation with a clear message instead of a deep error.
export const RuntimeEnv = z.object({
  TABLE_NAME: z.string().check(z.minLength(3)),
  DYNAMODB_ENDPOINT: z.optional(z.url()),
  AWS_REGION: z._default(z.string().check(z.minLength(1)), 'us-east-1'),
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

const parsed = new Map<string, RuntimeConfig>();

/**
 * Parsed once per container: only the three variables are read on each call (a string compare),
 * and validated when they differ from every set seen before — locally one process serves stacks
 * whose tables differ, so the cache is keyed by their values rather than kept as one.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): RuntimeConfig {
  const raw = { TABLE_NAME: env['TABLE_NAME'], DYNAMODB_ENDPOINT: env['DYNAMODB_ENDPOINT'] || undefined, AWS_REGION: env['AWS_REGION'] };
  const key = `${raw.TABLE_NAME ?? ''}\n${raw.DYNAMODB_ENDPOINT ?? ''}\n${raw.AWS_REGION ?? ''}`;
  const known = parsed.get(key);
  if (known) return known;
  const result = RuntimeEnv.safeParse(raw);
  if (!result.success) {
    const fields = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigInvalid(`expected TABLE_NAME (and optionally DYNAMODB_ENDPOINT, AWS_REGION) in the environment, found ${fields}; fix the function's environment`);
  }
  const config: RuntimeConfig = { tableName: result.data.TABLE_NAME, dynamodbEndpoint: result.data.DYNAMODB_ENDPOINT, region: result.data.AWS_REGION };
  parsed.set(key, config);
  return config;
}
