import * as z from 'zod';
import { defaultMaxBodyBytes } from './limits.js';
import { isKnownTimeZone } from './instance-time.js';

// What an operator may tune about intake. Read from Lambda env / `changeflow dev` flags by the
// caller; intake itself never reads env.
export const IntakeConfig = z.object({
  /** Shared HMAC secret of the ticketing systems and `changeflow submit`. */
  secret: z.string().min(1, 'set the webhook secret'),
  maxBytes: z.number().int().positive().default(defaultMaxBodyBytes),
  /** Zone of ServiceNow's "YYYY-MM-DD HH:mm:ss" dates: the integration user's time zone. */
  serviceNowTimeZone: z
    .string()
    .default('UTC')
    .refine(isKnownTimeZone, { message: 'expected an IANA time zone such as Europe/Paris' }),
  jiraApprovedStatus: z.string().trim().min(1).default('Approved'),
  /** Field id of the Jira custom field holding the ChangeSpec (`changeSpec` or `customfield_10123`). */
  jiraSpecField: z.string().regex(/^[A-Za-z_][\w.-]{0,63}$/, 'expected a Jira field id').default('changeSpec'),
  /** Optional Jira date-time fields with the change window (JSM "Change start/end date"). */
  jiraWindowFields: z.object({ start: z.string().min(1), end: z.string().min(1) }).optional(),
});
export type IntakeConfig = z.infer<typeof IntakeConfig>;
export type IntakeConfigInput = z.input<typeof IntakeConfig>;
