import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import * as z from '../../shared/zod.js';
import { InvalidInput } from '../../shared/errors.js';
import { issuesFromZod } from '../../shared/spec/issues.js';
import { ApprovalPolicy } from '../../shared/control/approval.js';

// Integration settings: the webhook secret and the ticketing systems' endpoints and credentials.
// On AWS they live in Secrets Manager (CHANGEFLOW_SECRET_ARN); the embedded default passes them
// as CHANGEFLOW_SETTINGS. Read once per container.

export const IntegrationSettings = z.strictObject({
  webhookSecret: z.string().check(z.minLength(16, 'the webhook secret must be at least 16 characters')),
  servicenow: z.optional(z.strictObject({
      url: z.url(),
      username: z.string().check(z.minLength(1)),
      password: z.string().check(z.minLength(1)),
      timeZone: z._default(z.string(), 'UTC'),
    })),
  jira: z.optional(z.strictObject({
      url: z.url(),
      email: z.string().check(z.minLength(1)),
      token: z.string().check(z.minLength(1)),
      approvedStatus: z._default(z.string(), 'Approved'),
      specField: z._default(z.string(), 'changeSpec'),
      doneTransition: z._default(z.string(), 'Done'),
      failedTransition: z._default(z.string(), 'Failed'),
    })),
  /** Change control (docs/architecture.md §3.7): targets whose every change needs an approval, approvers. */
  changeControl: z.optional(z.strictObject({
      approval: z.optional(ApprovalPolicy),
      /** A drift check that finds drift writes a work note / comment on the ticket of the last change in force. */
      drift: z.optional(z.strictObject({ ticketNote: z._default(z.boolean(), false) })),
    })),
  /** Base URL of the change pages, written into ticket notes: the stack's ApiUrl output on AWS. */
  publicUrl: z.optional(z.url()),
  /** How long a signed page link in a ticket note opens the page (docs/runbook.md). */
  pageLinkDays: z.optional(z.int().check(z.gte(1), z.lte(365))),
});
export type IntegrationSettings = z.infer<typeof IntegrationSettings>;

let cached: Promise<IntegrationSettings> | undefined;

export function integrationSettings(env: NodeJS.ProcessEnv = process.env): Promise<IntegrationSettings> {
  cached ??= load(env);
  return cached;
}

/** Tests and the dev stack change settings between runs in one process. */
export function forgetSettings(): void {
  cached = undefined;
}

async function load(env: NodeJS.ProcessEnv): Promise<IntegrationSettings> {
  let raw: string | undefined = env['CHANGEFLOW_SETTINGS'];
  if (raw === undefined && env['CHANGEFLOW_SECRET_ARN']) {
    const client = new SecretsManagerClient({});
    const out = await client.send(new GetSecretValueCommand({ SecretId: env['CHANGEFLOW_SECRET_ARN'] }));
    raw = out.SecretString;
  }
  if (raw === undefined) throw new InvalidInput('no integration settings: set CHANGEFLOW_SECRET_ARN (AWS) or CHANGEFLOW_SETTINGS (local)');
  const parsed = IntegrationSettings.safeParse(JSON.parse(raw));
  if (!parsed.success) {
    const issues = issuesFromZod(parsed.error);
    throw new InvalidInput(`integration settings are invalid: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues);
  }
  return parsed.data;
}
