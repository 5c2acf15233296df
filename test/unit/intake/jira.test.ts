import { describe, expect, it } from 'vitest';
import { JiraWebhook, jiraApproval, jiraDeliveryKey, jiraSpecText } from '../../../shared/intake/jira.js';
import { adfPlainText } from '../../../shared/intake/adf-text.js';
import { example, fixture } from './deliveries.js';

const hook = JiraWebhook.parse(example('jira-approved.json'));

function withStatusChange(from: string | null, to: string | null): JiraWebhook {
  return { ...hook, changelog: { id: '1', items: [{ field: 'status', fromString: from, toString: to }] } };
}

describe('Jira webhooks', () => {
  it('parses the example webhook', () => {
    expect(hook.issue.key).toBe('NETCHG-42');
    expect(hook.changelog?.items[0]).toMatchObject({ field: 'status', toString: 'Approved' });
  });

  it('parses a changelog item that lacks toString as null, not as Object.prototype.toString', () => {
    const raw = example('jira-approved.json');
    const parsed = JiraWebhook.parse({ ...raw, changelog: { id: '2', items: [{ field: 'labels' }] } });
    expect(parsed.changelog?.items[0]).toMatchObject({ field: 'labels', fromString: null, toString: null });
  });

  it.each([
    ['Awaiting approval', 'Approved', 'Approved', true],
    ['Awaiting approval', 'approved', 'Approved', true],
    ['Awaiting approval', 'CAB Approved', 'CAB Approved', true],
    ['Awaiting approval', 'Approved', 'CAB Approved', false],
    ['Approved', 'Implementing', 'Approved', false],
    ['Awaiting approval', 'Declined', 'Approved', false],
    [null, null, 'Approved', false],
  ])('a status change %s → %s with approved status "%s" approves=%s', (from, to, approvedStatus, approved) => {
    expect(jiraApproval(withStatusChange(from, to), approvedStatus).approved).toBe(approved);
  });

  it('does not treat an update without a status change as an approval', () => {
    const verdict = jiraApproval({ ...hook, changelog: { id: '3', items: [{ field: 'summary', fromString: 'a', toString: 'b' }] } }, 'Approved');
    expect(verdict).toEqual({ approved: false, reason: 'NETCHG-42: the update changed no status (fields changed: summary)' });
  });

  it('does not treat an issue_created event as an approval', () => {
    expect(jiraApproval({ ...hook, webhookEvent: 'jira:issue_created' }, 'Approved')).toMatchObject({ approved: false, reason: expect.stringMatching(/issue_created/) });
  });

  it('keys a delivery by signed content only: issue id and changelog id, else issue id, body timestamp and fields changed', () => {
    expect(jiraDeliveryKey(hook)).toBe('jira:10042:10901');
    const { id: _id, ...noId } = hook.changelog!;
    const summaryOnly = { ...hook, changelog: { ...noId, items: [{ field: 'summary', fromString: 'a', toString: 'b' }] } };
    expect(jiraDeliveryKey(summaryOnly)).toMatch(/^jira:10042:t1795334400000:[0-9a-f]{12}$/);
    expect(jiraDeliveryKey({ ...summaryOnly, timestamp: 1795334400001 })).not.toBe(jiraDeliveryKey(summaryOnly));
  });

  it('refuses an issue or changelog id that is not numeric', () => {
    expect(JiraWebhook.safeParse({ ...example('jira-approved.json'), issue: { ...hook.issue, id: '10042:x' } }).success).toBe(false);
    expect(JiraWebhook.safeParse({ ...example('jira-approved.json'), changelog: { id: 'abc', items: [] } }).success).toBe(false);
  });

  it('takes the ChangeSpec from the first ```yaml block of a plain-text description', () => {
    const spec = jiraSpecText(hook, 'changeSpec');
    expect(spec?.source).toBe('description (```yaml block)');
    expect(spec?.text).toMatch(/^apiVersion: changeflow\/v1\n/);
    expect(spec?.text).toContain('name: pool-blue');
    expect(spec?.text).not.toContain('```');
  });

  it('takes the ChangeSpec from a yaml code block of an ADF description', () => {
    const spec = jiraSpecText(JiraWebhook.parse(fixture('jira-approved-adf-description.json')), 'changeSpec');
    expect(spec?.text).toMatch(/^apiVersion: changeflow\/v1\n[\s\S]*mode: plan-only$/);
  });

  it('prefers the configured custom field over the description', () => {
    const spec = jiraSpecText(JiraWebhook.parse(fixture('jira-approved-custom-field.json')), 'customfield_10123');
    expect(spec).toMatchObject({ source: 'fields.customfield_10123', text: expect.stringContaining('pool-green') });
  });

  it('reads a custom field holding the spec as an ADF code block', () => {
    const raw = fixture('jira-approved-custom-field.json');
    const issue = raw.issue as { fields: Record<string, unknown> };
    const text = issue.fields.customfield_10123 as string;
    issue.fields.customfield_10123 = { type: 'doc', version: 1, content: [{ type: 'codeBlock', content: [{ type: 'text', text }] }] };
    const spec = jiraSpecText(JiraWebhook.parse(raw), 'customfield_10123');
    expect(spec?.text.trim()).toBe(text.trim());
  });

  it('finds no spec when neither the field nor a yaml block exists', () => {
    expect(jiraSpecText({ ...hook, issue: { ...hook.issue, fields: { ...hook.issue.fields, description: 'just words' } } }, 'changeSpec')).toBeUndefined();
  });

  it('flattens ADF text nodes with hard breaks and paragraph ends as newlines', () => {
    expect(
      adfPlainText({
        type: 'doc',
        content: [
          { type: 'paragraph', content: [{ type: 'text', text: 'a' }, { type: 'hardBreak' }, { type: 'text', text: 'b' }] },
          { type: 'paragraph', content: [{ type: 'text', text: 'c' }] },
        ],
      }),
    ).toBe('a\nb\nc\n');
  });
});
