import * as z from '../zod.js';
import { defaultMaxBodyBytes } from './limits.js';
import { isKnownTimeZone } from './instance-time.js';

// What an operator may tune about intake. Read from Lambda env / `changeflow dev` flags by the
// caller; intake itself never reads env.
export const IntakeConfig = z.object({
  /** Shared HMAC secret of the ticketing systems and `changeflow submit`. */
  secret: z.string().check(z.minLength(1, 'set the webhook secret')),
  maxBytes: z._default(z.int().check(z.positive()), defaultMaxBodyBytes),
  /** Zone of ServiceNow's "YYYY-MM-DD HH:mm:ss" dates: the integration user's time zone. */
  serviceNowTimeZone: z._default(z.string(), 'UTC').check(z.refine(isKnownTimeZone, { message: 'expected an IANA time zone such as Europe/Paris' })),
  jiraApprovedStatus: z._default(z.string().check(z.trim(), z.minLength(1)), 'Approved'),
  /** Field id of the Jira custom field holding the ChangeSpec (`changeSpec` or `customfield_10123`). */
  jiraSpecField: z._default(z.string().check(z.regex(/^[A-Za-z_][\w.-]{0,63}$/, 'expected a Jira field id')), 'changeSpec'),
  /** Optional Jira date-time fields with the change window (JSM "Change start/end date"). */
  jiraWindowFields: z.optional(z.object({ start: z.string().check(z.minLength(1)), end: z.string().check(z.minLength(1)) })),
});
export type IntakeConfig = z.infer<typeof IntakeConfig>;
export type IntakeConfigInput = z.input<typeof IntakeConfig>;

/** The integration settings intake reads (functions/runtime/settings.ts holds the whole shape). */
export interface IntakeSettings {
  readonly webhookSecret: string;
  readonly servicenow?: { readonly timeZone?: string };
  readonly jira?: { readonly approvedStatus?: string; readonly specField?: string };
}

/** The integration settings → intake's config, or which fields are wrong (the operators' to fix: a 500, never the sender's 400). */
export function intakeConfigOf(settings: IntakeSettings): { ok: true; config: IntakeConfig } | { ok: false; message: string } {
  const parsed = IntakeConfig.safeParse({
    secret: settings.webhookSecret,
    serviceNowTimeZone: settings.servicenow?.timeZone,
    jiraApprovedStatus: settings.jira?.approvedStatus,
    jiraSpecField: settings.jira?.specField,
  });
  if (parsed.success) return { ok: true, config: parsed.data };
  const fields = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
  return { ok: false, message: `expected valid webhook settings (secret, servicenow.timeZone, jira.approvedStatus, jira.specField), found ${fields}; fix CHANGEFLOW_SETTINGS or the integrations secret` };
}
