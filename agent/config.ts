import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import * as z from 'zod';
import { InvalidInput } from '../shared/errors.js';
import { describeInputIssues } from './input-issues.js';
import { issuesFromZod } from '../shared/spec/issues.js';

// The agent's one YAML file (issue 8): sites → Activity ARN and region/endpoint, fabrics → APIC
// URL and where its credentials live, clusters → kubeconfig/context and the cilium binary,
// limits. Credentials come only from here (env var, file or inline): never from task input.

const SecretSource = z
  .strictObject({
    env: z.string().optional(),
    file: z.string().optional(),
    value: z.string().optional(),
  })
  .refine((s) => [s.env, s.file, s.value].filter((v) => v !== undefined).length === 1, {
    message: 'give exactly one of env, file or value',
  });
export type SecretSource = z.infer<typeof SecretSource>;

export const AgentConfig = z.strictObject({
  agent: z
    .strictObject({
      name: z.string().min(1).max(80).default('changeflow-agent'),
      /** Concurrent tasks per site; one command at a time per fabric or cluster regardless. */
      concurrency: z.number().int().min(1).max(16).default(1),
      healthFile: z.string().optional(),
      maxResultBytes: z.number().int().min(1024).max(262144).default(250_000),
      logLevel: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
    })
    .prefault({}),
  sites: z.record(
    z.string(),
    z.strictObject({
      activityArn: z.string().regex(/^arn:aws[\w-]*:states:[\w-]+:\d{12}:activity:[\w-]+$/, 'an activity ARN'),
      region: z.string().default('us-east-1'),
      /** Only for the embedded default or a VPC endpoint; AWS otherwise. */
      endpoint: z.url().optional(),
    }),
  ),
  fabrics: z.record(
    z.string(),
    z.strictObject({
      url: z.url(),
      username: z.string().min(1),
      password: SecretSource,
      timeoutMs: z.number().int().positive().default(30_000),
    }),
  ),
  clusters: z.record(
    z.string(),
    z.strictObject({
      kubeconfig: z.string().min(1),
      context: z.string().optional(),
      ciliumBinary: z.string().default('cilium'),
      ciliumNamespace: z.string().default('kube-system'),
    }),
  ),
});
export type AgentConfig = z.infer<typeof AgentConfig>;

export async function loadAgentConfig(path: string): Promise<AgentConfig> {
  const text = await readFile(path, 'utf8');
  const result = AgentConfig.safeParse(parseYaml(text));
  if (!result.success) {
    throw new InvalidInput(`agent config ${path} is invalid: ${describeInputIssues(result.error, 'the agent config').join('; ')} — fix the file (docs/agent.example.yaml shows every field)`, issuesFromZod(result.error));
  }
  return result.data;
}

/** Reads a secret from where the config says it lives. */
export async function resolveSecret(source: SecretSource, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  if (source.value !== undefined) return source.value;
  if (source.env !== undefined) {
    const v = env[source.env];
    if (v === undefined || v === '') throw new InvalidInput(`environment variable ${source.env} is not set (agent config names it as a secret)`);
    return v;
  }
  try {
    return (await readFile(source.file ?? '', 'utf8')).trim();
  } catch (err) {
    throw new InvalidInput(`secret file ${source.file} (named in the agent config) cannot be read: ${(err as Error).message}; create it or fix the path`);
  }
}
