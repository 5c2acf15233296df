import { createHash } from 'node:crypto';
import type { IssueStore } from './issues.js';
import type { Workflow } from './workflow.js';

// What Jira Cloud would POST to a webhook after the issue's latest status change, so the demo and
// tests send a real-shaped delivery (reference/aws.md §3) for an issue they created in the lab.
export interface LabWebhook {
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

export function webhookForLastTransition(
  issues: IssueStore,
  workflow: Workflow,
  key: string,
  user: { accountId: string; displayName: string; emailAddress: string },
  now: Date,
): LabWebhook {
  const issue = issues.get(key);
  const change = issue.history.at(-1);
  if (!change) throw new Error(`issue ${key} has had no status change yet; transition it first`);
  const identifier = createHash('sha256').update(`${issue.id}:${change.changelogId}`).digest('hex').slice(0, 32);
  return {
    headers: { 'X-Atlassian-Webhook-Identifier': identifier, 'X-Atlassian-Webhook-Flow': 'Primary', 'X-Atlassian-Webhook-Retry': '0' },
    body: {
      timestamp: now.getTime(),
      webhookEvent: 'jira:issue_updated',
      issue_event_type_name: 'issue_generic',
      user,
      issue: { id: issue.id, key: issue.key, fields: { ...issue.fields, status: { name: issue.status, id: workflow.status(issue.status)?.id } } },
      changelog: {
        id: change.changelogId,
        items: [
          {
            field: 'status',
            fieldtype: 'jira',
            from: workflow.status(change.from)?.id ?? null,
            fromString: change.from,
            to: workflow.status(change.to)?.id ?? null,
            toString: change.to,
          },
        ],
      },
    },
  };
}
