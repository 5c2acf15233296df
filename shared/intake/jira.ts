import * as z from '../zod.js';
import { adfPlainText, isAdfDocument, AdfNode } from './adf-text.js';
import { sha256Hex } from '../canonical-json.js';
import type { Approval } from './servicenow.js';

// The Jira webhook (reference/aws.md §3): {timestamp, webhookEvent, user, issue{id,key,fields},
// changelog{id, items[{field, fromString, toString}]}}. Unknown fields pass through.
//
// Jira's X-Hub-Signature covers the body only, so nothing in the headers can be trusted: the
// delivery key comes from the body (issue id + changelog id), never from the unsigned
// X-Atlassian-Webhook-Identifier — a captured delivery resent with a fresh identifier is the same
// delivery — and the body's `timestamp` is the signed time that bounds a replay.
const JiraId = z.pipe(z.pipe(z.union([z.string(), z.number()]), z.transform(String)), z.string().check(z.regex(/^\d{1,20}$/, 'expected a numeric Jira id')));

// An item without `toString` would otherwise be read through Object.prototype.toString: make the
// from/to strings own properties before zod looks at them.
const ChangelogItem = z.pipe(
  z.transform((v: unknown) => (typeof v === 'object' && v !== null && !Array.isArray(v) ? { fromString: null, toString: null, ...v } : v)),
  z.looseObject({
    field: z.string(),
    fromString: z.nullable(z.string()),
    toString: z.nullable(z.string()),
  }),
);

export const JiraWebhook = z.looseObject({
  timestamp: z.optional(z.number()),
  webhookEvent: z.string(),
  user: z.optional(z.looseObject({ accountId: z.optional(z.string()), displayName: z.optional(z.string()), emailAddress: z.optional(z.string()) })),
  issue: z.looseObject({
    id: JiraId,
    key: z.string().check(z.regex(/^[A-Z][A-Z0-9_]{0,30}-\d{1,12}$/, 'expected an issue key like NETCHG-42')),
    fields: z.looseObject({
      summary: z._default(z.string(), ''),
      status: z.optional(z.looseObject({ name: z.string() })),
      description: z.optional(z.union([z.string(), AdfNode, z.null()])),
    }),
  }),
  changelog: z.optional(z.looseObject({
      id: z.optional(JiraId),
      items: z._default(z.array(ChangelogItem), []),
    })),
});
export type JiraWebhook = z.infer<typeof JiraWebhook>;

/** Approved = this update moved the issue's status into the configured approved status. */
export function jiraApproval(hook: JiraWebhook, approvedStatus: string): Approval {
  const key = hook.issue.key;
  if (hook.webhookEvent !== 'jira:issue_updated') {
    return { approved: false, reason: `${key}: event ${hook.webhookEvent} is not jira:issue_updated, so it carries no approval` };
  }
  const statusItem = statusChange(hook);
  if (!statusItem) {
    const fields = hook.changelog?.items.map((item) => item.field).join(', ') || 'none';
    return { approved: false, reason: `${key}: the update changed no status (fields changed: ${fields})` };
  }
  if ((statusItem.toString ?? '').trim().toLowerCase() !== approvedStatus.trim().toLowerCase()) {
    return {
      approved: false,
      reason: `${key}: status changed from "${statusItem.fromString ?? ''}" to "${statusItem.toString ?? ''}", not to "${approvedStatus}"`,
    };
  }
  return { approved: true };
}

export type JiraChangelogItem = NonNullable<JiraWebhook['changelog']>['items'][number];

/** The changelog item that moved the issue's status, if this update did. */
export function statusChange(hook: JiraWebhook): JiraChangelogItem | undefined {
  return hook.changelog?.items.find((item) => item.field.toLowerCase() === 'status');
}

/**
 * The delivery key, from signed content only: issue id + changelog id (one update of one issue;
 * Jira's retries of it carry the same). An update without a changelog id has no status change
 * (intake refuses a status change without one), so issue id + body timestamp + fields changed
 * name it well enough for the log.
 */
export function jiraDeliveryKey(hook: JiraWebhook): string {
  if (hook.changelog?.id !== undefined) return `jira:${hook.issue.id}:${hook.changelog.id}`;
  const fields = hook.changelog?.items.map((item) => item.field).join(',') ?? '';
  return `jira:${hook.issue.id}:t${hook.timestamp ?? 'none'}:${sha256Hex(fields).slice(0, 12)}`;
}

export interface SpecText {
  /** Where the text came from, as the person reading an error would name it. */
  source: string;
  text: string;
}

const anyFence = /```[ \t]*[\w-]*[ \t]*\r?\n([\s\S]*?)(?:\r?\n)?```/;
const yamlFence = /```[ \t]*(?:yaml|yml)[ \t]*\r?\n([\s\S]*?)(?:\r?\n)?```/i;

/** The ChangeSpec text: the custom field if set, else the first ```yaml block of the description. */
export function jiraSpecText(hook: JiraWebhook, specField: string): SpecText | undefined {
  const fields = hook.issue.fields as Record<string, unknown>;
  const custom = fields[specField];
  const customText = fieldText(custom);
  if (customText !== undefined && customText.trim() !== '') {
    // A rich-text custom field may wrap the spec in a code block; take its content then.
    return { source: `fields.${specField}`, text: anyFence.exec(customText)?.[1] ?? customText };
  }
  const description = fieldText(fields.description);
  const block = description === undefined ? undefined : yamlFence.exec(description)?.[1];
  return block === undefined ? undefined : { source: 'description (```yaml block)', text: block };
}

function fieldText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (isAdfDocument(value)) {
    const parsed = AdfNode.safeParse(value);
    return parsed.success ? adfPlainText(parsed.data) : undefined;
  }
  // A JSON custom field may already hold the spec as an object; JSON is YAML, so re-serialise it.
  if (typeof value === 'object') return JSON.stringify(value);
  return undefined;
}
